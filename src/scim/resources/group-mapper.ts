import { GROUP_SCHEMA } from '../schema/resource-schemas';
import { etagOf, isoDate } from './storage-mapping';
import { ScimObject } from './values';

export interface GroupRow {
  id: string;
  display_name: string;
  external_id: string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  /** Absent when the request did not ask for members (they are then never read). */
  members?: { value: string; display: string | null }[] | null;
  [column: string]: unknown;
}

export function groupToScim(row: GroupRow, baseUrl: string): ScimObject {
  const group: ScimObject = { schemas: [GROUP_SCHEMA], id: row.id };
  if (row.external_id !== null && row.external_id !== undefined) group.externalId = row.external_id;
  group.displayName = row.display_name;
  if (row.members) {
    group.members = row.members.map((member) => ({
      value: member.value,
      $ref: `${baseUrl}/Users/${member.value}`,
      ...(member.display ? { display: member.display } : {}),
      type: 'User',
    }));
  }
  group.meta = {
    resourceType: 'Group',
    created: isoDate(row.created_at),
    lastModified: isoDate(row.updated_at),
    location: `${baseUrl}/Groups/${row.id}`,
    version: etagOf(row.version),
  };
  return group;
}
