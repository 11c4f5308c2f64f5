import { startTestRoster, type TestRoster } from '../../helpers/roster';
import { createTestIdp, generateSigningKey } from '../../helpers/test-idp';
import { graphqlWithCookie, SamlChannel, sessionCookieOf } from './support/saml-channel';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

const viewerQuery = '{ viewer { kind user { email role } channel { slug } } }';

describe('SP metadata and configuration', () => {
  it('serves SP metadata with the exact values the admin API shows', async () => {
    const saml = await SamlChannel.create(roster);
    const response = await fetch(saml.sp.metadataUrl.replace(roster.publicUrl, roster.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/xml/);
    const xml = await response.text();
    expect(xml).toContain(`entityID="${saml.sp.entityId}"`);
    expect(xml).toContain(`Location="${saml.sp.acsUrl}"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(xml).toContain('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(saml.sp.acsUrl).toBe(`${roster.publicUrl}/saml/${saml.channel.slug}/acs`);
  });

  it('answers 404 with a page for an unknown channel', async () => {
    for (const path of ['/saml/no-such-channel/metadata', '/saml/no-such-channel/login']) {
      const response = await fetch(`${roster.url}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Channel not found');
    }
  });

  it('refuses IdP metadata with a DOCTYPE as BAD_USER_INPUT', async () => {
    const saml = await SamlChannel.create(roster);
    const xml = `<!DOCTYPE x [<!ENTITY e "boom">]>${saml.idp.metadataXml().replace(/^<\?xml[^>]*>/, '')}`;
    const result = await saml.admin(
      `mutation($input: ConfigureSamlInput!) { configureSaml(input: $input) { idpEntityId } }`,
      {
        input: { metadataXml: xml },
      },
    );
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toMatch(/DOCTYPE/);
  });

  it('says SAML is not configured on login for a channel without configuration', async () => {
    const channel = await roster.createChannel('nosaml');
    const response = await fetch(`${roster.url}/saml/${channel.slug}/login`, { redirect: 'manual' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('not set up');
  });
});

describe('SP-initiated sign-in', () => {
  it('redirects to the IdP with an AuthnRequest, then signs in and returns to returnTo', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('ann@corp.test');

    const { response: loginResponse, location, authnRequest, requestId } = await saml.login('/videos/42?tab=comments');
    expect(loginResponse.status).toBe(302);
    expect(location.startsWith(`${saml.idp.ssoUrl}?SAMLRequest=`)).toBe(true);
    expect(authnRequest).toContain(`AssertionConsumerServiceURL="${saml.sp.acsUrl}"`);
    expect(authnRequest).toContain(`<saml:Issuer>${saml.sp.entityId}</saml:Issuer>`);
    expect(authnRequest).toContain(`Destination="${saml.idp.ssoUrl}"`);
    expect(requestId).toMatch(/^_[0-9a-f]{40}$/);

    const acs = await saml.post(
      saml.response({ nameId: 'ANN@corp.test', inResponseTo: requestId, groups: ['Engineering'] }),
    );
    expect(acs.status).toBe(303);
    expect(acs.headers.get('location')).toBe('/videos/42?tab=comments');
    const setCookie = acs.headers.getSetCookie().find((c) => c.startsWith('roster_session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).not.toMatch(/Secure/);

    const cookie = sessionCookieOf(acs)!;
    const viewer = await graphqlWithCookie(roster.url, cookie, viewerQuery);
    expect(viewer.data.viewer).toEqual({
      kind: 'SESSION',
      user: { email: 'ann@corp.test', role: 'MEMBER' },
      channel: { slug: saml.channel.slug },
    });

    const [event] = await saml.audit('saml.signIn', 1);
    expect(event).toMatchObject({ action: 'saml.signIn', actorType: 'user', actorLabel: 'ann@corp.test' });
    expect(event.summary).toMatchObject({ email: 'ann@corp.test', groups: ['Engineering'], solicited: true });
  });

  it('refuses a response to an unknown request, and a second response to the same request', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('ben@corp.test');

    const unknown = await saml.post(saml.response({ nameId: 'ben@corp.test', inResponseTo: '_not_issued_by_roster' }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('did not issue');

    const { requestId } = await saml.login();
    const first = await saml.post(saml.response({ nameId: 'ben@corp.test', inResponseTo: requestId }));
    expect(first.status).toBe(303);
    const second = await saml.post(saml.response({ nameId: 'ben@corp.test', inResponseTo: requestId }));
    expect(second.status).toBe(400);
    expect(sessionCookieOf(second)).toBeNull();
    const [refusal] = await saml.audit('saml.signInRefused', 1);
    expect(refusal.summary.reason).toBe('UNKNOWN_REQUEST');
  });

  it("refuses a response to another channel's request", async () => {
    const a = await SamlChannel.create(roster);
    const b = await SamlChannel.create(roster, {}, a.idp);
    await b.provisionUser('cy@corp.test');
    const { requestId } = await a.login();
    const response = await b.post(b.response({ nameId: 'cy@corp.test', inResponseTo: requestId }));
    expect(response.status).toBe(400);
    expect((await b.audit('saml.signInRefused', 1))[0].summary.reason).toBe('UNKNOWN_REQUEST');
  });

  it('gives a new session id at every sign-in, and logout ends the session', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('dee@corp.test');
    const one = await saml.signIn('dee@corp.test');
    const two = await saml.signIn('dee@corp.test');
    expect(one.cookie).toBeTruthy();
    expect(two.cookie).toBeTruthy();
    expect(one.cookie).not.toBe(two.cookie);

    const logout = await fetch(`${roster.url}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `roster_session=${two.cookie}` },
    });
    expect(logout.status).toBe(303);
    expect(logout.headers.getSetCookie().join()).toMatch(/roster_session=;.*Max-Age=0/);
    const after = await graphqlWithCookie(roster.url, two.cookie!, viewerQuery);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // The other session of the same user is a separate session and still works.
    expect((await graphqlWithCookie(roster.url, one.cookie!, viewerQuery)).data.viewer.user.email).toBe(
      'dee@corp.test',
    );
  });
});

describe('returnTo and RelayState lead only to same-origin paths', () => {
  const unsafe = [
    'https://evil.example.test/phish',
    '//evil.example.test/phish',
    '/\\evil.example.test/phish',
    '\\\\evil.example.test',
    '/\t/evil.example.test',
    'javascript:alert(1)',
    'evil.example.test',
    '',
    ' /spaced',
  ];

  it.each(unsafe)('SP-initiated returnTo %j leads to /', async (returnTo) => {
    const saml = await SamlChannel.create(roster, { jitProvisioning: true });
    const { response } = await saml.signIn('eve@corp.test', {}, returnTo);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
  });

  it('IdP-initiated RelayState is honoured only when it is a relative path', async () => {
    const saml = await SamlChannel.create(roster, { jitProvisioning: true, allowIdpInitiated: true });
    const ok = await saml.post(saml.response({ nameId: 'fay@corp.test' }), { RelayState: '/library' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/library');
    for (const relayState of unsafe) {
      const response = await saml.post(saml.response({ nameId: 'fay@corp.test' }), { RelayState: relayState });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/');
    }
  });

  it('SP-initiated sign-in ignores a RelayState the browser adds', async () => {
    const saml = await SamlChannel.create(roster, { jitProvisioning: true });
    const { requestId } = await saml.login('/mine');
    const response = await saml.post(saml.response({ nameId: 'gus@corp.test', inResponseTo: requestId }), {
      RelayState: '/elsewhere',
    });
    expect(response.headers.get('location')).toBe('/mine');
  });
});

describe('IdP-initiated sign-in', () => {
  it('is refused by default with a page that says how to allow it', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('hal@corp.test');
    const response = await saml.post(saml.response({ nameId: 'hal@corp.test' }));
    expect(response.status).toBe(403);
    const page = await response.text();
    expect(page).toContain('IdP-initiated');
    expect(sessionCookieOf(response)).toBeNull();
    expect((await saml.audit('saml.signInRefused', 1))[0].summary.reason).toBe('UNSOLICITED_NOT_ALLOWED');
  });

  it('signs in when the channel allows it', async () => {
    const saml = await SamlChannel.create(roster, { allowIdpInitiated: true });
    await saml.provisionUser('ida@corp.test');
    const response = await saml.post(saml.response({ nameId: 'ida@corp.test' }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(sessionCookieOf(response)).toBeTruthy();
  });
});

describe('who may sign in', () => {
  it('refuses an unknown user when JIT provisioning is off, and creates nothing', async () => {
    const saml = await SamlChannel.create(roster);
    const before = await saml.userCount();
    const { response } = await saml.signIn('nobody@corp.test');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('nobody@corp.test is not a user of this channel');
    expect(await saml.userCount()).toBe(before);
    expect((await saml.audit('saml.signInRefused', 1))[0].summary).toMatchObject({
      reason: 'USER_UNKNOWN',
      nameId: 'nobody@corp.test',
    });
  });

  it('creates an unknown user when JIT provisioning is on, with names from the attributes, and audits it', async () => {
    const saml = await SamlChannel.create(roster, { jitProvisioning: true });
    const { response } = await saml.signIn('Jo.New@Corp.test', {
      attributes: { firstName: ['Jo'], lastName: ['New'] },
    });
    expect(response.status).toBe(303);
    const user = await saml.user('jo.new@corp.test');
    expect(user).toMatchObject({
      email: 'Jo.New@Corp.test',
      active: true,
      role: 'MEMBER',
      givenName: 'Jo',
      familyName: 'New',
    });
    const [created] = await saml.audit('user.created', 1);
    expect(created).toMatchObject({ actorType: 'system', targetId: user!.id });
    expect((await saml.audit('saml.signIn', 1))[0].summary.justInTimeCreated).toBe(true);
  });

  it('creates one user when two first sign-ins of the same new user race', async () => {
    const saml = await SamlChannel.create(roster, { jitProvisioning: true, allowIdpInitiated: true });
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => saml.post(saml.response({ nameId: 'race@corp.test' }))),
    );
    expect(responses.map((r) => r.status)).toEqual([303, 303, 303, 303]);
    expect(await saml.userCount()).toBe(1);
  });

  it('refuses a deactivated user with a page that says so, and changes nothing', async () => {
    const saml = await SamlChannel.create(roster);
    const user = await saml.provisionUser('kim@corp.test', { active: false });
    const { response } = await saml.signIn('kim@corp.test', { groups: ['Should Not Apply'] });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('kim@corp.test is deactivated');
    expect(sessionCookieOf(response)).toBeNull();
    expect((await saml.user('kim@corp.test'))!.groups).toEqual(user.groups);
    expect((await saml.audit('saml.signInRefused', 1))[0]).toMatchObject({
      targetId: user.id,
      summary: { reason: 'USER_DEACTIVATED' },
    });
  });

  it('signs a reactivated user in again', async () => {
    const saml = await SamlChannel.create(roster);
    const user = await saml.provisionUser('lou@corp.test', { active: false });
    expect((await saml.signIn('lou@corp.test')).response.status).toBe(403);
    await saml.setActive(user.id, true);
    expect((await saml.signIn('lou@corp.test')).response.status).toBe(303);
  });

  it("refuses channel A's user at channel B's ACS", async () => {
    const idp = createTestIdp();
    const a = await SamlChannel.create(roster, {}, idp);
    const b = await SamlChannel.create(roster, {}, idp); // the same IdP serves both channels
    await a.provisionUser('max@corp.test');

    // A's response, posted to B: addressed to A, so refused at B.
    const { requestId } = await b.login();
    const forA = a.response({ nameId: 'max@corp.test', inResponseTo: requestId });
    const response = await b.post(forA);
    expect(response.status).toBe(400);
    expect((await b.audit('saml.signInRefused', 1))[0].summary.reason).toBe('DESTINATION_MISMATCH');

    // A response made out to B for A's user: B does not know that user.
    const { response: unknown } = await b.signIn('max@corp.test');
    expect(unknown.status).toBe(403);
    expect((await b.audit('saml.signInRefused', 1))[0].summary.reason).toBe('USER_UNKNOWN');
    expect(await b.user('max@corp.test')).toBeNull();
  });
});

describe('groups claims', () => {
  it('replaces the SAML group claims at each sign-in, feeding matched groups', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('nia@corp.test');
    const created = await saml.admin(
      `mutation { createGroup(input: { name: "Producers", samlGroupName: "video-producers" }) { id } }`,
    );
    expect(created.errors).toBeUndefined();

    expect((await saml.signIn('nia@corp.test', { groups: ['Video-Producers', 'Everyone'] })).response.status).toBe(303);
    expect((await saml.user('nia@corp.test'))!.groups.map((g) => g.name)).toEqual(['Producers']);

    expect((await saml.signIn('nia@corp.test', { groups: ['Everyone'] })).response.status).toBe(303);
    expect((await saml.user('nia@corp.test'))!.groups).toEqual([]);

    // A single value, under a custom attribute name.
    await saml.configure({ groupsAttribute: 'memberOf' });
    expect(
      (await saml.signIn('nia@corp.test', { groups: ['video-producers'], groupsAttribute: 'memberOf' })).response
        .status,
    ).toBe(303);
    expect((await saml.user('nia@corp.test'))!.groups.map((g) => g.name)).toEqual(['Producers']);
  });
});

describe('sessions', () => {
  it('ends the session on the next request after deactivation through the admin API', async () => {
    const saml = await SamlChannel.create(roster);
    const user = await saml.provisionUser('oli@corp.test');
    const { cookie } = await saml.signIn('oli@corp.test');
    expect((await graphqlWithCookie(roster.url, cookie!, viewerQuery)).data.viewer.user.email).toBe('oli@corp.test');
    await saml.setActive(user.id, false);
    const after = await graphqlWithCookie(roster.url, cookie!, viewerQuery);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('lets an ADMIN session use the admin API, with the CSRF rule for cookies', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('pat@corp.test', { role: 'ADMIN' });
    const { cookie } = await saml.signIn('pat@corp.test');
    const usersQuery = '{ channel { slug users(first: 5) { totalCount } } }';

    const json = await graphqlWithCookie(roster.url, cookie!, usersQuery);
    expect(json.errors).toBeUndefined();
    expect(json.data.channel.slug).toBe(saml.channel.slug);

    // A simple (form-like) request could come from any site: refused.
    const simple = await graphqlWithCookie(roster.url, cookie!, usersQuery, { contentType: 'text/plain' });
    expect(simple.status).toBe(400);
    expect(simple.raw).toMatch(/CSRF/i);

    const preflighted = await graphqlWithCookie(roster.url, cookie!, '{ viewer { kind } }', {
      contentType: 'application/json',
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.data.viewer.kind).toBe('SESSION');
  });

  it('does not let a MEMBER session administer the channel', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('quin@corp.test');
    const { cookie } = await saml.signIn('quin@corp.test');
    const result = await graphqlWithCookie(roster.url, cookie!, '{ channel { users(first: 5) { totalCount } } }');
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('marks the cookie Secure when PUBLIC_URL is https', async () => {
    const secure = await startTestRoster({ PUBLIC_URL: 'https://roster.example.test' });
    try {
      const saml = await SamlChannel.create(secure, { jitProvisioning: true });
      expect(saml.sp.acsUrl).toBe(`https://roster.example.test/saml/${saml.channel.slug}/acs`);
      const { response } = await saml.signIn('ray@corp.test');
      expect(response.status).toBe(303);
      expect(response.headers.getSetCookie().find((c) => c.startsWith('roster_session='))).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });
});

describe('certificate rollover', () => {
  it('accepts both certificates during a rollover and only the new one afterwards', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('sam@corp.test');
    const next = generateSigningKey('IdP next certificate');

    await saml.configure(saml.flags, [next.certificatePem]);
    expect((await saml.signIn('sam@corp.test')).response.status).toBe(303);
    expect((await saml.signIn('sam@corp.test', { signingKey: next })).response.status).toBe(303);

    // The IdP now signs with the new key only; the channel is configured with just that certificate.
    const rolled = new SamlChannel(
      roster,
      saml.channel,
      createTestIdp({ entityId: saml.idp.entityId, ssoUrl: saml.idp.ssoUrl, key: next }),
      saml.sp,
    );
    await rolled.configure(saml.flags, []);
    expect((await rolled.signIn('sam@corp.test')).response.status).toBe(303);
    const old = await saml.signIn('sam@corp.test');
    expect(old.response.status).toBe(400);
    expect(await old.response.text()).toContain('not configured for this channel');
  });
});

describe('configuration from fields and other IdPs', () => {
  it('signs in with a channel configured from idpEntityId, ssoUrl and a PEM certificate', async () => {
    const saml = await SamlChannel.create(roster);
    const configured = await saml.admin(
      `mutation($input: ConfigureSamlInput!) { configureSaml(input: $input) { idpEntityId jitProvisioning } }`,
      {
        input: {
          idpEntityId: saml.idp.entityId,
          ssoUrl: saml.idp.ssoUrl,
          certificates: [saml.idp.certificatePem],
          jitProvisioning: true,
        },
      },
    );
    expect(configured.errors).toBeUndefined();
    expect((await saml.signIn('uma@corp.test')).response.status).toBe(303);
  });

  it('signs in with an Entra ID-style response: assertion signed only, groups under a claim URI', async () => {
    const claim = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
    const saml = await SamlChannel.create(roster, { groupsAttribute: claim });
    await saml.provisionUser('val@corp.test');
    await saml.admin(
      `mutation { createGroup(input: { name: "Sales", samlGroupName: "5e1c0b9e-0000-4000-8000-00000000a11e" }) { id } }`,
    );
    const { response } = await saml.signIn('val@corp.test', {
      sign: 'assertion',
      groups: ['5e1c0b9e-0000-4000-8000-00000000a11e'],
      groupsAttribute: claim,
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      attributes: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': ['Val'] },
    });
    expect(response.status).toBe(303);
    expect((await saml.user('val@corp.test'))!.groups.map((g) => g.name)).toEqual(['Sales']);
  });
});

describe('assertion-only and response-only signatures', () => {
  it.each(['assertion', 'response'] as const)('accepts a response where only the %s is signed', async (sign) => {
    const saml = await SamlChannel.create(roster, { jitProvisioning: true });
    const { response } = await saml.signIn('tia@corp.test', { sign });
    expect(response.status).toBe(303);
    expect(sessionCookieOf(response)).toBeTruthy();
  });
});
