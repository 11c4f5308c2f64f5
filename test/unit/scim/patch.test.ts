import { applyPatch, readPatchRequest, PATCH_OP_SCHEMA, PatchOperation } from '../../../src/scim/patch/patch-engine';
import { MemberChangeCollector } from '../../../src/scim/patch/member-changes';
import { ENTERPRISE_USER_SCHEMA, groupResourceType, userResourceType } from '../../../src/scim/schema/resource-schemas';
import { ScimError } from '../../../src/scim/errors';
import { settleUserName, userToProfile } from '../../../src/scim/resources/user-mapper';
import { normalizeResource } from '../../../src/scim/resources/values';

const alice = () => ({
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  active: true,
});

const patch = (doc: Record<string, unknown>, ...operations: PatchOperation[]) =>
  applyPatch(userResourceType, doc, operations);

function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('PatchOp request', () => {
  it('accepts capitalized ops (Entra) and lower-cases them', () => {
    const ops = readPatchRequest({
      schemas: [PATCH_OP_SCHEMA],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Remove', path: 'title' },
      ],
    });
    expect(ops).toEqual([
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'remove', path: 'title' },
    ]);
  });

  it.each([
    [{ Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: [] }, 'invalidSyntax'],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'merge', path: 'title', value: 'x' }] }, 'invalidSyntax'],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'title' }] }, 'invalidValue'],
    [{ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 7, value: 'x' }] }, 'invalidPath'],
  ])('refuses malformed request %#', (body, scimType) => {
    expect(scimError(() => readPatchRequest(body)).scimType).toBe(scimType);
  });
});

describe('PATCH engine on a user', () => {
  it('deactivates with a pathless replace, accepting "False" as a string (Okta, Entra)', () => {
    expect(patch(alice(), { op: 'replace', value: { active: false } }).active).toBe(false);
    expect(patch(alice(), { op: 'replace', path: 'active', value: 'False' }).active).toBe(false);
    expect(patch({ ...alice(), active: false }, { op: 'replace', value: { active: 'True' } }).active).toBe(true);
  });

  it('applies pathless values with dotted and URN keys (Entra)', () => {
    const result = patch(alice(), {
      op: 'replace',
      value: {
        'name.givenName': 'Alicia',
        [`${ENTERPRISE_USER_SCHEMA}:employeeNumber`]: '42',
        [`${ENTERPRISE_USER_SCHEMA}:manager`]: 'b7a2d0f4-0000-4000-8000-000000000001',
        title: 'Queen',
        id: 'ignored',
      },
    });
    expect(result.name).toEqual({ givenName: 'Alicia', familyName: 'Liddell' });
    expect(result[ENTERPRISE_USER_SCHEMA]).toEqual({
      employeeNumber: '42',
      manager: { value: 'b7a2d0f4-0000-4000-8000-000000000001' },
    });
    expect(result.title).toBe('Queen');
    expect(result.id).toBeUndefined();
  });

  it('accepts an extension object as a pathless value', () => {
    const result = patch(alice(), { op: 'add', value: { [ENTERPRISE_USER_SCHEMA]: { department: 'Cards' } } });
    expect(result[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Cards' });
  });

  it('takes a whole extension as the path, its value holding the extension attributes', () => {
    const added = patch(alice(), {
      op: 'add',
      path: ENTERPRISE_USER_SCHEMA,
      value: { department: 'Cards', costCenter: 7 },
    });
    expect(added[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Cards', costCenter: '7' });
    expect(patch(added, { op: 'remove', path: ENTERPRISE_USER_SCHEMA })[ENTERPRISE_USER_SCHEMA]).toBeUndefined();
  });

  it('creates emails[type eq "work"] when the user has no work email yet', () => {
    const doc = { userName: 'a@x', emails: [{ value: 'a@x', type: 'home', primary: true }] };
    const result = patch(doc, { op: 'replace', path: 'emails[type eq "work"].value', value: 'w@x' });
    expect(result.emails).toEqual([
      { value: 'a@x', type: 'home', primary: true },
      { type: 'work', value: 'w@x' },
    ]);
  });

  it('replaces the sub-attribute of the matching entry only', () => {
    const doc = {
      ...alice(),
      phoneNumbers: [
        { value: '1', type: 'work' },
        { value: '2', type: 'mobile' },
      ],
    };
    const result = patch(doc, { op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '3' });
    expect(result.phoneNumbers).toEqual([
      { value: '1', type: 'work' },
      { value: '3', type: 'mobile' },
    ]);
  });

  it('adds to multi-valued attributes, merging entries with the same value', () => {
    const doc = { ...alice(), phoneNumbers: [{ value: '1', type: 'work' }] };
    const result = patch(doc, {
      op: 'add',
      path: 'phoneNumbers',
      value: [{ value: '1', primary: true }, { value: '2' }],
    });
    expect(result.phoneNumbers).toEqual([{ value: '1', type: 'work', primary: true }, { value: '2' }]);
  });

  it('keeps one primary: setting a new primary clears the old one', () => {
    const doc = { ...alice(), phoneNumbers: [{ value: '1', primary: true }, { value: '2' }] };
    const result = patch(doc, { op: 'replace', path: 'phoneNumbers[value eq "2"].primary', value: true });
    expect(result.phoneNumbers).toEqual([
      { value: '1', primary: false },
      { value: '2', primary: true },
    ]);
  });

  it('removes by filter, by sub-attribute, by value list, and whole attributes', () => {
    const doc = {
      ...alice(),
      title: 't',
      phoneNumbers: [
        { value: '1', type: 'work' },
        { value: '2', type: 'mobile' },
      ],
    };
    expect(patch(doc, { op: 'remove', path: 'phoneNumbers[type eq "work"]' }).phoneNumbers).toEqual([
      { value: '2', type: 'mobile' },
    ]);
    expect(patch(doc, { op: 'remove', path: 'phoneNumbers[type eq "work"].type' }).phoneNumbers).toEqual([
      { value: '1' },
      { value: '2', type: 'mobile' },
    ]);
    expect(patch(doc, { op: 'remove', path: 'phoneNumbers', value: [{ value: '2' }] }).phoneNumbers).toEqual([
      { value: '1', type: 'work' },
    ]);
    expect(patch(doc, { op: 'remove', path: 'title' }).title).toBeUndefined();
    expect(patch(doc, { op: 'remove', path: 'name.givenName' }).name).toEqual({ familyName: 'Liddell' });
  });

  it('merges a replaced complex attribute (sub-attributes not named stay)', () => {
    expect(patch(alice(), { op: 'replace', path: 'name', value: { givenName: 'Al' } }).name).toEqual({
      givenName: 'Al',
      familyName: 'Liddell',
    });
  });

  it('applies operations in order and does not change the input', () => {
    const doc = alice();
    const result = patch(
      doc,
      { op: 'replace', path: 'title', value: 'a' },
      { op: 'replace', path: 'title', value: 'b' },
    );
    expect(result.title).toBe('b');
    expect(doc).toEqual(alice());
  });

  it('refuses unknown paths, read-only attributes, wrong types and pathless remove with the right scimType', () => {
    expect(scimError(() => patch(alice(), { op: 'replace', path: 'shoeSize', value: 9 })).scimType).toBe('invalidPath');
    expect(scimError(() => patch(alice(), { op: 'replace', path: 'emails[type eq', value: 9 })).scimType).toBe(
      'invalidPath',
    );
    expect(scimError(() => patch(alice(), { op: 'replace', path: 'id', value: 'x' })).scimType).toBe('mutability');
    expect(scimError(() => patch(alice(), { op: 'add', path: 'groups', value: [{ value: 'g' }] })).scimType).toBe(
      'mutability',
    );
    expect(scimError(() => patch(alice(), { op: 'replace', path: 'active', value: 'maybe' })).scimType).toBe(
      'invalidValue',
    );
    expect(scimError(() => patch(alice(), { op: 'replace', path: 'name', value: 'Alice' })).scimType).toBe(
      'invalidValue',
    );
    expect(scimError(() => patch(alice(), { op: 'remove' })).scimType).toBe('noTarget');
    expect(
      scimError(() => patch(alice(), { op: 'replace', path: 'emails[type co "zz"].value', value: 'x' })).scimType,
    ).toBe('noTarget');
  });

  it('accepts and drops a password', () => {
    expect(patch(alice(), { op: 'replace', path: 'password', value: 'secret' }).password).toBeUndefined();
  });
});

describe('userName = email', () => {
  it('refuses a request that sets them to different values', () => {
    const error = scimError(() => settleUserName({ userName: 'a@x', emails: [{ value: 'b@x', primary: true }] }));
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toContain('userName');
  });

  it('accepts the same address in another letter case, and fills in the missing view', () => {
    expect(settleUserName({ userName: 'A@x', emails: [{ value: 'a@x', primary: true }] }).userName).toBe('A@x');
    expect(settleUserName({ userName: 'a@x' }).emails).toEqual([{ value: 'a@x', type: 'work', primary: true }]);
    expect(settleUserName({ emails: [{ value: 'a@x', type: 'work' }] }).userName).toBe('a@x');
  });

  it('on PATCH, carries the changed view over to the other', () => {
    const before = settleUserName(alice());
    const renamed = patch(before, { op: 'replace', path: 'userName', value: 'al@example.com' });
    expect(settleUserName(renamed, before).emails).toEqual([{ value: 'al@example.com', type: 'work', primary: true }]);
    const moved = patch(before, { op: 'replace', path: 'emails[type eq "work"].value', value: 'al@example.com' });
    expect(settleUserName(moved, before).userName).toBe('al@example.com');
    const both = patch(before, {
      op: 'replace',
      value: { userName: 'x@example.com', 'emails[type eq "work"].value': 'y@example.com' },
    });
    expect(scimError(() => settleUserName(both, before)).scimType).toBe('invalidValue');
  });

  it('maps a SCIM user to the domain profile: columns, the primary email, the rest in scim', () => {
    const doc = settleUserName(
      normalizeResource(userResourceType, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'a@x',
        name: { givenName: 'A', middleName: 'M' },
        emails: [
          { value: 'a@x', type: 'work', primary: true },
          { value: 'home@x', type: 'home' },
        ],
        title: 'T',
        password: 'p',
        groups: [],
        unknownThing: 1,
        [ENTERPRISE_USER_SCHEMA]: { department: 'D' },
      }),
    );
    expect(userToProfile(doc)).toEqual({
      email: 'a@x',
      emailType: 'work',
      givenName: 'A',
      familyName: null,
      displayName: null,
      externalId: null,
      scim: {
        name: { middleName: 'M' },
        title: 'T',
        emails: [{ value: 'home@x', type: 'home' }],
        [ENTERPRISE_USER_SCHEMA]: { department: 'D' },
      },
    });
  });
});

describe('group member operations', () => {
  const memberPatch = (...operations: PatchOperation[]) => {
    const collector = new MemberChangeCollector();
    const doc = applyPatch(groupResourceType, { displayName: 'G' }, operations, collector.handle);
    return { doc, changes: collector.result() };
  };

  it('folds add and remove in order into one delta', () => {
    const { changes } = memberPatch(
      { op: 'add', path: 'members', value: [{ value: 'A' }, { value: 'b' }] },
      { op: 'remove', path: 'members[value eq "b"]' },
      { op: 'Remove' as 'remove', path: 'members', value: [{ value: 'c' }] },
    );
    expect(changes).toEqual({ kind: 'delta', add: new Set(['a']), remove: new Set(['b', 'c']) });
  });

  it('treats replace of members, and remove without a value, as a full replacement', () => {
    expect(memberPatch({ op: 'replace', path: 'members', value: [{ value: 'x' }] }).changes).toEqual({
      kind: 'replace',
      members: new Set(['x']),
    });
    expect(
      memberPatch({ op: 'remove', path: 'members' }, { op: 'add', path: 'members', value: [{ value: 'y' }] }).changes,
    ).toEqual({
      kind: 'replace',
      members: new Set(['y']),
    });
  });

  it('renames with a pathless replace that carries the id (Okta)', () => {
    const { doc, changes } = memberPatch({ op: 'replace', value: { id: 'g1', displayName: 'New name' } });
    expect(doc).toEqual({ displayName: 'New name' });
    expect(changes).toBeUndefined();
  });

  it('reads ids from members filters joined by or, and refuses other member filters', () => {
    expect(memberPatch({ op: 'remove', path: 'members[value eq "a" or value eq "b"]' }).changes).toEqual({
      kind: 'delta',
      add: new Set(),
      remove: new Set(['a', 'b']),
    });
    expect(scimError(() => memberPatch({ op: 'remove', path: 'members[display eq "a"]' })).scimType).toBe(
      'invalidFilter',
    );
    expect(scimError(() => memberPatch({ op: 'add', path: 'members', value: [{ display: 'x' }] })).scimType).toBe(
      'invalidValue',
    );
  });
});
