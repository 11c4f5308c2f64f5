import { project, projectionIncludes, readProjection } from '../../../src/scim/projection';
import {
  ENTERPRISE_USER_SCHEMA,
  USER_SCHEMA,
  groupResourceType,
  userResourceType,
} from '../../../src/scim/schema/resource-schemas';
import { userToScim } from '../../../src/scim/resources/user-mapper';
import { describeAttribute } from '../../../src/scim/schema/attributes';

const row = {
  id: '0b8f2c36-4b5e-4c4b-9d3f-1f2a3b4c5d6e',
  email: 'ada@example.com',
  email_type: null,
  given_name: 'Ada',
  family_name: 'Lovelace',
  display_name: 'Ada Lovelace',
  external_id: 'ext-1',
  active: true,
  scim: {
    title: 'Countess',
    name: { middleName: 'King' },
    emails: [{ value: 'ada@home.example.org', type: 'home' }],
    [ENTERPRISE_USER_SCHEMA]: { department: 'Analytical Engines' },
  },
  version: 3,
  created_at: new Date('2026-01-01T00:00:00Z'),
  updated_at: new Date('2026-01-02T00:00:00Z'),
  groups: [{ value: 'g1', display: 'Mathematicians' }],
};
const user = userToScim(row, 'https://roster.example.com/scim/v2');

describe('user mapper', () => {
  it('assembles the SCIM user from columns and the scim column, with meta and groups', () => {
    expect(user).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      id: row.id,
      externalId: 'ext-1',
      userName: 'ada@example.com',
      name: { familyName: 'Lovelace', givenName: 'Ada', middleName: 'King' },
      displayName: 'Ada Lovelace',
      title: 'Countess',
      active: true,
      emails: [
        { value: 'ada@example.com', type: 'work', primary: true },
        { value: 'ada@home.example.org', type: 'home' },
      ],
      groups: [
        {
          value: 'g1',
          $ref: 'https://roster.example.com/scim/v2/Groups/g1',
          display: 'Mathematicians',
          type: 'direct',
        },
      ],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Analytical Engines' },
      meta: {
        resourceType: 'User',
        created: '2026-01-01T00:00:00.000Z',
        lastModified: '2026-01-02T00:00:00.000Z',
        location: `https://roster.example.com/scim/v2/Users/${row.id}`,
        version: 'W/"3"',
      },
    });
  });
});

describe('projection', () => {
  const view = (attributes?: string, excluded?: string) =>
    project(userResourceType, user, readProjection(userResourceType, attributes, excluded));

  it('returns only the named attributes (sub-attributes and URN-qualified ones too), and always id', () => {
    expect(view('emails.value,urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department')).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      id: row.id,
      emails: [{ value: 'ada@example.com' }, { value: 'ada@home.example.org' }],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Analytical Engines' },
    });
    expect(view('meta.version,NAME.GIVENNAME')).toEqual({
      schemas: [USER_SCHEMA],
      id: row.id,
      meta: { version: 'W/"3"' },
      name: { givenName: 'Ada' },
    });
  });

  it('leaves out excluded attributes but never id, and drops an emptied extension from schemas', () => {
    const result = view(undefined, `id,groups,name.middleName,${ENTERPRISE_USER_SCHEMA}`);
    expect(result.id).toBe(row.id);
    expect(result.groups).toBeUndefined();
    expect(result.name).toEqual({ familyName: 'Lovelace', givenName: 'Ada' });
    expect(result[ENTERPRISE_USER_SCHEMA]).toBeUndefined();
    expect(result.schemas).toEqual([USER_SCHEMA]);
  });

  it("tells the SQL layer whether a group's members will be shown", () => {
    const includes = (attributes?: string, excluded?: string) =>
      projectionIncludes(readProjection(groupResourceType, attributes, excluded), 'members');
    expect(includes()).toBe(true);
    expect(includes(undefined, 'members')).toBe(false);
    expect(includes('displayName')).toBe(false);
    expect(includes('members.value')).toBe(true);
    expect(includes(undefined, 'members.display')).toBe(true);
  });
});

describe('schema documents', () => {
  it('describe attributes by their declared characteristics', () => {
    const emails = userResourceType.schema.attributes.find((attribute) => attribute.name === 'emails')!;
    expect(describeAttribute(emails)).toMatchObject({
      name: 'emails',
      type: 'complex',
      multiValued: true,
      mutability: 'readWrite',
      returned: 'default',
      subAttributes: [
        { name: 'value', type: 'string', caseExact: false },
        { name: 'display' },
        { name: 'type', canonicalValues: ['work', 'home', 'other'] },
        { name: 'primary', type: 'boolean' },
      ],
    });
    const password = userResourceType.schema.attributes.find((attribute) => attribute.name === 'password')!;
    expect(describeAttribute(password)).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  });
});
