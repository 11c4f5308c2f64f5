import {
  ALGORITHMS,
  appendSecondAssertion,
  createTestIdp,
  encodeResponse,
  encryptedAssertionResponse,
  generateSigningKey,
  injectCommentInNameId,
  injectInstructionInNameId,
  ResponseOptions,
  signElement,
  stripSignatures,
  tamperNameId,
  wrappingAttacks,
} from '../../helpers/test-idp';
import { ResponseExpectations, validateSamlResponse } from '../../../src/saml/response-validator';
import { SamlRefusal } from '../../../src/saml/refusal';

const ACS = 'https://roster.example.test/saml/acme/acs';
const SP = 'https://roster.example.test/saml/acme/metadata';
const idp = createTestIdp();
const attacker = generateSigningKey('Attacker');

const expectations = (over: Partial<ResponseExpectations> = {}): ResponseExpectations => ({
  idpEntityId: idp.entityId,
  certificates: [idp.certificatePem],
  spEntityId: SP,
  acsUrl: ACS,
  allowSha1: false,
  ...over,
});
const options = (over: Partial<ResponseOptions> = {}): ResponseOptions => ({
  acsUrl: ACS,
  spEntityId: SP,
  nameId: 'ann@corp.test',
  groups: ['Engineering', 'Video Producers'],
  ...over,
});

function refusalOf(samlResponse: string, over: Partial<ResponseExpectations> = {}): SamlRefusal {
  try {
    validateSamlResponse(samlResponse, expectations(over));
  } catch (error) {
    if (error instanceof SamlRefusal) return error;
    throw error;
  }
  throw new Error('the response was accepted');
}
const refusalOfXml = (xml: string, over: Partial<ResponseExpectations> = {}) => refusalOf(encodeResponse(xml), over);

describe('accepted responses', () => {
  it('accepts an Okta-like response (Response and Assertion signed) and reads its claims', () => {
    const result = validateSamlResponse(
      idp.response(options({ inResponseTo: '_req1', sessionIndex: 'sess-9' })),
      expectations(),
    );
    expect(result).toMatchObject({
      nameId: 'ann@corp.test',
      issuer: idp.entityId,
      inResponseTo: '_req1',
      sessionIndex: 'sess-9',
      attributes: { groups: ['Engineering', 'Video Producers'] },
      signed: { response: true, assertion: true },
    });
    expect(result.assertionId).toMatch(/^id/);
    expect(result.notOnOrAfter.getTime()).toBeGreaterThan(Date.now());
  });

  it('accepts a response where only the assertion is signed', () => {
    const result = validateSamlResponse(idp.response(options({ sign: 'assertion' })), expectations());
    expect(result.signed).toEqual({ response: false, assertion: true });
  });

  it('accepts a response where only the Response is signed', () => {
    const result = validateSamlResponse(
      idp.response(options({ sign: 'response', inResponseTo: '_r2' })),
      expectations(),
    );
    expect(result.signed).toEqual({ response: true, assertion: false });
    expect(result.inResponseTo).toBe('_r2');
  });

  it('accepts RSA-SHA512 with SHA-512 digests', () => {
    const xml = idp.responseXml(
      options({ signatureAlgorithm: ALGORITHMS.rsaSha512, digestAlgorithm: ALGORITHMS.sha512 }),
    );
    expect(validateSamlResponse(encodeResponse(xml), expectations()).nameId).toBe('ann@corp.test');
  });

  it('accepts a signature without KeyInfo (the configured certificate is what counts)', () => {
    expect(validateSamlResponse(idp.response(options({ includeKeyInfo: false })), expectations()).nameId).toBe(
      'ann@corp.test',
    );
  });

  it('accepts either certificate during a rollover', () => {
    const next = generateSigningKey('Next IdP certificate');
    const both = [idp.certificatePem, next.certificatePem];
    expect(validateSamlResponse(idp.response(options()), expectations({ certificates: both })).nameId).toBe(
      'ann@corp.test',
    );
    expect(
      validateSamlResponse(idp.response(options({ signingKey: next })), expectations({ certificates: both })).nameId,
    ).toBe('ann@corp.test');
  });

  it('accepts a single group value, and no groups attribute at all', () => {
    expect(validateSamlResponse(idp.response(options({ groups: ['Solo'] })), expectations()).attributes.groups).toEqual(
      ['Solo'],
    );
    expect(
      validateSamlResponse(idp.response(options({ groups: undefined })), expectations()).attributes.groups,
    ).toBeUndefined();
  });

  it('tolerates clock skew of a few minutes', () => {
    const issued = new Date(Date.now() + 2 * 60_000); // the IdP's clock runs 2 minutes ahead
    expect(validateSamlResponse(idp.response(options({ now: issued, notBefore: issued })), expectations()).nameId).toBe(
      'ann@corp.test',
    );
    const lateBy = new Date(Date.now() + 5 * 60_000 + 60_000); // delivered 1 minute after NotOnOrAfter
    expect(validateSamlResponse(idp.response(options()), expectations({ now: lateBy })).nameId).toBe('ann@corp.test');
  });

  it('accepts SHA-1 only when the channel allows it', () => {
    const sha1 = idp.response(options({ signatureAlgorithm: ALGORITHMS.rsaSha1, digestAlgorithm: ALGORITHMS.sha1 }));
    expect(refusalOf(sha1).reason).toBe('SIGNATURE_ALGORITHM');
    expect(validateSamlResponse(sha1, expectations({ allowSha1: true })).nameId).toBe('ann@corp.test');
  });

  it('accepts a minimal assertion: no AuthnStatement, lifetime only in Conditions or only in the confirmation', () => {
    for (const omit of [['authnStatement'], ['subjectNotOnOrAfter'], ['conditionsNotOnOrAfter']] as const) {
      const result = validateSamlResponse(idp.response(options({ omit: [...omit] })), expectations());
      expect(result.nameId).toBe('ann@corp.test');
    }
  });

  it('accepts base64 with line breaks', () => {
    const wrapped = idp.response(options()).replace(/(.{76})/g, '$1\r\n');
    expect(validateSamlResponse(wrapped, expectations()).nameId).toBe('ann@corp.test');
  });
});

describe('refused responses', () => {
  it('refuses a response that is not base64 or not XML or not a Response', () => {
    expect(refusalOf('not base64 at all!').reason).toBe('MALFORMED_RESPONSE');
    expect(refusalOf(encodeResponse('<a><b></a>')).reason).toBe('MALFORMED_RESPONSE');
    expect(
      refusalOf(encodeResponse('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>')).reason,
    ).toBe('MALFORMED_RESPONSE');
  });

  it('refuses an unsigned response', () => {
    const refusal = refusalOf(idp.response(options({ sign: 'none' })));
    expect(refusal.reason).toBe('UNSIGNED');
    expect(refusal.message).toMatch(/not signed/);
    expect(refusalOfXml(stripSignatures(idp.responseXml(options()))).reason).toBe('UNSIGNED');
  });

  it('refuses a response signed by a key whose certificate is only in KeyInfo', () => {
    const refusal = refusalOf(idp.response(options({ signingKey: attacker })));
    expect(refusal.reason).toBe('UNTRUSTED_CERTIFICATE');
    expect(refusal.message).toMatch(/not configured for this channel/);
  });

  it('refuses a response signed by an untrusted key without KeyInfo', () => {
    expect(refusalOf(idp.response(options({ signingKey: attacker, includeKeyInfo: false }))).reason).toBe(
      'SIGNATURE_INVALID',
    );
  });

  it('refuses a response changed after signing', () => {
    for (const sign of ['both', 'assertion', 'response'] as const) {
      const xml = tamperNameId(
        idp.responseXml(options({ sign, nameId: 'ann@corp.test' })),
        'ann@corp.test',
        'boss@corp.test',
      );
      expect(refusalOfXml(xml).reason).toBe('SIGNATURE_INVALID');
    }
  });

  it('refuses when a present signature fails even if the other one verifies', () => {
    // Assertion signed by the IdP, Response re-signed by an attacker.
    const assertionOnly = idp.responseXml(options({ sign: 'assertion' }));
    const resigned = signElement(assertionOnly, attacker);
    expect(refusalOfXml(resigned).reason).toBe('UNTRUSTED_CERTIFICATE');
  });

  it('refuses SHA-1 signatures and SHA-1 digests separately', () => {
    expect(refusalOf(idp.response(options({ signatureAlgorithm: ALGORITHMS.rsaSha1 }))).message).toMatch(/RSA-SHA1/);
    expect(refusalOf(idp.response(options({ digestAlgorithm: ALGORITHMS.sha1 }))).message).toMatch(/SHA-1 digest/);
  });

  it('refuses transforms other than enveloped + exclusive c14n, and HMAC signatures', () => {
    const inclusive = idp.responseXml(options({ sign: 'none' }));
    const signed = signElement(inclusive, idp.key, { transforms: [ALGORITHMS.enveloped, ALGORITHMS.c14n] });
    expect(refusalOfXml(signed).reason).toBe('SIGNATURE_ALGORITHM');
    const hmac = idp
      .responseXml(options())
      .replace(new RegExp(ALGORITHMS.rsaSha256, 'g'), 'http://www.w3.org/2000/09/xmldsig#hmac-sha1');
    expect(refusalOfXml(hmac).reason).toBe('SIGNATURE_ALGORITHM');
  });

  it('refuses the wrong audience', () => {
    const refusal = refusalOf(idp.response(options({ audience: 'https://other.example.test/sp' })));
    expect(refusal.reason).toBe('AUDIENCE_MISMATCH');
    expect(refusal.message).toContain(SP);
    expect(refusalOf(idp.response(options({ audience: null }))).reason).toBe('AUDIENCE_MISMATCH');
  });

  it('refuses the wrong or a missing destination', () => {
    expect(refusalOf(idp.response(options({ destination: 'https://evil.example.test/acs' }))).reason).toBe(
      'DESTINATION_MISMATCH',
    );
    expect(refusalOf(idp.response(options({ destination: null }))).reason).toBe('DESTINATION_MISMATCH');
  });

  it('refuses the wrong or a missing recipient', () => {
    expect(refusalOf(idp.response(options({ recipient: 'https://evil.example.test/acs' }))).reason).toBe(
      'RECIPIENT_MISMATCH',
    );
    expect(refusalOf(idp.response(options({ recipient: null }))).reason).toBe('RECIPIENT_MISMATCH');
  });

  it('refuses a subject confirmation that is not bearer', () => {
    const refusal = refusalOf(
      idp.response(options({ confirmationMethod: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key' })),
    );
    expect(refusal.reason).toBe('SUBJECT_CONFIRMATION');
  });

  it('refuses the wrong issuer in the assertion or in the response', () => {
    expect(refusalOf(idp.response(options({ issuer: 'http://www.okta.com/other' }))).reason).toBe('ISSUER_MISMATCH');
    expect(refusalOf(idp.response(options({ responseIssuer: 'http://www.okta.com/other' }))).reason).toBe(
      'ISSUER_MISMATCH',
    );
    // An IdP configured for another channel signs with the same key but is another entity.
    expect(refusalOf(idp.response(options()), { idpEntityId: 'http://www.okta.com/exkOTHER' }).reason).toBe(
      'ISSUER_MISMATCH',
    );
  });

  it('refuses an expired assertion', () => {
    const issued = new Date(Date.now() - 20 * 60_000);
    const refusal = refusalOf(idp.response(options({ now: issued })));
    expect(refusal.reason).toBe('EXPIRED');
    const staleConfirmation = idp.response(options({ subjectNotOnOrAfter: new Date(Date.now() - 10 * 60_000) }));
    expect(refusalOf(staleConfirmation).reason).toBe('EXPIRED');
  });

  it('refuses an assertion that is not yet valid', () => {
    const later = new Date(Date.now() + 10 * 60_000);
    expect(refusalOf(idp.response(options({ notBefore: later }))).reason).toBe('NOT_YET_VALID');
    expect(refusalOf(idp.response(options({ now: later }))).reason).toBe('NOT_YET_VALID');
  });

  it('refuses a Response and assertion that answer different requests', () => {
    const xml = idp
      .responseXml(options({ sign: 'assertion', inResponseTo: '_a' }))
      .replace(/(<saml2p:Response[^>]*InResponseTo=")_a"/, '$1_b"');
    expect(refusalOfXml(xml).reason).toBe('IN_RESPONSE_TO_MISMATCH');
  });

  it('says what the IdP said when it did not sign the user in', () => {
    const refusal = refusalOf(
      idp.response(
        options({
          sign: 'response',
          statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
          subStatusCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
          statusMessage: 'User is not assigned to this application',
        }),
      ),
    );
    expect(refusal.reason).toBe('STATUS_NOT_SUCCESS');
    expect(refusal.message).toContain('Responder / RequestDenied');
    expect(refusal.message).toContain('User is not assigned');
  });

  it.each(Object.keys(wrappingAttacks))('refuses signature wrapping %s', (name) => {
    const attack = wrappingAttacks[name];
    const signed = idp.responseXml(options({ sign: attack.sign, nameId: 'ann@corp.test' }));
    const refusal = refusalOfXml(attack.wrap(signed, 'boss@corp.test'));
    expect(['SIGNATURE_STRUCTURE', 'ASSERTION_COUNT', 'SIGNATURE_INVALID']).toContain(refusal.reason);
  });

  it('refuses a comment that truncates the NameID', () => {
    const signed = idp.responseXml(options({ nameId: 'ann@corp.test.evil.test' }));
    const refusal = refusalOfXml(injectCommentInNameId(signed, 'ann@corp.test.evil.test', 'ann@corp.test'.length));
    expect(refusal.reason).toBe('XML_INJECTION');
  });

  it('refuses a processing instruction in the NameID', () => {
    const signed = idp.responseXml(options({ nameId: 'ann@corp.test.evil.test' }));
    const refusal = refusalOfXml(injectInstructionInNameId(signed, 'ann@corp.test.evil.test', 'ann@corp.test'.length));
    expect(refusal.reason).toBe('XML_INJECTION');
  });

  it('refuses two assertions', () => {
    expect(
      refusalOfXml(appendSecondAssertion(idp.responseXml(options({ sign: 'response' })), 'boss@corp.test')).reason,
    ).toBe('ASSERTION_COUNT');
    expect(refusalOfXml(appendSecondAssertion(idp.responseXml(options()), 'boss@corp.test')).reason).toBe(
      'ASSERTION_COUNT',
    );
  });

  it('refuses a DOCTYPE and entity expansion', () => {
    const signed = idp.responseXml(options());
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';
    expect(refusalOfXml(laughs + signed).reason).toBe('DOCTYPE_FORBIDDEN');
    const external = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>';
    expect(refusalOfXml(external + signed.replace('ann@corp.test', '&x;')).reason).toBe('DOCTYPE_FORBIDDEN');
  });

  it('refuses encrypted assertions cleanly', () => {
    const refusal = refusalOfXml(encryptedAssertionResponse(idp.responseXml(options({ sign: 'response' }))));
    expect(refusal.reason).toBe('ENCRYPTED_ASSERTION_UNSUPPORTED');
    expect(refusal.message).toMatch(/turn off assertion encryption/);
  });

  it('refuses a NameID that is not an email address', () => {
    const refusal = refusalOf(
      idp.response(
        options({ nameId: '00u1abcd', nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' }),
      ),
    );
    expect(refusal.reason).toBe('NAME_ID_INVALID');
    expect(refusal.message).toMatch(/EmailAddress/);
  });

  it('refuses deeply nested XML without exhausting the stack', () => {
    const depth = 20000;
    const deep = idp
      .responseXml(options())
      .replace('</saml2p:Response>', `${'<x>'.repeat(depth)}${'</x>'.repeat(depth)}</saml2p:Response>`);
    const refusal = refusalOfXml(deep);
    expect(refusal.reason).toBe('MALFORMED_RESPONSE');
    expect(refusal.message).toMatch(/nested more than/);
  });

  it('refuses an assertion that never expires', () => {
    const refusal = refusalOf(idp.response(options({ omit: ['subjectNotOnOrAfter', 'conditionsNotOnOrAfter'] })));
    expect(refusal.reason).toBe('SUBJECT_CONFIRMATION');
    expect(refusal.message).toMatch(/unlimited/);
  });

  it('refuses a response with no trusted certificate configured at all', () => {
    expect(refusalOf(idp.response(options()), { certificates: [] }).reason).toBe('UNTRUSTED_CERTIFICATE');
  });
});
