/** The requests Okta sends, as its SCIM 2.0 integration guide and its traffic show them. */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const benchEmail = (index: number) => `bench.user.${index}@bench.example`;

/** POST /Users: Okta sends a password (accepted, never stored) and an empty groups list. */
export function oktaCreateUser(index: number) {
  const email = benchEmail(index);
  return {
    schemas: [USER_SCHEMA],
    userName: email,
    name: { givenName: `Given${index}`, familyName: `Family${index}` },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: `Given${index} Family${index}`,
    locale: 'en-US',
    externalId: `00ubench${index}`,
    groups: [],
    password: `Pw-${index}-bench!`,
    active: true,
  };
}

/** GET /Users?filter=userName eq "..."&startIndex=1&count=100: Okta's lookup before a create. */
export const oktaLookupPath = (email: string) =>
  `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}&startIndex=1&count=100`;

/** PUT /Users/{id}: Okta's profile push sends back the whole resource it read, id, meta and groups included. */
export function oktaReplaceUser(resource: Record<string, any>, index: number) {
  return {
    ...resource,
    name: { ...resource.name, givenName: `Renamed${index}` },
    displayName: `Renamed${index} Family${index}`,
    title: 'Benchmark engineer',
    groups: [],
    active: true,
  };
}

/** PATCH /Users/{id}: deactivation is a pathless replace. */
export const oktaDeactivate = {
  schemas: [PATCH_SCHEMA],
  Operations: [{ op: 'replace', value: { active: false } }],
};

export const oktaCreateGroup = (displayName: string, members: { value: string; display?: string }[] = []) => ({
  schemas: [GROUP_SCHEMA],
  displayName,
  members,
});

/** PATCH /Groups/{id}: Okta adds members as one `add` with a value list. */
export const oktaAddMembers = (members: { value: string; display?: string }[]) => ({
  schemas: [PATCH_SCHEMA],
  Operations: [{ op: 'add', path: 'members', value: members }],
});

/** PATCH /Groups/{id}: Okta removes members with one `remove` per member, selected by a value filter. */
export const oktaRemoveMembers = (ids: string[]) => ({
  schemas: [PATCH_SCHEMA],
  Operations: ids.map((id) => ({ op: 'remove', path: `members[value eq "${id}"]` })),
});
