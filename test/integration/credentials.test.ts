import { gqlErrorCode, gqlOk } from '../helpers/admin';
import { startTestRoster, type TestRoster } from '../helpers/roster';
import { generateSigningKey } from '../helpers/test-idp';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

const CONFIGURE = `mutation($input: ConfigureSamlInput!) { configureSaml(input: $input) {
  idpEntityId ssoUrl groupsAttribute allowIdpInitiated jitProvisioning allowSha1 certificates { notAfter fingerprintSha256 } } }`;
const ISSUE = `mutation { issueScimToken(input: { description: "Okta" }) { token scimToken { id prefix createdAt } } }`;
const key = generateSigningKey();

describe('SAML configuration and SCIM tokens', () => {
  it('refuses to issue a SCIM token before SAML is configured', async () => {
    const channel = await roster.createChannel();
    expect(await gqlErrorCode(roster, channel.adminApiKey, ISSUE)).toBe('SAML_NOT_CONFIGURED');
    const tokens = await gqlOk(roster, channel.adminApiKey, '{ channel { scimTokens { id } } }');
    expect(tokens.channel.scimTokens).toEqual([]);
  });

  it('stores the IdP fields with defaults for unset flags, and replaces the whole configuration', async () => {
    const channel = await roster.createChannel();
    const input = {
      idpEntityId: 'http://www.okta.com/exk1',
      ssoUrl: 'https://acme.okta.com/sso',
      certificates: [key.certificatePem],
    };
    const first = await gqlOk(roster, channel.adminApiKey, CONFIGURE, {
      input: { ...input, jitProvisioning: true, groupsAttribute: 'memberOf' },
    });
    expect(first.configureSaml).toMatchObject({ jitProvisioning: true, groupsAttribute: 'memberOf', allowSha1: false });
    expect(first.configureSaml.certificates[0].notAfter).toMatch(/^\d{4}-/);
    const second = await gqlOk(roster, channel.adminApiKey, CONFIGURE, { input });
    expect(second.configureSaml).toMatchObject({
      jitProvisioning: false,
      groupsAttribute: 'groups',
      allowIdpInitiated: false,
    });
  });

  it.each([
    [
      'a certificate that is not one',
      { certificates: ['-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----'] },
    ],
    ['no certificate', { certificates: [] }],
    ['an SSO URL that is not a URL', { ssoUrl: 'not a url' }],
    ['an empty entity ID', { idpEntityId: '  ' }],
  ])('refuses %s with BAD_USER_INPUT and keeps the previous configuration', async (_what, change) => {
    const channel = await roster.createChannel();
    const input = { idpEntityId: 'http://idp/1', ssoUrl: 'https://idp/sso', certificates: [key.certificatePem] };
    await gqlOk(roster, channel.adminApiKey, CONFIGURE, { input });
    expect(await gqlErrorCode(roster, channel.adminApiKey, CONFIGURE, { input: { ...input, ...change } })).toBe(
      'BAD_USER_INPUT',
    );
    const kept = await gqlOk(roster, channel.adminApiKey, '{ channel { samlConfig { idpEntityId ssoUrl } } }');
    expect(kept.channel.samlConfig).toEqual({ idpEntityId: 'http://idp/1', ssoUrl: 'https://idp/sso' });
  });

  it('shows a token once, keeps only its prefix, accepts several, and refuses a revoked one at once', async () => {
    const channel = await roster.createChannel();
    await gqlOk(roster, channel.adminApiKey, CONFIGURE, {
      input: { idpEntityId: 'http://idp/2', ssoUrl: 'https://idp/sso', certificates: [key.certificatePem] },
    });
    const first = (await gqlOk(roster, channel.adminApiKey, ISSUE)).issueScimToken;
    const second = (await gqlOk(roster, channel.adminApiKey, ISSUE)).issueScimToken;
    expect(first.token.startsWith(first.scimToken.prefix)).toBe(true);

    const scim = (token: string) =>
      fetch(`${roster.url}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await scim(first.token)).status).toBe(200);
    expect((await scim(second.token)).status).toBe(200);

    const listed = await gqlOk(
      roster,
      channel.adminApiKey,
      '{ channel { scimTokens { prefix lastUsedAt revokedAt } } }',
    );
    expect(JSON.stringify(listed)).not.toContain(first.token);
    expect(listed.channel.scimTokens.every((t: { lastUsedAt: string | null }) => t.lastUsedAt)).toBe(true);

    await gqlOk(roster, channel.adminApiKey, `mutation($id: ID!) { revokeScimToken(id: $id) { revokedAt } }`, {
      id: first.scimToken.id,
    });
    const refused = await scim(first.token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await scim(second.token)).status).toBe(200);
  });
});
