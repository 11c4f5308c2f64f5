import { parseIdpMetadata } from '../../../src/saml/metadata';
import { DomainError } from '../../../src/domain/errors';
import { bareCertificate, createTestIdp, generateSigningKey, idpMetadataXml } from '../../helpers/test-idp';

const signing = generateSigningKey('IdP signing');
const next = generateSigningKey('IdP signing (next)');
const encryption = generateSigningKey('IdP encryption');
const b64 = (pem: string) => bareCertificate(pem);
const wrapped = (pem: string) => '\n        ' + b64(pem).replace(/(.{64})/g, '$1\n        ') + '\n      ';

function refusalOf(xml: string): DomainError {
  try {
    parseIdpMetadata(xml);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('the metadata was accepted');
}

/** The shape Microsoft Entra ID publishes: default namespace, a metadata signature, WS-Fed role descriptors. */
function entraMetadata(tenant: string, certs: string[]): string {
  const key = (pem: string) =>
    `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${b64(pem)}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>`;
  return (
    `<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_8c4c8b54-8f7e-4c3b-9d0f-1f6d1a7f0a11" entityID="https://sts.windows.net/${tenant}/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata">` +
    `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="#_8c4c8b54-8f7e-4c3b-9d0f-1f6d1a7f0a11"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue>AAAA</DigestValue></Reference></SignedInfo><SignatureValue>AAAA</SignatureValue><KeyInfo><X509Data><X509Certificate>${b64(certs[0])}</X509Certificate></X509Data></KeyInfo></Signature>` +
    `<RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">${key(encryption.certificatePem)}</RoleDescriptor>` +
    `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${certs.map(key).join('')}` +
    `<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/${tenant}/saml2"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/${tenant}/saml2"/>` +
    `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/${tenant}/saml2"/>` +
    `</IDPSSODescriptor></EntityDescriptor>`
  );
}

describe('parseIdpMetadata', () => {
  it('reads Okta metadata', () => {
    const idp = createTestIdp({
      entityId: 'http://www.okta.com/exk1a2b3c',
      ssoUrl: 'https://acme.okta.com/app/acme_roster_1/exk1a2b3c/sso/saml',
      key: signing,
    });
    expect(parseIdpMetadata(idp.metadataXml())).toEqual({
      entityId: 'http://www.okta.com/exk1a2b3c',
      ssoUrl: 'https://acme.okta.com/app/acme_roster_1/exk1a2b3c/sso/saml',
      certificates: [signing.certificatePem],
    });
  });

  it('reads Entra ID metadata, ignoring the WS-Federation role descriptors', () => {
    const parsed = parseIdpMetadata(
      entraMetadata('0d7c8a3e-1111-2222-3333-444455556666', [signing.certificatePem, next.certificatePem]),
    );
    expect(parsed.entityId).toBe('https://sts.windows.net/0d7c8a3e-1111-2222-3333-444455556666/');
    expect(parsed.ssoUrl).toBe('https://login.microsoftonline.com/0d7c8a3e-1111-2222-3333-444455556666/saml2');
    expect(parsed.certificates).toEqual([signing.certificatePem, next.certificatePem]);
  });

  it('reads an EntitiesDescriptor wrapper', () => {
    const inner = idpMetadataXml('https://idp.example.test', 'https://idp.example.test/sso', [
      signing.certificatePem,
    ]).replace(/^<\?xml[^>]*>/, '');
    const sp = `<md:EntityDescriptor entityID="https://sp.example.test"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`;
    const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" Name="federation">${sp.replace('<md:EntityDescriptor', '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"')}${inner}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(xml).entityId).toBe('https://idp.example.test');
  });

  it('refuses an EntitiesDescriptor with several identity providers, naming them', () => {
    const one = idpMetadataXml('https://one.example.test', 'https://one.example.test/sso', [
      signing.certificatePem,
    ]).replace(/^<\?xml[^>]*>/, '');
    const two = idpMetadataXml('https://two.example.test', 'https://two.example.test/sso', [
      signing.certificatePem,
    ]).replace(/^<\?xml[^>]*>/, '');
    const error = refusalOf(
      `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${one}${two}</md:EntitiesDescriptor>`,
    );
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('https://one.example.test, https://two.example.test');
  });

  it('takes a KeyDescriptor without use as signing and ignores use="encryption"', () => {
    const xml =
      `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.test">` +
      `<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:1.1:protocol urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${b64(encryption.certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>` +
      `<KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${b64(signing.certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>` +
      `<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${wrapped(next.certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>` +
      `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>` +
      `</IDPSSODescriptor></EntityDescriptor>`;
    expect(parseIdpMetadata(xml).certificates).toEqual([signing.certificatePem, next.certificatePem]);
  });

  it('accepts whitespace inside the base64, a UTF-8 byte-order mark, and CRLF line ends', () => {
    const xml =
      '\uFEFF' +
      idpMetadataXml('https://idp.example.test', 'https://idp.example.test/sso', [signing.certificatePem])
        .replace(b64(signing.certificatePem), wrapped(signing.certificatePem))
        .replace(/></g, '>\r\n<');
    expect(parseIdpMetadata(xml).certificates).toEqual([signing.certificatePem]);
  });

  it('lists each certificate once', () => {
    const xml = idpMetadataXml('https://idp.example.test', 'https://idp.example.test/sso', [
      signing.certificatePem,
      signing.certificatePem,
    ]);
    expect(parseIdpMetadata(xml).certificates).toHaveLength(1);
  });

  it('refuses a DOCTYPE and entity declarations with a clear error', () => {
    const base = idpMetadataXml('https://idp.example.test', 'https://idp.example.test/sso', [
      signing.certificatePem,
    ]).replace(/^<\?xml[^>]*>/, '');
    const error = refusalOf(
      `<?xml version="1.0"?><!DOCTYPE md [<!ENTITY e "https://evil.example.test">]>${base.replace('https://idp.example.test/sso', '&e;')}`,
    );
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/DOCTYPE/);
  });

  it.each([
    ['empty input', '', /empty/],
    ['broken XML', '<md:EntityDescriptor', /not valid XML/],
    ['another document', '<html><body>Okta</body></html>', /not SAML 2.0 metadata/],
    [
      'no redirect binding',
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`,
      /HTTP-Redirect/,
    ],
    [
      'no signing certificate',
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`,
      /no signing certificate/,
    ],
    [
      'SP metadata',
      `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`,
      /no SAML 2.0 IDPSSODescriptor/,
    ],
  ])('refuses %s', (_label, xml, message) => {
    const error = refusalOf(xml);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
  });

  it('refuses a certificate that is not X.509', () => {
    const xml = idpMetadataXml('https://idp.example.test', 'https://idp.example.test/sso', [
      signing.certificatePem,
    ]).replace(b64(signing.certificatePem), 'bm90IGEgY2VydGlmaWNhdGU=');
    expect(refusalOf(xml).message).toMatch(/not a valid X.509 certificate/);
  });
});
