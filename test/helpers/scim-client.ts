import crypto from 'node:crypto';
import { startTestRoster, type TestChannel, type TestRoster } from './roster';
import { generateSigningKey, type SigningKey } from './test-idp';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

let sharedKey: SigningKey | undefined;

/** A channel with SAML configured and a SCIM token: what an administrator sets up before connecting Okta. */
export interface ScimChannel extends TestChannel {
  token: string;
  tokenId: string;
  base: string;
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ScimResponse<T>>;
}

export async function scimChannel(roster: TestRoster, prefix = 'scim'): Promise<ScimChannel> {
  const channel = await roster.createChannel(prefix);
  sharedKey ??= generateSigningKey();
  const saml = await roster.graphql(
    channel.adminApiKey,
    `mutation($input: ConfigureSamlInput!) { configureSaml(input: $input) { idpEntityId } }`,
    {
      input: {
        idpEntityId: `http://idp.example.com/${channel.slug}`,
        ssoUrl: 'https://idp.example.com/sso',
        certificates: [sharedKey.certificatePem],
      },
    },
  );
  if (saml.errors) throw new Error(`configureSaml failed: ${JSON.stringify(saml.errors)}`);
  const issued = await roster.graphql(
    channel.adminApiKey,
    `mutation { issueScimToken(input: { description: "Okta" }) { token scimToken { id } } }`,
  );
  if (issued.errors) throw new Error(`issueScimToken failed: ${JSON.stringify(issued.errors)}`);
  const token = issued.data.issueScimToken.token as string;
  const base = `${roster.url}/scim/v2`;
  return {
    ...channel,
    token,
    tokenId: issued.data.issueScimToken.scimToken.id,
    base,
    request: (method, path, body, headers) => scimRequest(`${base}${path}`, method, token, body, headers),
  };
}

/** One HTTP request as an IdP sends it: bearer token, application/scim+json. */
export async function scimRequest<T = any>(
  url: string,
  method: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ScimResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/scim+json',
      ...(body !== undefined ? { 'content-type': 'application/scim+json; charset=utf-8' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export const uniqueEmail = (name = 'user') => `${name}.${crypto.randomBytes(4).toString('hex')}@example.com`;

/** The user Okta creates (its "Create Okta user with realistic values" shape). */
export function oktaUser(email = uniqueEmail(), overrides: Record<string, unknown> = {}) {
  const [given] = email.split('@');
  return {
    schemas: [USER_SCHEMA],
    userName: email,
    name: { givenName: given, familyName: 'Tester' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: `${given} Tester`,
    locale: 'en-US',
    externalId: `00u${crypto.randomBytes(6).toString('hex')}`,
    groups: [],
    password: 'Okta-Generated-1!',
    active: true,
    ...overrides,
  };
}

export async function createUser(channel: ScimChannel, email = uniqueEmail(), overrides: Record<string, unknown> = {}) {
  const created = await channel.request('POST', '/Users', oktaUser(email, overrides));
  if (created.status !== 201) throw new Error(`POST /Users: ${created.status} ${created.text}`);
  return created.body as { id: string; userName: string; [key: string]: any };
}

export async function createGroup(channel: ScimChannel, displayName: string, memberIds: string[] = []) {
  const created = await channel.request('POST', '/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName,
    members: memberIds.map((value) => ({ value })),
  });
  if (created.status !== 201) throw new Error(`POST /Groups: ${created.status} ${created.text}`);
  return created.body as { id: string; displayName: string; [key: string]: any };
}

export { startTestRoster };
