import {
  AttributeDeclaration,
  SchemaDeclaration,
  bool,
  complex,
  dateTime,
  multiValued,
  reference,
  text,
} from './attributes';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** id, externalId and meta (RFC 7643 section 3.1): common to every resource type, not part of a schema document. */
function commonAttributes(): AttributeDeclaration[] {
  return [
    text('id', 'A unique identifier for the resource, assigned by Roster.', {
      caseExact: true,
      mutability: 'readOnly',
      returned: 'always',
      uniqueness: 'server',
      storage: { kind: 'column', column: 'id', columnType: 'uuid' },
    }),
    text('externalId', "The identifier of the resource in the provisioning client's own directory.", {
      caseExact: true,
      storage: { kind: 'column', column: 'external_id', columnType: 'text' },
    }),
    complex(
      'meta',
      'Resource metadata.',
      [
        text('resourceType', 'The name of the resource type.', {
          caseExact: true,
          mutability: 'readOnly',
          storage: { kind: 'computed' },
        }),
        dateTime('created', 'When the resource was added to Roster.', {
          mutability: 'readOnly',
          storage: { kind: 'column', column: 'created_at', columnType: 'timestamptz' },
        }),
        dateTime('lastModified', 'When the resource was last changed.', {
          mutability: 'readOnly',
          storage: { kind: 'column', column: 'updated_at', columnType: 'timestamptz' },
        }),
        reference('location', 'The URI of the resource.', ['uri'], {
          mutability: 'readOnly',
          storage: { kind: 'computed' },
        }),
        text('version', 'The version of the resource (a weak ETag).', {
          caseExact: true,
          mutability: 'readOnly',
          storage: { kind: 'computed' },
        }),
      ],
      { mutability: 'readOnly' },
    ),
  ];
}

/** A user's primary address lives in app_user.email (it is also the userName); other addresses in scim.emails. */
const emailsArraySql = (u: string) =>
  `(jsonb_build_array(jsonb_build_object('value', ${u}.email, 'type', coalesce(${u}.email_type, 'work'), 'primary', true))` +
  ` || coalesce(${u}.scim -> 'emails', '[]'::jsonb))`;

export const userSchema: SchemaDeclaration = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'A person of the channel. Their userName is their email address.',
  attributes: [
    text('userName', 'The email address the user signs in with; the same value as their primary email.', {
      required: true,
      uniqueness: 'server',
      storage: { kind: 'column', column: 'email', columnType: 'text' },
    }),
    complex('name', "The components of the user's name.", [
      text('formatted', 'The full name, formatted for display.'),
      text('familyName', 'The family name (last name).', {
        storage: { kind: 'column', column: 'family_name', columnType: 'text' },
      }),
      text('givenName', 'The given name (first name).', {
        storage: { kind: 'column', column: 'given_name', columnType: 'text' },
      }),
      text('middleName', 'The middle name(s).'),
      text('honorificPrefix', 'The honorific prefix(es), e.g. "Ms.".'),
      text('honorificSuffix', 'The honorific suffix(es), e.g. "III".'),
    ]),
    text('displayName', 'The name of the user, suitable for display.', {
      storage: { kind: 'column', column: 'display_name', columnType: 'text' },
    }),
    text('nickName', 'The casual way to address the user.'),
    reference('profileUrl', "A URI of the user's online profile.", ['external']),
    text('title', 'The user\'s title, e.g. "Vice President".'),
    text('userType', 'The relationship between the organization and the user, e.g. "Employee".'),
    text('preferredLanguage', 'The user\'s preferred written or spoken language, e.g. "en-US".'),
    text('locale', 'The user\'s default location for localization, e.g. "en-US".'),
    text('timezone', 'The user\'s time zone in IANA format, e.g. "America/Los_Angeles".'),
    bool('active', 'Whether the user may sign in. Deactivated users keep their profile and content.', {
      storage: { kind: 'column', column: 'active', columnType: 'boolean' },
    }),
    text('password', 'Accepted for compatibility and never stored: users sign in through SAML single sign-on.', {
      mutability: 'writeOnly',
      returned: 'never',
      storage: { kind: 'none' },
    }),
    multiValued('emails', 'Email addresses. The primary one is the userName.', {
      canonicalTypes: ['work', 'home', 'other'],
      storage: { kind: 'elements', arraySql: emailsArraySql },
    }),
    multiValued('phoneNumbers', 'Phone numbers.', {
      canonicalTypes: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    }),
    multiValued('ims', 'Instant messaging addresses.', {
      canonicalTypes: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
    }),
    multiValued('photos', 'URLs of photos of the user.', {
      valueType: 'reference',
      referenceTypes: ['external'],
      canonicalTypes: ['photo', 'thumbnail'],
    }),
    multiValued('addresses', 'Physical mailing addresses.', {
      withoutValue: true,
      canonicalTypes: ['work', 'home', 'other'],
      extra: [
        text('formatted', 'The full mailing address, formatted for display.'),
        text('streetAddress', 'The street address.'),
        text('locality', 'The city or locality.'),
        text('region', 'The state or region.'),
        text('postalCode', 'The zip or postal code.'),
        text('country', 'The country, as an ISO 3166-1 alpha-2 code.'),
      ],
    }),
    {
      ...multiValued('groups', 'The directory groups the user belongs to (read-only: change them through /Groups).', {
        mutability: 'readOnly',
        canonicalTypes: ['direct', 'indirect'],
        extra: [reference('$ref', 'The URI of the group.', ['Group'], { mutability: 'readOnly' })],
        storage: {
          kind: 'relation',
          from: (u, el) =>
            `directory_group_member ${el}_m join directory_group ${el} on ${el}.channel_id = ${el}_m.channel_id` +
            ` and ${el}.id = ${el}_m.directory_group_id` +
            ` where ${el}_m.channel_id = ${u}.channel_id and ${el}_m.user_id = ${u}.id`,
          subColumns: {
            value: { sql: (el) => `${el}.id`, columnType: 'uuid' },
            display: { sql: (el) => `${el}.display_name`, columnType: 'text' },
            type: { sql: () => `'direct'`, columnType: 'text' },
          },
        },
      }),
    },
    multiValued('entitlements', 'Entitlements of the user.'),
    multiValued('roles', 'Roles of the user (as the identity provider names them).'),
    multiValued('x509Certificates', 'X.509 certificates of the user (base64 DER).', { valueType: 'binary' }),
  ],
};

export const enterpriseUserSchema: SchemaDeclaration = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    text('employeeNumber', 'A string identifier, typically numeric or alphanumeric, assigned to a person.'),
    text('costCenter', 'The name of a cost center.'),
    text('organization', 'The name of an organization.'),
    text('division', 'The name of a division.'),
    text('department', 'The name of a department.'),
    complex('manager', "The user's manager. Identity providers may send it as a bare id.", [
      text('value', 'The id of the manager.', { caseExact: true }),
      reference('$ref', 'The URI of the manager.', ['User']),
      text('displayName', 'The display name of the manager.', { mutability: 'readOnly' }),
    ]),
  ],
};

export const groupSchema: SchemaDeclaration = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'A directory group pushed by the identity provider.',
  attributes: [
    text('displayName', 'The name of the group, unique in the channel (case-insensitive).', {
      required: true,
      uniqueness: 'server',
      storage: { kind: 'column', column: 'display_name', columnType: 'text' },
    }),
    {
      ...complex(
        'members',
        'The users in the group. Ids that do not name a user of the channel are skipped.',
        [
          text('value', 'The id of the member.', { caseExact: true, mutability: 'immutable' }),
          reference('$ref', 'The URI of the member.', ['User'], { mutability: 'immutable' }),
          text('display', 'The display name of the member.', { mutability: 'readOnly' }),
          text('type', 'The type of the member.', {
            caseExact: false,
            canonicalValues: ['User'],
            mutability: 'immutable',
          }),
        ],
        { multiValued: true },
      ),
      storage: {
        kind: 'relation',
        from: (g, el) =>
          `directory_group_member ${el}_m join app_user ${el} on ${el}.channel_id = ${el}_m.channel_id` +
          ` and ${el}.id = ${el}_m.user_id` +
          ` where ${el}_m.channel_id = ${g}.channel_id and ${el}_m.directory_group_id = ${g}.id`,
        subColumns: {
          value: { sql: (el) => `${el}.id`, columnType: 'uuid' },
          display: { sql: (el) => `coalesce(${el}.display_name, ${el}.email)`, columnType: 'text' },
          type: { sql: () => `'User'`, columnType: 'text' },
        },
      },
    },
  ],
};

/** A resource type: its endpoint, core schema, extensions and the table that holds it. */
export interface ResourceTypeDeclaration {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  description: string;
  schema: SchemaDeclaration;
  extensions: SchemaDeclaration[];
  common: AttributeDeclaration[];
  table: string;
  alias: string;
}

export const userResourceType: ResourceTypeDeclaration = {
  name: 'User',
  endpoint: '/Users',
  description: 'People of the channel',
  schema: userSchema,
  extensions: [enterpriseUserSchema],
  common: commonAttributes(),
  table: 'app_user',
  alias: 'u',
};

export const groupResourceType: ResourceTypeDeclaration = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Directory groups pushed by the identity provider',
  schema: groupSchema,
  extensions: [],
  common: commonAttributes(),
  table: 'directory_group',
  alias: 'g',
};

export const resourceTypes = [userResourceType, groupResourceType];
