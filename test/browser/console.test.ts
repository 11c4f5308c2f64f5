/**
 * The admin console in a real browser (headless Debian Chromium), walked through the way a new channel
 * administrator follows the Okta setup guide: sign in with the admin API key, configure SAML from the IdP's
 * metadata, issue a SCIM token and copy it, let "Okta" (this test, over SCIM) push users and a group, match
 * the group, watch a deactivation arrive, and read it all in the provisioning log. Each page is saved as a
 * screenshot in test-artifacts/, at 1280×800 and at 390×844.
 */
import {
  accessibilityViolations,
  launchChromium,
  screenshot,
  horizontalOverflow,
  overflowingElements,
  DESKTOP,
  PHONE,
  type Browser,
  type BrowserContext,
  type Page,
} from './support/browser';
import { startConsoleRoster, type ConsoleRoster } from './support/console-roster';
import { oktaMetadataXml, selfSignedCertificate } from './support/idp-certificate';
import type { TestChannel } from '../helpers/roster';

jest.setTimeout(120_000);

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('admin console, following the Okta setup guide', () => {
  let roster: ConsoleRoster;
  let channel: TestChannel;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let scimToken = '';
  let scimTokenPrefix = '';
  const people: Record<'alice' | 'bob' | 'carol', { id: string; email: string }> = {} as never;

  /** What Okta sends: the SCIM token as a bearer, SCIM JSON. */
  async function scim(method: string, path: string, body?: unknown, token = scimToken) {
    const response = await fetch(`${roster.url}/scim/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/scim+json',
        ...(body ? { 'content-type': 'application/scim+json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** The console's address for a page, e.g. console('/groups'). */
  const consoleUrl = (path = '/') => `${roster.url}/admin${path}`;

  beforeAll(async () => {
    roster = await startConsoleRoster();
    channel = await roster.createChannel('okta');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP });
    // The token modal's Copy button writes to the clipboard; the test reads it back.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: roster.url });
    // Fail within seconds, not jest's whole budget, when something the test waits for never shows.
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await roster?.close();
  });

  it('refuses a wrong admin API key with the API’s message, then signs in with the right one', async () => {
    await page.goto(consoleUrl('/'));
    await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, '01-sign-in');
    await expect(accessibilityViolations(page)).resolves.toEqual([]);

    await page.getByLabel('Admin API key').fill('rak_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('This API key is not valid');

    await page.getByLabel('Admin API key').fill(channel.adminApiKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Single sign-on & provisioning' }).waitFor();
    expect(page.url()).toBe(consoleUrl('/sso'));
    await expect(page.locator('.channel-name').textContent()).resolves.toBe(`Channel ${channel.slug}`);
  });

  it('keeps SCIM’s Configure button disabled, saying why, until SAML is configured', async () => {
    const configure = page.getByRole('button', { name: 'Configure', exact: true });
    await expect(configure.isDisabled()).resolves.toBe(true);
    const explanation = await page.locator('#scim-needs-saml').textContent();
    expect(explanation).toContain('Configure SAML single sign-on above first');
    expect(await configure.getAttribute('aria-describedby')).toBe('scim-needs-saml');
    await page.getByText('Not configured').first().waitFor();
    await screenshot(page, '02-sso-not-configured');
  });

  it('shows the values to paste into Okta, each with a Copy button that copies exactly that value', async () => {
    const acsUrl = `${roster.url}/saml/${channel.slug}/acs`;
    await expect(page.getByRole('textbox', { name: 'Single sign-on URL (ACS URL)' }).inputValue()).resolves.toBe(
      acsUrl,
    );
    await page.getByRole('button', { name: 'Copy Single sign-on URL (ACS URL)' }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(acsUrl);
    const entityId = await page.getByRole('textbox', { name: 'Audience URI (SP entity ID)' }).inputValue();
    expect(entityId).toContain(channel.slug);
    await expect(page.getByRole('textbox', { name: 'SCIM base URL' }).inputValue()).resolves.toBe(
      `${roster.url}/scim/v2`,
    );
  });

  it('configures SAML from IdP metadata, and warns that its certificate expires within 30 days', async () => {
    const certificate = selfSignedCertificate('Okta Acme IdP', 20);
    const entityId = `http://www.okta.com/exk${channel.slug.replace(/-/g, '')}`;
    const metadata = oktaMetadataXml(entityId, 'https://acme.okta.example/app/roster/sso/saml', certificate);

    await page.getByRole('radio', { name: 'Paste IdP metadata XML' }).check();
    await page.getByRole('textbox', { name: 'IdP metadata XML' }).fill('<md:EntityDescriptor>not metadata');
    await page.getByRole('button', { name: 'Save SAML configuration' }).click();
    // The API's own message, not a generic failure.
    const refusal = await page.getByRole('alert').textContent();
    expect(refusal).toMatch(/^Not saved: /);
    expect(refusal).toContain('BAD_USER_INPUT');

    await page.getByRole('textbox', { name: 'IdP metadata XML' }).fill(metadata);
    await page.getByRole('switch', { name: 'Create users at first sign-in (JIT provisioning)' }).check();
    await page.getByRole('button', { name: 'Save SAML configuration' }).click();
    await page.getByText('SAML configuration saved.').waitFor();

    const saml = page.getByRole('region', { name: 'SAML single sign-on' });
    await saml.getByText('Configured', { exact: true }).waitFor();
    await saml.getByText(entityId).waitFor();
    await saml.getByText(/Expires in (19|20) days/).waitFor();
    await saml.getByText(/Okta Acme IdP/).waitFor();
    const facts = await saml.locator('dl.facts').textContent();
    expect(facts).toContain('Create users at first sign-in (JIT)On');
    expect(facts).toContain('IdP-initiated sign-inOff');
    await screenshot(page, '03-sso-saml-configured');
  });

  it('changes one SAML setting and keeps the rest (the form resubmits the current IdP values)', async () => {
    await page.getByRole('button', { name: 'Change SAML settings' }).click();
    await expect(page.getByRole('radio', { name: 'Enter the values' }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('textbox', { name: 'Signing certificates (PEM)' }).inputValue()).resolves.toContain(
      '-----BEGIN CERTIFICATE-----',
    );
    await page.getByRole('switch', { name: 'Allow IdP-initiated sign-in' }).check();
    await page.getByRole('button', { name: 'Save SAML configuration' }).click();
    await page.getByText('SAML configuration saved.').waitFor();
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('IdP-initiated sign-inAllowed');
    expect(facts).toContain('Create users at first sign-in (JIT)On');
    await page.getByText(/Expires in (19|20) days/).waitFor();
  });

  it('issues a SCIM token in a modal whose Copy button puts exactly the token on the clipboard', async () => {
    await page.getByLabel('Token description (optional)').fill('Okta production');
    const configure = page.getByRole('button', { name: 'Configure', exact: true });
    await expect(configure.isEnabled()).resolves.toBe(true);
    await configure.click();

    const modal = page.getByRole('dialog', { name: 'SCIM API token' });
    await modal.getByRole('textbox', { name: 'API token' }).waitFor();
    scimToken = await modal.getByRole('textbox', { name: 'API token' }).inputValue();
    expect(scimToken.length).toBeGreaterThan(20);
    await modal.getByText('This token is shown only once.').waitFor();
    await screenshot(page, '04-sso-scim-token-modal');
    await expect(accessibilityViolations(page)).resolves.toEqual([]);

    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await modal.getByRole('button', { name: 'Copy API token' }).click();
    await modal.getByRole('button', { name: 'Copied' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(scimToken);

    await modal.getByRole('button', { name: 'I have copied the token' }).click();
    await modal.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Okta production/ });
    await row.waitFor();
    scimTokenPrefix = (await row.locator('td').first().textContent())!.replace('…', '');
    expect(scimToken.startsWith(scimTokenPrefix)).toBe(true);
    await row.getByText('Active').waitFor();
    await row.getByText('Never').waitFor();
  });

  it('the copied token works against /scim/v2/Users (Okta’s "Test API Credentials")', async () => {
    const list = await scim('GET', '/Users?startIndex=1&count=1');
    expect(list.status).toBe(200);
    expect(list.body.totalResults).toBe(0);
  });

  it('shows a group that Okta pushes, once it is matched in the console, with its members', async () => {
    for (const [name, given, family] of [
      ['alice', 'Alice', 'Archer'],
      ['bob', 'Bob', 'Baker'],
      ['carol', 'Carol', 'Cole'],
    ] as const) {
      const email = `${name}@acme.example`;
      const created = await scim('POST', '/Users', {
        schemas: [SCIM_USER],
        userName: email,
        name: { givenName: given, familyName: family },
        emails: [{ primary: true, value: email, type: 'work' }],
        active: true,
      });
      expect(created.status).toBe(201);
      people[name] = { id: created.body.id, email };
    }
    const pushed = await scim('POST', '/Groups', {
      schemas: [SCIM_GROUP],
      displayName: 'Engineering',
      members: [{ value: people.alice.id }, { value: people.bob.id }],
    });
    expect(pushed.status).toBe(201);

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    const pushedList = page.getByRole('region', { name: 'SAML groups pushed by your identity provider' });
    await pushedList.getByText('Engineering').waitFor();
    await expect(pushedList.textContent()).resolves.toContain('(2 members)');

    await page.getByLabel('Group name').fill('Engineers');
    // Chosen from the pushed groups, not typed.
    await page.getByRole('group', { name: 'Pushed SAML groups' }).getByRole('button', { name: 'Engineering' }).click();
    await expect(page.getByLabel('Match to SAML group (optional)').inputValue()).resolves.toBe('Engineering');
    await page.getByRole('button', { name: 'Create group' }).click();

    await page.getByRole('heading', { level: 1, name: 'Engineers' }).waitFor();
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByRole('link', { name: people.alice.email }).waitFor();
    await members.getByRole('link', { name: people.bob.email }).waitFor();
    await expect(members.getByRole('link', { name: people.carol.email }).count()).resolves.toBe(0);
    await members.getByText('1–2 of 2').waitFor();
    // Matched: read-only, and the page says why.
    await expect(members.textContent()).resolves.toContain('They are read-only here');
    await expect(page.getByLabel('Add a member').count()).resolves.toBe(0);
    await expect(members.getByRole('button', { name: /Remove/ }).count()).resolves.toBe(0);
    await screenshot(page, '05-group-matched');
  });

  it('marks a user that Okta deactivates as an inactive user, in the group and in the user list', async () => {
    const deactivated = await scim('PATCH', `/Users/${people.bob.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);

    await page.reload();
    const bobRow = page.getByRole('row', { name: new RegExp(people.bob.email) });
    await bobRow.getByText('Inactive user').waitFor();
    await page
      .getByRole('row', { name: new RegExp(people.alice.email) })
      .getByText('Active')
      .waitFor();

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('row', { name: new RegExp(people.carol.email) }).waitFor();
    await screenshot(page, '06-users');
    await page.getByLabel('Status').selectOption('inactive');
    await page.waitForURL(/status=inactive/);
    await page.getByText('1–1 of 1').waitFor();
    await page
      .getByRole('row', { name: new RegExp(people.bob.email) })
      .getByText('Inactive user')
      .waitFor();

    await page.getByLabel('Status').selectOption('all');
    await page.getByLabel('Search by name or email').fill('Cole');
    await page.waitForURL(/q=Cole/);
    await page.getByText('1–1 of 1').waitFor();
    await page.getByRole('link', { name: people.carol.email }).waitFor();
  });

  it('shows a user’s status, groups and videos, and reactivates them with the console', async () => {
    await page.goto(consoleUrl(`/users/${people.bob.id}`));
    await page.getByRole('heading', { level: 1, name: people.bob.email }).waitFor();
    await page.getByRole('region', { name: 'Groups' }).getByRole('link', { name: 'Engineers' }).waitFor();
    await page.getByRole('region', { name: 'Videos' }).getByText('No videos.').waitFor();
    await screenshot(page, '07-user-inactive');

    await page.getByRole('button', { name: 'Reactivate user' }).click();
    await page.getByRole('button', { name: 'Deactivate user' }).waitFor();
    await page.locator('.title-row').getByText('Active', { exact: true }).waitFor();

    // Deactivating asks first; the user is deactivated again, now by the admin key.
    await page.getByRole('button', { name: 'Deactivate user' }).click();
    const confirm = page.getByRole('dialog', { name: `Deactivate ${people.bob.email}?` });
    await expect(confirm.textContent()).resolves.toContain('their open sessions end at once');
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('button', { name: 'Reactivate user' }).waitFor();

    await page.getByLabel('Role in this channel').selectOption('ADMIN');
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByText('Role saved.').waitFor();
  });

  it('manages an unmatched group’s members in the console, and refuses nothing silently', async () => {
    await page.goto(consoleUrl('/groups'));
    await page.getByLabel('Group name').fill('Managers');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Managers' }).waitFor();

    await page.getByLabel('Add a member').fill('carol');
    await page.getByRole('button', { name: `Add ${people.carol.email} to the group` }).click();
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByRole('link', { name: people.carol.email }).waitFor();

    await members.getByRole('button', { name: `Remove ${people.carol.email} from the group` }).click();
    await page.getByRole('dialog', { name: 'Remove from the group?' }).getByRole('button', { name: 'Remove' }).click();
    await members.getByText('No members yet.').waitFor();
    await screenshot(page, '08-group-unmatched');

    await page.getByRole('button', { name: 'Delete group' }).click();
    await page
      .getByRole('dialog', { name: 'Delete the group “Managers”?' })
      .getByRole('button', { name: 'Delete group' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await expect(page.getByRole('link', { name: 'Managers' }).count()).resolves.toBe(0);
  });

  it('pages through a large pushed group’s members, 25 at a time', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 27; i++) {
      const email = `sales${String(i).padStart(2, '0')}@acme.example`;
      const created = await scim('POST', '/Users', {
        schemas: [SCIM_USER],
        userName: email,
        emails: [{ primary: true, value: email, type: 'work' }],
        active: true,
      });
      ids.push(created.body.id);
    }
    const pushed = await scim('POST', '/Groups', {
      schemas: [SCIM_GROUP],
      displayName: 'Sales',
      members: ids.map((value) => ({ value })),
    });
    expect(pushed.status).toBe(201);

    await page.goto(consoleUrl('/groups'));
    await page.getByLabel('Group name').fill('Sales team');
    await page.getByLabel('Match to SAML group (optional)').fill('sales'); // typed, and in another case
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sales team' }).waitFor();
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByText('1–25 of 27').waitFor();
    await expect(members.locator('tbody tr').count()).resolves.toBe(25);
    await members.getByRole('button', { name: 'Next' }).click();
    await members.getByText('26–27 of 27').waitFor();
    await expect(members.locator('tbody tr').count()).resolves.toBe(2);
    await expect(members.getByRole('button', { name: 'Next' }).isDisabled()).resolves.toBe(true);
    await members.getByRole('button', { name: 'Previous' }).click();
    await members.getByText('1–25 of 27').waitFor();
  });

  it('reads the SCIM deactivation in the provisioning log, with its actor, filtered by action and by user', async () => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Provisioning log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Provisioning log' }).waitFor();
    await page
      .getByRole('cell', { name: /SCIM token/ })
      .first()
      .waitFor();
    await screenshot(page, '09-provisioning-log');

    await page.getByLabel('Action').selectOption('user.deactivated');
    await page.waitForURL(/action=user.deactivated/);
    await page.getByText('1–2 of 2').waitFor();
    const rows = page.locator('tbody tr');
    // Newest first: the console's deactivation, then Okta's.
    await expect(rows.nth(0).textContent()).resolves.toContain('Admin API key');
    const oktaRow = await rows.nth(1).textContent();
    expect(oktaRow).toContain('User deactivated');
    expect(oktaRow).toContain(`SCIM token${scimTokenPrefix}…`);
    expect(oktaRow).toContain(people.bob.email);
    expect(oktaRow).toContain('activetrue → false');

    await page.getByLabel('Action').selectOption('');
    await page.getByLabel('User', { exact: true }).fill('bob@');
    await page.getByRole('button', { name: people.bob.email, exact: true }).click();
    await page.waitForURL(new RegExp(`target=${people.bob.id}`));
    await page.getByRole('button', { name: 'Clear user filter' }).waitFor();
    await page.locator('tbody tr').first().waitFor();
    const actions = await page.locator('tbody tr td:nth-child(2) .mono').allTextContents();
    expect(actions).toEqual([
      'user.updated',
      'user.deactivated',
      'user.reactivated',
      'user.deactivated',
      'user.created',
    ]);
    await screenshot(page, '10-provisioning-log-user');
  });

  it('revokes a SCIM token after confirmation, and Okta is refused at once', async () => {
    await page
      .getByRole('navigation', { name: 'Console' })
      .getByRole('link', { name: 'Single sign-on & provisioning' })
      .click();
    await page.getByRole('button', { name: `Revoke token ${scimTokenPrefix}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this SCIM token?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect((await scim('GET', '/Users?count=1')).status).toBe(200);

    await page.getByRole('button', { name: `Revoke token ${scimTokenPrefix}` }).click();
    await confirm.getByRole('button', { name: 'Revoke token' }).click();
    await page
      .getByRole('row', { name: /Okta production/ })
      .getByText('Revoked')
      .waitFor();
    expect((await scim('GET', '/Users?count=1')).status).toBe(401);
  });

  it('works from the keyboard: skip link first, then the sidebar, with a visible focus ring', async () => {
    await page.goto(consoleUrl('/groups'));
    await page.getByRole('heading', { level: 1, name: 'Groups' }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.keyboard.press('Tab'); // Sign out
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe(
      'Single sign-on & provisioning',
    );
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Single sign-on & provisioning' }).waitFor();
  });

  it('lays out every page without sideways overflow at 1280×800 and 390×844', async () => {
    const pages: [string, string, string][] = [
      ['/sso', 'Single sign-on & provisioning', 'sso'],
      ['/groups', 'Groups', 'groups'],
      ['/users', 'Users', 'users'],
      [`/users/${people.bob.id}`, people.bob.email, 'user'],
      ['/log', 'Provisioning log', 'log'],
    ];
    for (const [viewport, label] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ] as const) {
      await page.setViewportSize(viewport);
      for (const [path, heading, name] of pages) {
        await page.goto(consoleUrl(path));
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.locator('.loading').waitFor({ state: 'detached' });
        await screenshot(page, `${label}-${name}`);
        if (label === 'desktop')
          expect({ path, violations: await accessibilityViolations(page) }).toEqual({ path, violations: [] });
        const overflow = await horizontalOverflow(page);
        const offenders = overflow > 0 ? await overflowingElements(page) : [];
        expect({ path, viewport: label, overflow, offenders }).toEqual({
          path,
          viewport: label,
          overflow: 0,
          offenders: [],
        });
      }
      await page.goto(consoleUrl('/groups'));
      await page.getByRole('link', { name: 'Engineers' }).click();
      await page.getByRole('heading', { level: 1, name: 'Engineers' }).waitFor();
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, `${label}-group`);
    }
    await page.setViewportSize(DESKTOP);
  });

  it('returns to the sign-in page, saying why, when the admin key is revoked while the console is open', async () => {
    const keys = await roster.graphql(channel.adminApiKey, '{ channel { adminApiKeys { id revokedAt } } }');
    const { id } = keys.data.channel.adminApiKeys.find((k: { revokedAt: string | null }) => !k.revokedAt);
    await page.goto(consoleUrl('/users'));
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const revoked = await roster.graphql(
      channel.adminApiKey,
      'mutation($id: ID!) { revokeAdminApiKey(id: $id) { id } }',
      { id },
    );
    expect(revoked.errors).toBeUndefined();
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('heading', { name: 'Sign in to the admin console' }).waitFor();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('no longer valid');
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
  });
});
