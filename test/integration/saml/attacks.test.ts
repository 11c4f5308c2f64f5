/**
 * Every attack of issue 4 against the real ACS: each is refused with a 4xx page that says what is wrong,
 * an audit event with the precise reason, no session, and no change to any user.
 */
import { startTestRoster, type TestRoster } from '../../helpers/roster';
import {
  ALGORITHMS,
  appendSecondAssertion,
  encodeResponse,
  encryptedAssertionResponse,
  generateSigningKey,
  injectCommentInNameId,
  injectInstructionInNameId,
  stripSignatures,
  tamperNameId,
  wrappingAttacks,
} from '../../helpers/test-idp';
import { SamlChannel, sessionCookieOf } from './support/saml-channel';

let roster: TestRoster;
let saml: SamlChannel;
const attacker = generateSigningKey('Attacker');
const VICTIM = 'boss@corp.test';
const ATTACKER = 'mallory@corp.test';
const LOOKALIKE = 'boss@corp.test.evil.test';

beforeAll(async () => {
  roster = await startTestRoster();
  saml = await SamlChannel.create(roster);
  await saml.provisionUser(VICTIM);
  await saml.provisionUser(ATTACKER);
  await saml.provisionUser(LOOKALIKE);
});
afterAll(() => roster.close());

type Attack = {
  /** Builds the SAMLResponse for a fresh SP-initiated request ID. */
  build: (requestId: string) => string;
  reason: string;
  status?: number;
  says: RegExp;
};

const groups = ['Attackers'];
const xml = (requestId: string, o: Record<string, unknown> = {}) =>
  saml.responseXml({ nameId: VICTIM, inResponseTo: requestId, groups, ...o });
const b64 = encodeResponse;

const attacks: Record<string, Attack> = {
  'wrong audience': {
    build: (id) => b64(xml(id, { audience: 'https://other-sp.example.test' })),
    reason: 'AUDIENCE_MISMATCH',
    says: /Audience URI/,
  },
  'wrong destination': {
    build: (id) => b64(xml(id, { destination: 'https://other-sp.example.test/acs' })),
    reason: 'DESTINATION_MISMATCH',
    says: /addressed to/,
  },
  'wrong recipient': {
    build: (id) => b64(xml(id, { recipient: 'https://other-sp.example.test/acs' })),
    reason: 'RECIPIENT_MISMATCH',
    says: /Recipient/,
  },
  'wrong issuer': {
    build: (id) => b64(xml(id, { issuer: 'http://www.okta.com/exkATTACKER' })),
    reason: 'ISSUER_MISMATCH',
    says: /issued by/,
  },
  'untrusted certificate in KeyInfo': {
    build: (id) => b64(xml(id, { signingKey: attacker })),
    reason: 'UNTRUSTED_CERTIFICATE',
    says: /not configured for this channel/,
  },
  'untrusted key without KeyInfo': {
    build: (id) => b64(xml(id, { signingKey: attacker, includeKeyInfo: false })),
    reason: 'SIGNATURE_INVALID',
    says: /does not verify/,
  },
  unsigned: { build: (id) => b64(xml(id, { sign: 'none' })), reason: 'UNSIGNED', says: /not signed/ },
  'signatures stripped': { build: (id) => b64(stripSignatures(xml(id))), reason: 'UNSIGNED', says: /not signed/ },
  'NameID changed after signing': {
    build: (id) => b64(tamperNameId(xml(id, { nameId: ATTACKER }), ATTACKER, VICTIM)),
    reason: 'SIGNATURE_INVALID',
    says: /changed after/,
  },
  'RSA-SHA1 signature': {
    build: (id) => b64(xml(id, { signatureAlgorithm: ALGORITHMS.rsaSha1, digestAlgorithm: ALGORITHMS.sha1 })),
    reason: 'SIGNATURE_ALGORITHM',
    says: /SHA1|SHA-1/,
  },
  'SHA-1 digest': {
    build: (id) => b64(xml(id, { digestAlgorithm: ALGORITHMS.sha1 })),
    reason: 'SIGNATURE_ALGORITHM',
    says: /SHA-1 digest/,
  },
  expired: {
    build: (id) => b64(xml(id, { now: new Date(Date.now() - 30 * 60_000) })),
    reason: 'EXPIRED',
    says: /expired/,
  },
  'not yet valid': {
    build: (id) => b64(xml(id, { notBefore: new Date(Date.now() + 15 * 60_000) })),
    reason: 'NOT_YET_VALID',
    says: /not valid before/,
  },
  'comment in NameID': {
    build: (id) => b64(injectCommentInNameId(xml(id, { nameId: LOOKALIKE }), LOOKALIKE, VICTIM.length)),
    reason: 'XML_INJECTION',
    says: /comments or processing instructions/,
  },
  'processing instruction in NameID': {
    build: (id) => b64(injectInstructionInNameId(xml(id, { nameId: LOOKALIKE }), LOOKALIKE, VICTIM.length)),
    reason: 'XML_INJECTION',
    says: /comments or processing instructions/,
  },
  'two assertions': {
    build: (id) => b64(appendSecondAssertion(xml(id, { nameId: ATTACKER, sign: 'response' }), VICTIM)),
    reason: 'ASSERTION_COUNT',
    says: /2 assertions/,
  },
  'DOCTYPE with entity expansion': {
    build: (id) =>
      b64(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
          xml(id).replace('Attackers', '&c;'),
      ),
    reason: 'DOCTYPE_FORBIDDEN',
    says: /DOCTYPE/,
  },
  'external entity': {
    build: (id) => b64(`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${xml(id).replace('Attackers', '&x;')}`),
    reason: 'DOCTYPE_FORBIDDEN',
    says: /DOCTYPE/,
  },
  'encrypted assertion': {
    build: (id) => b64(encryptedAssertionResponse(xml(id, { sign: 'response' }))),
    reason: 'ENCRYPTED_ASSERTION_UNSUPPORTED',
    says: /encryption/,
  },
  'IdP reports failure': {
    build: (id) =>
      b64(
        xml(id, {
          sign: 'response',
          statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
          statusMessage: 'User not assigned',
        }),
      ),
    reason: 'STATUS_NOT_SUCCESS',
    says: /User not assigned/,
  },
  'not base64': { build: () => '%%% not base64 %%%', reason: 'MALFORMED_RESPONSE', says: /base64/ },
  'not XML': { build: () => b64('this is not xml'), reason: 'MALFORMED_RESPONSE', says: /well-formed/ },
};
for (const [name, attack] of Object.entries(wrappingAttacks)) {
  attacks[`signature wrapping ${name}`] = {
    build: (id) => b64(attack.wrap(xml(id, { nameId: ATTACKER, sign: attack.sign }), VICTIM)),
    reason: name === 'XSW1' || name === 'XSW2' ? 'SIGNATURE_STRUCTURE' : 'ASSERTION_COUNT',
    says: /signature-wrapping|assertions/,
  };
}

async function snapshot() {
  return {
    users: await saml.userCount(),
    victim: await saml.user(VICTIM),
    attacker: await saml.user(ATTACKER),
  };
}

describe('attacks at the ACS', () => {
  it.each(Object.keys(attacks))('refuses: %s', async (name) => {
    const attack = attacks[name];
    const before = await snapshot();
    const { requestId } = await saml.login();
    const response = await saml.post(attack.build(requestId));

    expect(response.status).toBe(attack.status ?? 400);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(sessionCookieOf(response)).toBeNull();
    const page = await response.text();
    expect(page).toContain('Sign-in refused');
    expect(page).toMatch(attack.says);
    expect(page).toContain(attack.reason);

    const [event] = await saml.audit('saml.signInRefused', 1);
    expect(event.summary.reason).toBe(attack.reason);
    expect(await snapshot()).toEqual(before);
  });

  it('accepts SHA-1 only once an administrator allows it for a legacy IdP', async () => {
    await saml.configure({ allowSha1: true });
    try {
      const { requestId } = await saml.login();
      const response = await saml.post(
        b64(
          xml(requestId, {
            nameId: ATTACKER,
            groups: [],
            signatureAlgorithm: ALGORITHMS.rsaSha1,
            digestAlgorithm: ALGORITHMS.sha1,
          }),
        ),
      );
      expect(response.status).toBe(303);
    } finally {
      await saml.configure({});
    }
  });

  it('answers 413 to a body over 1 MB, declared or streamed', async () => {
    const before = await snapshot();
    const big = 'A'.repeat(1024 * 1024 + 10);
    const declared = await saml.post(big);
    expect(declared.status).toBe(413);
    expect(await declared.text()).toContain('larger than 1 MB');

    const chunk = new TextEncoder().encode('SAMLResponse=' + 'A'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 20) controller.close();
        else {
          sent++;
          controller.enqueue(chunk);
        }
      },
    });
    const streamed = await fetch(`${roster.url}/saml/${saml.channel.slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await saml.audit('saml.signInRefused', 1))[0].summary.reason).toBe('BODY_TOO_LARGE');
    expect(await snapshot()).toEqual(before);
  });

  it('accepts only the POST binding: a form with exactly one SAMLResponse', async () => {
    const get = await fetch(`${roster.url}/saml/${saml.channel.slug}/acs?SAMLResponse=x`);
    expect(get.status).toBe(405);
    expect(await get.text()).toContain('HTTP-POST');

    const json = await fetch(`${roster.url}/saml/${saml.channel.slug}/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ SAMLResponse: 'x' }),
    });
    expect(json.status).toBe(400);
    expect(await json.text()).toContain('application/x-www-form-urlencoded');

    const none = await fetch(`${roster.url}/saml/${saml.channel.slug}/acs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'RelayState=/x',
    });
    expect(none.status).toBe(400);

    const { requestId } = await saml.login();
    const valid = saml.response({ nameId: ATTACKER, inResponseTo: requestId });
    const two = await fetch(`${roster.url}/saml/${saml.channel.slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([
        ['SAMLResponse', valid],
        ['SAMLResponse', valid],
      ]),
    });
    expect(two.status).toBe(400);
    expect(sessionCookieOf(two)).toBeNull();
  });

  it('serves refusal pages that cannot be framed, cached or scripted', async () => {
    const response = await saml.post(b64(xml('_x', { sign: 'none' })));
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('escapes attacker-controlled text on the refusal page', async () => {
    const { requestId } = await saml.login();
    const response = await saml.post(b64(xml(requestId, { audience: '<script>alert(1)</script>' })));
    const page = await response.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;');
  });
});
