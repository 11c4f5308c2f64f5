import { randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { NS, escapeXml } from './xml';

/** A fresh AuthnRequest ID: an xs:ID (starts with a letter or `_`) with 160 random bits. */
export function newAuthnRequestId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

export interface AuthnRequestInput {
  id: string;
  spEntityId: string;
  acsUrl: string;
  ssoUrl: string;
  now?: Date;
}

/**
 * The AuthnRequest for SP-initiated sign-in. No NameIDPolicy: the NameID format is the application's
 * setting in the IdP, and asking for a specific one makes some IdPs fail the request.
 */
export function authnRequestXml(input: AuthnRequestInput): string {
  const issueInstant = (input.now ?? new Date()).toISOString();
  return (
    `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${input.id}" Version="2.0"` +
    ` IssueInstant="${issueInstant}" Destination="${escapeXml(input.ssoUrl)}"` +
    ` AssertionConsumerServiceURL="${escapeXml(input.acsUrl)}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>${escapeXml(input.spEntityId)}</saml:Issuer>` +
    `</samlp:AuthnRequest>`
  );
}

/** The HTTP-Redirect binding: DEFLATE, base64, as the SAMLRequest query parameter of the IdP's SSO URL. */
export function redirectBindingUrl(ssoUrl: string, requestXml: string, relayState?: string): string {
  const url = new URL(ssoUrl);
  url.searchParams.append('SAMLRequest', deflateRawSync(Buffer.from(requestXml, 'utf8')).toString('base64'));
  if (relayState) url.searchParams.append('RelayState', relayState);
  return url.toString();
}
