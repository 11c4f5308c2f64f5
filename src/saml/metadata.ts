import { X509Certificate } from 'node:crypto';
import { badInput } from '../domain/errors';
import {
  NS,
  XmlRefused,
  allChildElements,
  attr,
  childElements,
  is,
  normalizeXmlText,
  parseUntrustedXml,
  plainText,
} from './xml';

export interface IdpMetadata {
  entityId: string;
  /** The HTTP-Redirect SingleSignOnService, where SP-initiated sign-in sends the browser. */
  ssoUrl: string;
  /** PEM, one per signing certificate the IdP publishes (several during a certificate rollover). */
  certificates: string[];
}

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/**
 * Reads what Roster needs from an identity provider's SAML metadata (Okta, Entra ID, or any conformant
 * IdP): entity ID, redirect-binding SSO URL and signing certificates. Throws BAD_USER_INPUT with a message
 * the administrator can act on. The metadata's own signature is not checked: the administrator pastes it
 * from the IdP's admin console, which is the trust decision.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  if (typeof xml !== 'string' || xml.trim() === '') throw badInput('The IdP metadata XML is empty.');
  let doc: Document;
  try {
    doc = parseUntrustedXml(normalizeXmlText(xml).trim());
  } catch (error) {
    if (error instanceof XmlRefused && error.kind === 'doctype') {
      throw badInput(
        'The IdP metadata contains a DOCTYPE or entity declarations; paste the metadata XML exactly as the identity provider publishes it (it has none).',
      );
    }
    throw badInput(`The IdP metadata is not valid XML: ${(error as Error).message}`);
  }

  const root = doc.documentElement;
  let entity: Element;
  if (is(root, NS.metadata, 'EntityDescriptor')) {
    entity = root;
  } else if (is(root, NS.metadata, 'EntitiesDescriptor')) {
    const idps = entityDescriptorsIn(root).filter((e) => childElements(e, NS.metadata, 'IDPSSODescriptor').length > 0);
    if (idps.length === 0) throw badInput('The IdP metadata contains no identity provider (no IDPSSODescriptor).');
    if (idps.length > 1) {
      const ids = idps.map((e) => attr(e, 'entityID') ?? '?').join(', ');
      throw badInput(
        `The IdP metadata describes ${idps.length} identity providers (${ids}); paste the metadata of the one this channel uses.`,
      );
    }
    entity = idps[0];
  } else {
    throw badInput(
      'This is not SAML 2.0 metadata: the root element must be md:EntityDescriptor or md:EntitiesDescriptor.',
    );
  }

  const entityId = attr(entity, 'entityID')?.trim();
  if (!entityId) throw badInput('The IdP metadata has no entityID.');

  const idpDescriptors = childElements(entity, NS.metadata, 'IDPSSODescriptor').filter((d) =>
    (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol),
  );
  if (idpDescriptors.length === 0) {
    throw badInput(
      `The metadata of ${entityId} has no SAML 2.0 IDPSSODescriptor; it does not describe a SAML 2.0 identity provider.`,
    );
  }
  const idp = idpDescriptors[0];

  const redirect = childElements(idp, NS.metadata, 'SingleSignOnService').find(
    (s) => attr(s, 'Binding') === REDIRECT_BINDING,
  );
  const ssoUrl = redirect ? attr(redirect, 'Location')?.trim() : undefined;
  if (!ssoUrl) {
    throw badInput(
      `The metadata of ${entityId} has no SingleSignOnService with the HTTP-Redirect binding, which Roster uses to send users to the IdP.`,
    );
  }
  if (!isHttpUrl(ssoUrl)) throw badInput(`The IdP's SingleSignOnService location "${ssoUrl}" is not an http(s) URL.`);

  const certificates: string[] = [];
  for (const key of childElements(idp, NS.metadata, 'KeyDescriptor')) {
    // No `use` means the key serves both purposes; encryption-only keys cannot verify a signature.
    const use = attr(key, 'use');
    if (use !== null && use !== 'signing') continue;
    for (const keyInfo of childElements(key, NS.dsig, 'KeyInfo')) {
      for (const data of childElements(keyInfo, NS.dsig, 'X509Data')) {
        for (const certEl of childElements(data, NS.dsig, 'X509Certificate')) {
          const pem = certificateToPem(plainText(certEl) ?? '');
          if (!pem)
            throw badInput(`A signing certificate in the metadata of ${entityId} is not a valid X.509 certificate.`);
          if (!certificates.includes(pem)) certificates.push(pem);
        }
      }
    }
  }
  if (certificates.length === 0) {
    throw badInput(
      `The metadata of ${entityId} contains no signing certificate (KeyDescriptor with an X509Certificate).`,
    );
  }
  return { entityId, ssoUrl, certificates };
}

function entityDescriptorsIn(group: Element): Element[] {
  const out: Element[] = [];
  for (const child of allChildElements(group)) {
    if (is(child, NS.metadata, 'EntityDescriptor')) out.push(child);
    else if (is(child, NS.metadata, 'EntitiesDescriptor')) out.push(...entityDescriptorsIn(child));
  }
  return out;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Accepts a certificate as PEM or as bare base64 (as metadata and admin consoles show it, often wrapped
 * with whitespace) and returns canonical PEM, or null when it is not an X.509 certificate.
 */
export function certificateToPem(text: string): string | null {
  const body = text
    .replace(/-----BEGIN CERTIFICATE-----/, '')
    .replace(/-----END CERTIFICATE-----/, '')
    .replace(/\s+/g, '');
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return null;
  try {
    return new X509Certificate(Buffer.from(body, 'base64')).toString();
  } catch {
    return null;
  }
}
