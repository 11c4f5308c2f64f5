import { actorParams, AUDIT_INSERT } from '../audit/audit';
import type { DomainContext } from '../context';
import { badInput, conflict, isUniqueViolation, isUuid, notFound, preconditionFailed } from '../errors';
import { pgArray, run } from '../../db/sql';

/**
 * Directory groups: the groups an identity provider pushes over SCIM, with their memberships stored as one row
 * per member. Every membership change is a set operation in SQL (never "load the members, change, write back"),
 * so that adding one member to a 100,000-member group costs what it costs for a 10-member group, and
 * concurrent changes to one group lose nothing. Each change and its audit event are written by one statement.
 */
export interface DirectoryGroupRecord {
  id: string;
  channelId: string;
  displayName: string;
  externalId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** How a change affects membership: the members become exactly `userIds`, or some are added and removed. */
export type MembershipChange =
  | { kind: 'replace'; userIds: readonly string[] }
  | { kind: 'delta'; add: readonly string[]; remove: readonly string[] };

export interface DirectoryGroupChange {
  /** undefined: unchanged. */
  displayName?: string;
  /** undefined: unchanged; null: cleared. */
  externalId?: string | null;
  members?: MembershipChange;
}

const NAME_UNIQUE = 'directory_group_name_unique';
const MAX_NAME = 1024;

function checkedName(displayName: unknown): string {
  if (typeof displayName !== 'string' || displayName.trim() === '') {
    throw badInput('displayName is required: the name of the group', { field: 'displayName' });
  }
  // Bytes, not characters: the name is in a unique index, whose entries PostgreSQL limits in size.
  if (Buffer.byteLength(displayName) > MAX_NAME) throw badInput(`displayName is longer than ${MAX_NAME} bytes`);
  return displayName;
}

function checkedExternalId(externalId: unknown): string | null {
  if (externalId === undefined || externalId === null) return null;
  if (typeof externalId !== 'string' || externalId.length > MAX_NAME) {
    throw badInput(`externalId must be a string of at most ${MAX_NAME} characters`);
  }
  return externalId;
}

const nameTaken = (name: string) =>
  conflict(`A group named "${name}" already exists in this channel (names are compared case-insensitively)`, {
    scimType: 'uniqueness',
  });

/** Ids that cannot name a user are skipped, like ids of users that do not exist (an IdP does not retry a 400). */
const userIdArray = (ids: readonly string[]) => pgArray([...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))]);

/** Up to 20 ids of the changed members, for the audit summary. */
const sampleOf = (cte: string) =>
  `coalesce((select jsonb_agg(user_id) from (select user_id from ${cte} limit 20) s), '[]'::jsonb)`;

/** Creates a directory group with its first members (unknown user ids skipped). */
export async function createDirectoryGroup(
  ctx: DomainContext,
  input: { displayName: string; externalId?: string | null },
  memberIds: readonly string[] = [],
): Promise<DirectoryGroupRecord> {
  const displayName = checkedName(input.displayName);
  const externalId = checkedExternalId(input.externalId);
  try {
    const [row] = await run(
      ctx.em,
      `with new as (
         insert into directory_group (channel_id, display_name, external_id) values (?, ?, ?) returning *
       ), added as (
         insert into directory_group_member (channel_id, directory_group_id, user_id)
         select new.channel_id, new.id, u.id from new
         join app_user u on u.channel_id = new.channel_id and u.id = any(?::uuid[]) and u.removed_at is null
         on conflict do nothing
         returning user_id
       ), audit as (
         ${AUDIT_INSERT}
         select new.channel_id, ?, ?, ?, 'directoryGroup.created', 'directoryGroup', new.id::text,
           jsonb_build_object('displayName', new.display_name, 'externalId', new.external_id,
             'membersAdded', (select count(*) from added), 'members', ${sampleOf('added')})
         from new
       )
       select new.* from new`,
      [ctx.channelId, displayName, externalId, userIdArray(memberIds), ...actorParams(ctx.actor)],
    );
    return toDirectoryGroup(row);
  } catch (error) {
    if (isUniqueViolation(error, NAME_UNIQUE)) throw nameTaken(displayName);
    throw error;
  }
}

/**
 * Changes a directory group in one statement: its name and externalId, its members as set operations, the
 * rename of channel groups matched to its old name (case-insensitive), and the audit event. The version is
 * checked against `ifVersion` (If-Match) under the group's row lock, and bumped.
 */
export async function updateDirectoryGroup(
  ctx: DomainContext,
  id: string,
  change: DirectoryGroupChange,
  options: { ifVersion?: number } = {},
): Promise<DirectoryGroupRecord> {
  if (!isUuid(id)) throw notFound('No such group in this channel');
  const displayName = change.displayName === undefined ? null : checkedName(change.displayName);
  const setExternalId = change.externalId !== undefined;
  const externalId = setExternalId ? checkedExternalId(change.externalId) : null;
  const members = change.members;
  const version = options.ifVersion ?? null;

  // Removal and addition are disjoint (the caller folds its operations), so one statement can do both.
  let removeCondition = 'false';
  let removeIds: string[] = [];
  let addIds: readonly string[] = [];
  if (members?.kind === 'replace') {
    removeCondition = 'not (m.user_id = any(?::uuid[]))';
    removeIds = [userIdArray(members.userIds)];
    addIds = members.userIds;
  } else if (members?.kind === 'delta' && members.remove.length) {
    removeCondition = 'm.user_id = any(?::uuid[])';
    removeIds = [userIdArray(members.remove)];
  }
  if (members?.kind === 'delta') addIds = members.add;

  let row: Record<string, any> | undefined;
  try {
    [row] = await run(
      ctx.em,
      `with old as (
         select * from directory_group where id = ? and channel_id = ? for update
       ), new as (
         update directory_group g set
           display_name = coalesce(?, g.display_name),
           external_id = case when ?::boolean then ? else g.external_id end,
           version = g.version + 1, updated_at = now()
         from old
         where g.id = old.id and (?::int is null or old.version = ?::int)
         returning g.*
       ), renamed as (
         update channel_group c set saml_group_name = new.display_name, updated_at = now()
         from new, old
         where c.channel_id = new.channel_id and lower(c.saml_group_name) = lower(old.display_name)
           and new.display_name is distinct from old.display_name
         returning c.id
       ), removed as (
         delete from directory_group_member m using new
         where m.channel_id = new.channel_id and m.directory_group_id = new.id and ${removeCondition}
         returning m.user_id
       ), added as (
         insert into directory_group_member (channel_id, directory_group_id, user_id)
         select new.channel_id, new.id, u.id from new
         join app_user u on u.channel_id = new.channel_id and u.id = any(?::uuid[]) and u.removed_at is null
         on conflict do nothing
         returning user_id
       ), audit as (
         ${AUDIT_INSERT}
         select new.channel_id, ?, ?, ?,
           case when new.display_name is distinct from old.display_name or new.external_id is distinct from old.external_id
                then 'directoryGroup.updated' else 'directoryGroup.membersChanged' end,
           'directoryGroup', new.id::text,
           jsonb_strip_nulls(jsonb_build_object(
             'displayName', new.display_name,
             'previousDisplayName', case when new.display_name is distinct from old.display_name then old.display_name end,
             'externalId', case when new.external_id is distinct from old.external_id then jsonb_build_array(old.external_id, new.external_id) end,
             'matchedGroupsRenamed', nullif((select count(*) from renamed), 0),
             'membersAdded', nullif((select count(*) from added), 0), 'added', nullif(${sampleOf('added')}, '[]'::jsonb),
             'membersRemoved', nullif((select count(*) from removed), 0), 'removed', nullif(${sampleOf('removed')}, '[]'::jsonb)))
         from new, old
         where new.display_name is distinct from old.display_name or new.external_id is distinct from old.external_id
           or exists (select 1 from added) or exists (select 1 from removed)
       )
       select to_jsonb(new.*) as row, (?::int is null or old.version = ?::int) as version_ok
       from old left join new on true`,
      [
        id,
        ctx.channelId,
        displayName,
        setExternalId,
        externalId,
        version,
        version,
        ...removeIds,
        userIdArray(addIds),
        ...actorParams(ctx.actor),
        version,
        version,
      ],
    );
  } catch (error) {
    if (isUniqueViolation(error, NAME_UNIQUE)) throw nameTaken(displayName ?? '');
    throw error;
  }
  if (!row) throw notFound('No such group in this channel');
  if (!row.version_ok) throw preconditionFailed('The group was changed since the version given (If-Match)');
  return toDirectoryGroup(row.row);
}

/** Deletes a directory group and its memberships; channel groups matched to its name stay matched (and empty). */
export async function deleteDirectoryGroup(
  ctx: DomainContext,
  id: string,
  options: { ifVersion?: number } = {},
): Promise<void> {
  if (!isUuid(id)) throw notFound('No such group in this channel');
  const version = options.ifVersion ?? null;
  const [row] = await run(
    ctx.em,
    `with old as (
       select * from directory_group where id = ? and channel_id = ? for update
     ), gone as (
       delete from directory_group g using old where g.id = old.id and (?::int is null or old.version = ?::int)
       returning g.*
     ), audit as (
       ${AUDIT_INSERT}
       select gone.channel_id, ?, ?, ?, 'directoryGroup.deleted', 'directoryGroup', gone.id::text,
         jsonb_build_object('displayName', gone.display_name, 'externalId', gone.external_id)
       from gone
     )
     select exists (select 1 from gone) as deleted from old`,
    [id, ctx.channelId, version, version, ...actorParams(ctx.actor)],
  );
  if (!row) throw notFound('No such group in this channel');
  if (!row.deleted) throw preconditionFailed('The group was changed since the version given (If-Match)');
}

export function toDirectoryGroup(row: Record<string, any>): DirectoryGroupRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    displayName: row.display_name,
    externalId: row.external_id,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
