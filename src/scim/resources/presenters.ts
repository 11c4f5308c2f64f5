import { ResourceTypeDeclaration, groupResourceType, userResourceType } from '../schema/resource-schemas';
import { GroupRow, groupToScim } from './group-mapper';
import { UserRow, userToScim } from './user-mapper';
import { ScimObject } from './values';

/** How rows of a resource type become SCIM JSON, and which attribute is read from another table only on demand. */
export interface ResourcePresenter {
  resourceType: ResourceTypeDeclaration;
  relation: 'groups' | 'members';
  toScim(row: Record<string, unknown>, baseUrl: string): ScimObject;
}

export const userPresenter: ResourcePresenter = {
  resourceType: userResourceType,
  relation: 'groups',
  toScim: (row, baseUrl) => userToScim(row as UserRow, baseUrl),
};

export const groupPresenter: ResourcePresenter = {
  resourceType: groupResourceType,
  relation: 'members',
  toScim: (row, baseUrl) => groupToScim(row as GroupRow, baseUrl),
};
