/**
 * SAML sign-in together with SCIM provisioning and the admin API: what the IdP does to a user (deactivate,
 * reactivate, delete) and what the platform does (purge) takes effect on the user's session and sign-in.
 */
import { PLATFORM_TOKEN, startTestRoster, type TestRoster } from '../../helpers/roster';
import { graphqlWithCookie, SamlChannel } from './support/saml-channel';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

const viewerQuery = '{ viewer { kind user { email } } }';

async function scimFor(saml: SamlChannel) {
  const issued = await saml.admin('mutation { issueScimToken(input: { description: "Okta" }) { token } }');
  if (issued.errors) throw new Error(JSON.stringify(issued.errors));
  const token = issued.data.issueScimToken.token as string;
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${roster.url}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

const oktaUser = (email: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: email,
  name: { givenName: 'Zoe', familyName: 'Okta' },
  emails: [{ primary: true, value: email, type: 'work' }],
  displayName: 'Zoe Okta',
  active: true,
  password: 'not-stored-1!',
});
const setActive = (active: boolean) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', value: { active } }],
});

describe('SAML sign-in of SCIM-provisioned users', () => {
  it('ends the session on the next request when the IdP deactivates the user, and signs them in again after reactivation', async () => {
    const saml = await SamlChannel.create(roster);
    const scim = await scimFor(saml);
    const created = await scim('POST', '/Users', oktaUser('zoe@corp.test'));
    expect(created.status).toBe(201);

    const { response, cookie } = await saml.signIn('zoe@corp.test');
    expect(response.status).toBe(303);
    expect((await graphqlWithCookie(roster.url, cookie!, viewerQuery)).data.viewer.user.email).toBe('zoe@corp.test');

    expect((await scim('PATCH', `/Users/${created.body.id}`, setActive(false))).status).toBe(200);
    expect((await graphqlWithCookie(roster.url, cookie!, viewerQuery)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const refused = await saml.signIn('zoe@corp.test');
    expect(refused.response.status).toBe(403);
    expect(await refused.response.text()).toContain('is deactivated');

    expect((await scim('PATCH', `/Users/${created.body.id}`, setActive(true))).status).toBe(200);
    expect((await saml.signIn('zoe@corp.test')).response.status).toBe(303);
  });

  it('refuses a user removed through SCIM DELETE (even with JIT on) and ends their session; a new POST restores access', async () => {
    const saml = await SamlChannel.create(roster);
    const scim = await scimFor(saml);
    const created = await scim('POST', '/Users', oktaUser('yan@corp.test'));
    const { cookie } = await saml.signIn('yan@corp.test');
    expect(cookie).toBeTruthy();

    expect((await scim('DELETE', `/Users/${created.body.id}`)).status).toBe(204);
    expect((await graphqlWithCookie(roster.url, cookie!, viewerQuery)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const refused = await saml.signIn('yan@corp.test');
    expect(refused.response.status).toBe(403);
    expect(await refused.response.text()).toContain('was removed from this channel');
    expect((await saml.audit('saml.signInRefused', 1))[0].summary.reason).toBe('USER_REMOVED');

    await saml.configure({ jitProvisioning: true });
    expect((await saml.signIn('yan@corp.test')).response.status).toBe(403);
    expect(await saml.user('yan@corp.test')).toBeNull();

    expect((await scim('POST', '/Users', oktaUser('yan@corp.test'))).status).toBe(201);
    expect((await saml.signIn('yan@corp.test')).response.status).toBe(303);
  });

  it('ends the session when the platform purges the user', async () => {
    const saml = await SamlChannel.create(roster);
    const user = await saml.provisionUser('xo@corp.test');
    const { cookie } = await saml.signIn('xo@corp.test');
    const purged = await roster.graphql(PLATFORM_TOKEN, 'mutation($id: ID!) { purgeUser(id: $id) }', { id: user.id });
    expect(purged.errors).toBeUndefined();
    expect((await graphqlWithCookie(roster.url, cookie!, viewerQuery)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});
