import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA, userResourceType } from '../schema/resource-schemas';
import { badRequest } from '../errors';
import { fromStored, etagOf, isoDate, toStored } from './storage-mapping';
import { ScimObject, isObject } from './values';

/** The columns a SCIM user is read from (see queries.ts). */
export interface UserRow {
  id: string;
  email: string;
  email_type: string | null;
  given_name: string | null;
  family_name: string | null;
  display_name: string | null;
  external_id: string | null;
  active: boolean;
  scim: ScimObject;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  groups?: { value: string; display: string }[] | null;
  [column: string]: unknown;
}

/** What the user domain stores for a SCIM user (the domain's UserProfile). */
export interface UserProfileFromScim {
  email: string;
  emailType: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  externalId: string | null;
  active?: boolean;
  scim: ScimObject;
}

/** A stored user as SCIM JSON. `baseUrl` is the absolute SCIM root, e.g. https://roster.example.com/scim/v2. */
export function userToScim(row: UserRow, baseUrl: string): ScimObject {
  const stored = fromStored(userResourceType, row);
  const otherEmails = Array.isArray(row.scim?.emails) ? row.scim.emails : [];
  const { id, externalId, [ENTERPRISE_USER_SCHEMA]: enterprise, ...attributes } = stored;
  const user: ScimObject = {
    schemas: enterprise ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
    id,
    ...(externalId !== undefined ? { externalId } : {}),
    ...attributes,
    active: row.active,
    emails: [{ value: row.email, type: row.email_type ?? 'work', primary: true }, ...otherEmails],
  };
  if (row.groups?.length) {
    user.groups = row.groups.map((group) => ({
      value: group.value,
      $ref: `${baseUrl}/Groups/${group.value}`,
      display: group.display,
      type: 'direct',
    }));
  }
  if (enterprise) user[ENTERPRISE_USER_SCHEMA] = enterprise;
  user.meta = {
    resourceType: 'User',
    created: isoDate(row.created_at),
    lastModified: isoDate(row.updated_at),
    location: `${baseUrl}/Users/${row.id}`,
    version: etagOf(row.version),
  };
  return user;
}

/** Index of the primary email: the one marked primary, else the first. */
function primaryEmailIndex(emails: unknown): number {
  if (!Array.isArray(emails) || emails.length === 0) return -1;
  const marked = emails.findIndex((email) => isObject(email) && email.primary === true);
  return marked === -1 ? 0 : marked;
}

export function primaryEmail(doc: ScimObject): string | undefined {
  const index = primaryEmailIndex(doc.emails);
  if (index === -1) return undefined;
  const value = (doc.emails as ScimObject[])[index]?.value;
  return typeof value === 'string' ? value : undefined;
}

const sameAddress = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * The userName = email rule (DESIGN section 1): userName and the primary email are two views of one address.
 * Without `previous` (POST, PUT) both, when given, must agree. With `previous` (PATCH), the one the request
 * changed carries the other along; changing both to different values is refused.
 * Returns the document with userName and the primary email set to the one address.
 */
export function settleUserName(doc: ScimObject, previous?: ScimObject): ScimObject {
  let userName = typeof doc.userName === 'string' ? doc.userName.trim() : undefined;
  let email = primaryEmail(doc)?.trim();
  if (previous) {
    if (!userName)
      throw badRequest('invalidValue', "userName is required (it is the user's email address); it cannot be removed.");
    const userNameChanged = userName !== previous.userName;
    const emailChanged = email !== primaryEmail(previous);
    if (userNameChanged && !emailChanged && userName) email = userName;
    else if (emailChanged && !userNameChanged && email) userName = email;
  }
  if (userName && email && !sameAddress(userName, email)) {
    throw badRequest(
      'invalidValue',
      `userName "${userName}" and the primary email "${email}" differ. In Roster a user's userName is their email ` +
        'address: send the same value for both (or only one of them).',
    );
  }
  const address = userName || email;
  if (!address) throw badRequest('invalidValue', "userName is required (it is the user's email address).");
  if (address.length > 320) throw badRequest('invalidValue', 'userName is longer than 320 characters.');

  const emails = Array.isArray(doc.emails) ? [...(doc.emails as ScimObject[])] : [];
  const index = primaryEmailIndex(emails);
  if (index === -1) emails.push({ value: address, type: 'work', primary: true });
  else emails[index] = { ...emails[index], value: address, primary: true };
  return { ...doc, userName: address, emails };
}

/** A settled SCIM user document as the domain's profile: columns, and the rest of SCIM in `scim`. */
export function userToProfile(doc: ScimObject): UserProfileFromScim {
  const { columns, scim } = toStored(userResourceType, doc);
  const emails = (doc.emails as ScimObject[]) ?? [];
  const index = primaryEmailIndex(emails);
  const primary = emails[index] ?? {};
  const others = emails.filter((_, i) => i !== index);
  if (others.length) scim.emails = others;
  const profile: UserProfileFromScim = {
    email: String(doc.userName),
    emailType: typeof primary.type === 'string' ? primary.type : 'work',
    givenName: (columns.given_name as string | null) ?? null,
    familyName: (columns.family_name as string | null) ?? null,
    displayName: (columns.display_name as string | null) ?? null,
    externalId: (columns.external_id as string | null) ?? null,
    scim,
  };
  if (typeof doc.active === 'boolean') profile.active = doc.active;
  return profile;
}
