import { operation, type Operation } from './client';

/*
 * Every operation the console sends, each with hand-written types for its result and variables. They
 * follow schema/schema.graphql; a field renamed there shows up here as an API error in the console.
 */

export type Role = 'ADMIN' | 'MEMBER';
export type ViewerKind = 'PLATFORM' | 'ADMIN_KEY' | 'SESSION';

export interface PageInfo {
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  nodes: T[];
}

export interface PageVariables {
  first?: number;
  after?: string | null;
}

// --- Who is signed in ---

export interface ChannelSummary {
  id: string;
  slug: string;
  name: string;
}

export interface ViewerData {
  viewer: {
    kind: ViewerKind;
    channel: ChannelSummary | null;
    user: { id: string; email: string; role: Role } | null;
  };
}

export const VIEWER = operation<ViewerData>(`
  query ConsoleViewer {
    viewer { kind channel { id slug name } user { id email role } }
  }
`);

// --- Single sign-on & provisioning ---

export interface Certificate {
  fingerprintSha256: string;
  pem: string;
  subject: string | null;
  issuer: string | null;
  notBefore: string | null;
  notAfter: string | null;
}

export interface SamlConfig {
  idpEntityId: string;
  ssoUrl: string;
  groupsAttribute: string;
  allowIdpInitiated: boolean;
  jitProvisioning: boolean;
  allowSha1: boolean;
  updatedAt: string;
  certificates: Certificate[];
}

export interface ScimToken {
  id: string;
  prefix: string;
  description: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface SingleSignOnData {
  channel: ChannelSummary & {
    serviceProvider: { entityId: string; acsUrl: string; metadataUrl: string; loginUrl: string };
    scimBaseUrl: string;
    samlConfig: SamlConfig | null;
    scimTokens: ScimToken[];
  };
}

const SAML_CONFIG_FIELDS = `
  idpEntityId ssoUrl groupsAttribute allowIdpInitiated jitProvisioning allowSha1 updatedAt
  certificates { fingerprintSha256 pem subject issuer notBefore notAfter }
`;
const SCIM_TOKEN_FIELDS = 'id prefix description createdAt lastUsedAt revokedAt';

export const SINGLE_SIGN_ON = operation<SingleSignOnData>(`
  query SingleSignOnPage {
    channel {
      id slug name
      serviceProvider { entityId acsUrl metadataUrl loginUrl }
      scimBaseUrl
      samlConfig { ${SAML_CONFIG_FIELDS} }
      scimTokens { ${SCIM_TOKEN_FIELDS} }
    }
  }
`);

export interface ConfigureSamlInput {
  metadataXml?: string;
  idpEntityId?: string;
  ssoUrl?: string;
  certificates?: string[];
  groupsAttribute?: string;
  allowIdpInitiated: boolean;
  jitProvisioning: boolean;
  allowSha1: boolean;
}

export const CONFIGURE_SAML = operation<{ configureSaml: SamlConfig }, { input: ConfigureSamlInput }>(`
  mutation ConfigureSaml($input: ConfigureSamlInput!) {
    configureSaml(input: $input) { ${SAML_CONFIG_FIELDS} }
  }
`);

export const ISSUE_SCIM_TOKEN = operation<
  { issueScimToken: { token: string; scimToken: ScimToken } },
  { input: { description?: string | null } }
>(`
  mutation IssueScimToken($input: IssueScimTokenInput) {
    issueScimToken(input: $input) { token scimToken { ${SCIM_TOKEN_FIELDS} } }
  }
`);

export const REVOKE_SCIM_TOKEN = operation<{ revokeScimToken: ScimToken }, { id: string }>(`
  mutation RevokeScimToken($id: ID!) {
    revokeScimToken(id: $id) { ${SCIM_TOKEN_FIELDS} }
  }
`);

// --- Groups ---

export interface Member {
  id: string;
  email: string;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  active: boolean;
}

export interface Group {
  id: string;
  name: string;
  samlGroupName: string | null;
  isSamlManaged: boolean;
  createdAt: string;
  members: { totalCount: number };
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
  memberCount: number;
}

export const GROUPS = operation<
  { channel: { id: string; groups: Connection<Group>; directoryGroups: Connection<DirectoryGroup> } },
  PageVariables
>(`
  query GroupsPage($first: Int, $after: String) {
    channel {
      id
      groups(first: $first, after: $after) {
        totalCount pageInfo { endCursor hasNextPage }
        nodes { id name samlGroupName isSamlManaged createdAt members(first: 0) { totalCount } }
      }
      directoryGroups(first: 100) { totalCount pageInfo { endCursor hasNextPage } nodes { id displayName memberCount } }
    }
  }
`);

export const GROUP_MEMBERS = operation<
  {
    channel: {
      id: string;
      group: (Omit<Group, 'members'> & { members: Connection<Member> }) | null;
    };
  },
  PageVariables & { id: string }
>(`
  query GroupMembers($id: ID!, $first: Int, $after: String) {
    channel {
      id
      group(id: $id) {
        id name samlGroupName isSamlManaged createdAt
        members(first: $first, after: $after) {
          totalCount pageInfo { endCursor hasNextPage }
          nodes { id email displayName givenName familyName active }
        }
      }
    }
  }
`);

const GROUP_FIELDS = 'id name samlGroupName isSamlManaged createdAt members(first: 0) { totalCount }';

export const CREATE_GROUP = operation<
  { createGroup: Group },
  { input: { name: string; samlGroupName?: string | null } }
>(`
  mutation CreateGroup($input: CreateGroupInput!) { createGroup(input: $input) { ${GROUP_FIELDS} } }
`);

export const UPDATE_GROUP = operation<
  { updateGroup: Group },
  { id: string; input: { name?: string; samlGroupName?: string | null } }
>(`
  mutation UpdateGroup($id: ID!, $input: UpdateGroupInput!) { updateGroup(id: $id, input: $input) { ${GROUP_FIELDS} } }
`);

export const DELETE_GROUP = operation<{ deleteGroup: boolean }, { id: string }>(`
  mutation DeleteGroup($id: ID!) { deleteGroup(id: $id) }
`);

export const ADD_GROUP_MEMBERS = operation<{ addGroupMembers: Group }, { groupId: string; userIds: string[] }>(`
  mutation AddGroupMembers($groupId: ID!, $userIds: [ID!]!) {
    addGroupMembers(groupId: $groupId, userIds: $userIds) { ${GROUP_FIELDS} }
  }
`);

export const REMOVE_GROUP_MEMBERS = operation<{ removeGroupMembers: Group }, { groupId: string; userIds: string[] }>(`
  mutation RemoveGroupMembers($groupId: ID!, $userIds: [ID!]!) {
    removeGroupMembers(groupId: $groupId, userIds: $userIds) { ${GROUP_FIELDS} }
  }
`);

// --- Users ---

export interface UserRow {
  id: string;
  email: string;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  active: boolean;
  role: Role;
  externalId: string | null;
  createdAt: string;
}

export interface UserDetail extends UserRow {
  updatedAt: string;
  groups: { id: string; name: string; isSamlManaged: boolean }[];
  videos: { id: string; title: string; createdAt: string }[];
}

const USER_ROW_FIELDS = 'id email displayName givenName familyName active role externalId createdAt';

export const USERS = operation<
  { channel: { id: string; users: Connection<UserRow> } },
  PageVariables & { query?: string | null; active?: boolean | null }
>(`
  query UsersPage($first: Int, $after: String, $query: String, $active: Boolean) {
    channel {
      id
      users(first: $first, after: $after, query: $query, active: $active) {
        totalCount pageInfo { endCursor hasNextPage }
        nodes { ${USER_ROW_FIELDS} }
      }
    }
  }
`);

const USER_DETAIL_FIELDS = `${USER_ROW_FIELDS} updatedAt groups { id name isSamlManaged } videos { id title createdAt }`;

export const USER_DETAIL = operation<{ channel: { id: string; user: UserDetail | null } }, { id: string }>(`
  query UserDetail($id: ID!) { channel { id user(id: $id) { ${USER_DETAIL_FIELDS} } } }
`);

export const SET_USER_ACTIVE = operation<{ setUserActive: UserDetail }, { id: string; active: boolean }>(`
  mutation SetUserActive($id: ID!, $active: Boolean!) { setUserActive(id: $id, active: $active) { ${USER_DETAIL_FIELDS} } }
`);

export const SET_USER_ROLE = operation<{ setUserRole: UserDetail }, { id: string; role: Role }>(`
  mutation SetUserRole($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { ${USER_DETAIL_FIELDS} } }
`);

// --- Provisioning log ---

export interface AuditEvent {
  id: string;
  at: string;
  action: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  targetType: string | null;
  targetId: string | null;
  summary: Record<string, unknown>;
}

export const AUDIT_EVENTS = operation<
  { channel: { id: string; auditEvents: Connection<AuditEvent> } },
  PageVariables & { action?: string | null; targetId?: string | null }
>(`
  query ProvisioningLog($first: Int, $after: String, $action: String, $targetId: ID) {
    channel {
      id
      auditEvents(first: $first, after: $after, action: $action, targetId: $targetId) {
        totalCount pageInfo { endCursor hasNextPage }
        nodes { id at action actorType actorId actorLabel targetType targetId summary }
      }
    }
  }
`);

/**
 * The emails of up to 100 users named by id in a page of the log (variables $u0 … $uN, one aliased
 * `user` field each; the API batches them), and the channel's group names.
 */
const auditNamesCache = new Map<number, Operation<AuditNamesData, Record<string, string>>>();
export interface AuditNamesData {
  channel: Record<string, unknown> & { groups: { nodes: { id: string; name: string }[] } };
}
export function AUDIT_NAMES(count: number): Operation<AuditNamesData, Record<string, string>> {
  let op = auditNamesCache.get(count);
  if (!op) {
    const indexes = Array.from({ length: count }, (_, i) => i);
    const variables = indexes.map((i) => `$u${i}: ID!`).join(', ');
    const fields = indexes.map((i) => `u${i}: user(id: $u${i}) { id email }`).join(' ');
    op = operation<AuditNamesData, Record<string, string>>(`
      query ProvisioningLogNames${count > 0 ? `(${variables})` : ''} {
        channel { id ${fields} groups(first: 200) { nodes { id name } } }
      }
    `);
    auditNamesCache.set(count, op);
  }
  return op;
}
