/**
 * Signing in to the console through SAML, as a channel administrator does once single sign-on works: the
 * sign-in page's "Continue with SSO" starts an SP-initiated sign-in, the browser goes to the identity
 * provider (the in-repo test IdP, answering at its SSO URL through Playwright's request routing), which
 * posts a signed response to the ACS; Roster's session cookie then authenticates the console's GraphQL
 * calls. Only users with the Admin role get in.
 */
import { inflateRawSync } from 'node:zlib';
import { launchChromium, screenshot, DESKTOP, type Browser, type BrowserContext, type Page } from './support/browser';
import { startConsoleRoster, type ConsoleRoster } from './support/console-roster';
import { createTestIdp, type TestIdp } from '../helpers/test-idp';
import type { TestChannel } from '../helpers/roster';

jest.setTimeout(120_000);

const IDP_SSO_URL = 'http://idp.acme.test/app/roster/sso/saml';

describe('admin console, signed in through SAML', () => {
  let roster: ConsoleRoster;
  let channel: TestChannel;
  let idp: TestIdp;
  let sp: { entityId: string; acsUrl: string };
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const email = 'dana.admin@acme.example';

  beforeAll(async () => {
    roster = await startConsoleRoster();
    channel = await roster.createChannel('sso');
    idp = createTestIdp({ ssoUrl: IDP_SSO_URL });
    const configured = await roster.graphql(
      channel.adminApiKey,
      `mutation($input: ConfigureSamlInput!) {
         configureSaml(input: $input) { idpEntityId }
         }`,
      { input: { metadataXml: idp.metadataXml(), jitProvisioning: true } },
    );
    expect(configured.errors).toBeUndefined();
    const spResult = await roster.graphql(channel.adminApiKey, '{ channel { serviceProvider { entityId acsUrl } } }');
    sp = spResult.data.channel.serviceProvider;

    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
    // The identity provider: it reads the AuthnRequest and posts a signed response for `email` back to the ACS.
    await context.route(`${IDP_SSO_URL}**`, async (route) => {
      const url = new URL(route.request().url());
      const authnRequest = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString(
        'utf8',
      );
      const requestId = /\bID="([^"]+)"/.exec(authnRequest)?.[1] ?? '';
      const samlResponse = idp.response({
        acsUrl: sp.acsUrl,
        spEntityId: sp.entityId,
        nameId: email,
        inResponseTo: requestId,
      });
      const relayState = url.searchParams.get('RelayState');
      await route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Acme IdP</title>
          <form method="post" action="${sp.acsUrl}">
            <input type="hidden" name="SAMLResponse" value="${samlResponse}">
            ${relayState ? `<input type="hidden" name="RelayState" value="${relayState.replace(/"/g, '&quot;')}">` : ''}
          </form>
          <script>document.forms[0].submit()</script>`,
      });
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await roster?.close();
  });

  async function signInWithSso() {
    await page.goto(`${roster.url}/admin/`);
    await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor();
    await page.getByLabel('Channel').fill(channel.slug);
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
  }

  it('turns away a signed-in member who is not an administrator, saying why', async () => {
    await signInWithSso();
    await page.getByRole('heading', { name: 'Not a channel administrator' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/');
    await expect(page.locator('main').textContent()).resolves.toContain(`You are signed in as ${email}`);
    await screenshot(page, '11-sso-member-refused');
  });

  it('lets the same person in through their session once they have the Admin role', async () => {
    const users = await roster.graphql(
      channel.adminApiKey,
      '{ channel { users(first: 5) { nodes { id email role } } } }',
    );
    const dana = users.data.channel.users.nodes.find((u: { email: string }) => u.email === email);
    const promoted = await roster.graphql(
      channel.adminApiKey,
      'mutation($id: ID!) { setUserRole(id: $id, role: ADMIN) { role } }',
      {
        id: dana.id,
      },
    );
    expect(promoted.data.setUserRole.role).toBe('ADMIN');

    await page.goto(`${roster.url}/admin/users`);
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await expect(page.locator('.who').textContent()).resolves.toBe(email);
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    const row = page.getByRole('row', { name: new RegExp(email) });
    await row.getByRole('cell', { name: 'Admin', exact: true }).waitFor();
    await screenshot(page, '12-sso-admin-session');

    // A change made through the session is recorded as this administrator's.
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByLabel('Group name').fill('Leadership');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Leadership' }).waitFor();
    const log = await roster.graphql(
      channel.adminApiKey,
      '{ channel { auditEvents(first: 1, action: "group.created") { nodes { actorType actorLabel } } } }',
    );
    expect(log.data.channel.auditEvents.nodes[0]).toEqual({ actorType: 'user', actorLabel: email });
  });

  it('signs out, ending the session on the server', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor();
    const viewer = await page.evaluate(async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ viewer { kind } }' }),
      });
      return (await response.json()).errors?.[0]?.extensions?.code;
    });
    expect(viewer).toBe('UNAUTHENTICATED');
  });
});
