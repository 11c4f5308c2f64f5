/**
 * Drives a channel's SAML sign-in over HTTP the way a browser and an IdP do: the admin API configures the
 * channel (from the test IdP's metadata), the browser follows /login to the IdP, and the test IdP's
 * response is POSTed to the ACS as an HTML form.
 */
import { inflateRawSync } from 'node:zlib';
import type { TestChannel, TestRoster } from '../../../helpers/roster';
import { createTestIdp, type ResponseOptions, type TestIdp } from '../../../helpers/test-idp';

export interface SamlFlags {
  groupsAttribute?: string;
  allowIdpInitiated?: boolean;
  jitProvisioning?: boolean;
  allowSha1?: boolean;
}

export interface ServiceProvider {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
  loginUrl: string;
}

export interface UserView {
  id: string;
  email: string;
  active: boolean;
  role: 'ADMIN' | 'MEMBER';
  givenName: string | null;
  familyName: string | null;
  groups: { name: string }[];
}

export interface AuditView {
  action: string;
  actorType: string;
  actorLabel: string | null;
  targetId: string | null;
  summary: Record<string, any>;
}

export const SESSION_COOKIE = 'roster_session';

export class SamlChannel {
  flags: SamlFlags = {};
  extraCertificates: string[] = [];

  constructor(
    readonly roster: TestRoster,
    readonly channel: TestChannel,
    readonly idp: TestIdp,
    readonly sp: ServiceProvider,
    /** Where requests go (a second Roster on the same database may share the channel). */
    readonly baseUrl: string = roster.url,
  ) {}

  static async create(roster: TestRoster, flags: SamlFlags = {}, idp: TestIdp = createTestIdp()): Promise<SamlChannel> {
    const channel = await roster.createChannel('saml');
    const result = await roster.graphql(
      channel.adminApiKey,
      '{ channel { serviceProvider { entityId acsUrl metadataUrl loginUrl } } }',
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const saml = new SamlChannel(roster, channel, idp, result.data.channel.serviceProvider);
    await saml.configure(flags);
    return saml;
  }

  /** The same channel, reached through another Roster process on the same database. */
  via(baseUrl: string): SamlChannel {
    const other = new SamlChannel(this.roster, this.channel, this.idp, this.sp, baseUrl);
    other.flags = this.flags;
    return other;
  }

  /** configureSaml from the IdP's metadata (plus any extra certificates for a rollover) and these flags. */
  async configure(flags: SamlFlags = this.flags, extraCertificates: string[] = this.extraCertificates): Promise<void> {
    const result = await this.admin(
      `mutation($input: ConfigureSamlInput!) { configureSaml(input: $input) { idpEntityId } }`,
      {
        input: { metadataXml: this.idp.metadataXml(extraCertificates), ...flags },
      },
    );
    if (result.errors) throw new Error(`configureSaml failed: ${JSON.stringify(result.errors)}`);
    this.flags = flags;
    this.extraCertificates = extraCertificates;
  }

  admin(query: string, variables?: Record<string, unknown>) {
    return this.roster.graphql(this.channel.adminApiKey, query, variables);
  }

  /** A response addressed to this channel (override anything for an attack). */
  response(options: Partial<ResponseOptions> & { nameId: string }): string {
    return this.idp.response({ acsUrl: this.sp.acsUrl, spEntityId: this.sp.entityId, ...options });
  }
  responseXml(options: Partial<ResponseOptions> & { nameId: string }): string {
    return this.idp.responseXml({ acsUrl: this.sp.acsUrl, spEntityId: this.sp.entityId, ...options });
  }

  /** SP-initiated sign-in, first leg: what /login answers, and the AuthnRequest it carries. */
  async login(returnTo?: string) {
    const query = returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(returnTo)}`;
    const response = await fetch(`${this.baseUrl}/saml/${this.channel.slug}/login${query}`, { redirect: 'manual' });
    const location = response.headers.get('location') ?? '';
    let authnRequest = '';
    let requestId = '';
    if (location.startsWith('http')) {
      const encoded = new URL(location).searchParams.get('SAMLRequest');
      if (encoded) {
        authnRequest = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
        requestId = /\bID="([^"]+)"/.exec(authnRequest)?.[1] ?? '';
      }
    }
    return { response, location, authnRequest, requestId };
  }

  /** The IdP's POST to the ACS (an HTML form post; no Roster cookie, as in a cross-site POST). */
  post(samlResponse: string, fields: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams({ SAMLResponse: samlResponse, ...fields });
    return fetch(`${this.baseUrl}/saml/${this.channel.slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  }

  /** Full SP-initiated sign-in; answers the ACS response and the session cookie value (if any). */
  async signIn(nameId: string, options: Partial<ResponseOptions> = {}, returnTo?: string) {
    const { requestId } = await this.login(returnTo);
    const response = await this.post(this.response({ nameId, inResponseTo: requestId, ...options }));
    return { response, cookie: sessionCookieOf(response) };
  }

  /**
   * Creates a user through the public interfaces: just-in-time provisioning at sign-in, switched on for
   * the moment, then the channel's flags restored. Role and active state are then set by the admin API.
   */
  async provisionUser(email: string, options: { role?: 'ADMIN' | 'MEMBER'; active?: boolean } = {}): Promise<UserView> {
    const flags = this.flags;
    await this.configure({ ...flags, jitProvisioning: true });
    try {
      const { response } = await this.signIn(email);
      if (response.status !== 303)
        throw new Error(`provisioning sign-in failed: ${response.status} ${await response.text()}`);
    } finally {
      await this.configure(flags);
    }
    const user = (await this.user(email))!;
    if (options.role && options.role !== user.role) {
      const result = await this.admin(`mutation($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id } }`, {
        id: user.id,
        role: options.role,
      });
      if (result.errors) throw new Error(JSON.stringify(result.errors));
    }
    if (options.active === false) await this.setActive(user.id, false);
    return (await this.user(email))!;
  }

  async setActive(userId: string, active: boolean) {
    const result = await this.admin(
      `mutation($id: ID!, $active: Boolean!) { setUserActive(id: $id, active: $active) { id active } }`,
      { id: userId, active },
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  }

  async user(email: string): Promise<UserView | null> {
    const result = await this.admin(
      `query($q: String) { channel { users(first: 50, query: $q) { nodes { id email active role givenName familyName groups { name } } } } }`,
      { q: email },
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    const nodes = result.data.channel.users.nodes as UserView[];
    return nodes.find((u) => u.email.toLowerCase() === email.toLowerCase()) ?? null;
  }

  async userCount(): Promise<number> {
    const result = await this.admin(`{ channel { users(first: 1) { totalCount } } }`);
    return result.data.channel.users.totalCount;
  }

  async audit(action: string, first = 20): Promise<AuditView[]> {
    const result = await this.admin(
      `query($action: String, $first: Int) { channel { auditEvents(first: $first, action: $action) { nodes { action actorType actorLabel targetId summary } } } }`,
      { action, first },
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data.channel.auditEvents.nodes;
  }
}

export function sessionCookieOf(response: Response): string | null {
  for (const header of response.headers.getSetCookie()) {
    const match = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(header);
    if (match && match[1]) return match[1];
  }
  return null;
}

/** GraphQL with a session cookie (the browser's way), JSON unless told otherwise. */
export async function graphqlWithCookie(
  baseUrl: string,
  cookie: string,
  query: string,
  options: { contentType?: string; headers?: Record<string, string>; variables?: Record<string, unknown> } = {},
) {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      cookie: `${SESSION_COOKIE}=${cookie}`,
      ...(options.headers ?? {}),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return {
    status: response.status,
    data: body?.data,
    errors: body?.errors as { message: string; extensions?: { code?: string } }[] | undefined,
    raw: text,
  };
}
