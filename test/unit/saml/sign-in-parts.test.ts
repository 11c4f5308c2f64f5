import { inflateRawSync } from 'node:zlib';
import { authnRequestXml, newAuthnRequestId, redirectBindingUrl } from '../../../src/saml/authn-request';
import { safeReturnPath } from '../../../src/saml/return-to';
import { spMetadataXml } from '../../../src/saml/sp-metadata';
import { parseUntrustedXml } from '../../../src/saml/xml';
import { groupClaims } from '../../../src/domain/saml/sign-in';

describe('safeReturnPath', () => {
  it.each(['/', '/videos/42', '/videos/42?tab=comments#c7', '/search?q=a%2Fb', '/a/b//c'])('keeps %j', (path) => {
    expect(safeReturnPath(path)).toBe(path);
  });

  it.each([
    'https://evil.test/',
    'http:/evil.test',
    '//evil.test',
    '///evil.test',
    '/\\evil.test',
    '\\/evil.test',
    '/\t/evil.test',
    '/\n/evil.test',
    '/ /evil.test',
    'javascript:alert(1)',
    'data:text/html,x',
    'evil.test',
    '',
    '/' + 'a'.repeat(3000),
  ])('refuses %j', (value) => {
    expect(safeReturnPath(value)).toBeNull();
  });

  it('refuses non-strings', () => {
    expect(safeReturnPath(undefined)).toBeNull();
    expect(safeReturnPath(['/a'])).toBeNull();
  });
});

describe('AuthnRequest over the redirect binding', () => {
  it('builds a request with a fresh ID, the ACS URL and the SP entity ID, deflated into SAMLRequest', () => {
    const id = newAuthnRequestId();
    expect(id).toMatch(/^_[0-9a-f]{40}$/);
    expect(newAuthnRequestId()).not.toBe(id);
    const xml = authnRequestXml({
      id,
      spEntityId: 'https://r.test/saml/a/metadata',
      acsUrl: 'https://r.test/saml/a/acs',
      ssoUrl: 'https://idp.test/sso?app=1&x=<',
    });
    const request = parseUntrustedXml(xml).documentElement;
    expect(request.localName).toBe('AuthnRequest');
    expect(request.getAttribute('ID')).toBe(id);
    expect(request.getAttribute('Destination')).toBe('https://idp.test/sso?app=1&x=<');

    const url = new URL(redirectBindingUrl('https://idp.test/sso?app=1', xml, '/back'));
    expect(url.searchParams.get('app')).toBe('1');
    expect(url.searchParams.get('RelayState')).toBe('/back');
    expect(inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString()).toBe(xml);
  });
});

describe('SP metadata', () => {
  it('is well-formed and names the entity ID and ACS URL', () => {
    const xml = spMetadataXml({
      entityId: 'https://r.test/saml/a&b/metadata',
      acsUrl: 'https://r.test/saml/a/acs',
      metadataUrl: '',
      loginUrl: '',
    });
    const root = parseUntrustedXml(xml).documentElement;
    expect(root.getAttribute('entityID')).toBe('https://r.test/saml/a&b/metadata');
    expect(xml).toContain('Location="https://r.test/saml/a/acs"');
  });
});

describe('groupClaims', () => {
  it('reads one value or many under the configured name, case-insensitively, without duplicates', () => {
    expect(groupClaims({ groups: ['A', 'B', 'A'] }, 'groups')).toEqual(['A', 'B']);
    expect(groupClaims({ Groups: ['A'] }, 'groups')).toEqual(['A']);
    expect(groupClaims({ memberOf: ['X'] }, 'groups')).toEqual([]);
  });
});
