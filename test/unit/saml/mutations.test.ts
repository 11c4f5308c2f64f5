import { createTestIdp, encodeResponse } from '../../helpers/test-idp';
import { validateSamlResponse, type ResponseExpectations } from '../../../src/saml/response-validator';
import { SamlRefusal } from '../../../src/saml/refusal';

/**
 * Random byte-level mutations of a signed response (deletions, duplications, stray quotes and angle
 * brackets, pasted fragments): each must be refused with a SamlRefusal — never a crash — or, when the change
 * touched nothing signed (KeyInfo, whitespace), yield exactly the claims of the original.
 */
it('refuses or reads identically every mutation of a signed response', () => {
  const idp = createTestIdp();
  const expect_: ResponseExpectations = {
    idpEntityId: idp.entityId,
    certificates: [idp.certificatePem],
    spEntityId: 'https://sp.test/metadata',
    acsUrl: 'https://sp.test/acs',
    allowSha1: false,
  };
  const original = idp.responseXml({
    acsUrl: expect_.acsUrl,
    spEntityId: expect_.spEntityId,
    nameId: 'ann@corp.test',
    groups: ['g1', 'g2'],
  });
  const claims = (r: ReturnType<typeof validateSamlResponse>) => ({
    nameId: r.nameId,
    attributes: r.attributes,
    assertionId: r.assertionId,
    issuer: r.issuer,
  });
  const expected = claims(validateSamlResponse(encodeResponse(original), expect_));

  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 400; i++) {
    let xml = original;
    for (let k = 1 + random(3); k > 0; k--) {
      const at = random(xml.length);
      const to = at + 1 + random(40);
      const from = random(xml.length);
      const edits = [
        () => xml.slice(0, at) + xml.slice(to),
        () => xml.slice(0, at) + xml.slice(at, to) + xml.slice(at),
        () => xml.slice(0, at) + '"' + xml.slice(at),
        () => xml.slice(0, at) + '<' + xml.slice(to),
        () => xml.slice(0, at) + xml.slice(from, from + random(200)) + xml.slice(at),
      ];
      xml = edits[random(edits.length)]();
    }
    let result;
    try {
      result = validateSamlResponse(encodeResponse(xml), expect_);
    } catch (error) {
      expect(error).toBeInstanceOf(SamlRefusal);
      continue;
    }
    expect(claims(result)).toEqual(expected);
  }
});
