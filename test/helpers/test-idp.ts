/**
 * An in-repository SAML identity provider for tests: a key pair and self-signed certificate generated on
 * the spot, and Okta-like responses (Response and Assertion signed, RSA-SHA256, exclusive c14n, a groups
 * attribute statement). Options and the attack helpers below build the variants the attack tests need.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as rsaSign,
  X509Certificate,
} from 'node:crypto';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';

const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

export const ALGORITHMS = {
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  excC14nWithComments: 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
} as const;

export interface SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

// ---------------------------------------------------------------------------------------------------------
// A self-signed X.509 certificate, DER-encoded by hand (node:crypto makes keys but not certificates).

function der(tag: number, content: Buffer): Buffer {
  const len = content.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else {
    const bytes: number[] = [];
    for (let n = len; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}
const seq = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const nullValue = () => Buffer.from([0x05, 0x00]);
function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [40 * parts[0] + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = part >> 7; n > 0; n >>= 7) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}
function integer(value: Buffer): Buffer {
  const v = value[0] & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value;
  return der(0x02, v);
}
function utcTime(date: Date): Buffer {
  const s = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return der(0x17, Buffer.from(s, 'ascii'));
}
/** A positive serial whose DER encoding is minimal: a leading 0x00 byte would be rejected (1 time in 256). */
function serialNumber(): Buffer {
  const serial = randomBytes(8);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  return serial;
}
const name = (commonName: string) => seq(set(seq(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));

/** A fresh RSA key pair and a self-signed certificate for it (sha256WithRSAEncryption). */
export function generateSigningKey(commonName = 'Roster Test IdP', bits = 2048): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), nullValue());
  const now = Date.now();
  const tbs = seq(
    der(0xa0, integer(Buffer.from([2]))), // v3
    integer(serialNumber()),
    sha256WithRsa,
    name(commonName),
    seq(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 10 * 365 * 86_400_000))),
    name(commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = rsaSign('sha256', tbs, privateKey);
  const certificate = seq(tbs, sha256WithRsa, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certificatePem = new X509Certificate(certificate).toString();
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificatePem };
}

/** The base64 body of a PEM certificate, as it appears in metadata and KeyInfo. */
export function bareCertificate(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

// ---------------------------------------------------------------------------------------------------------
// Responses

export interface ResponseOptions {
  acsUrl: string;
  spEntityId: string;
  nameId: string;
  inResponseTo?: string;
  /** Values of the groups attribute; omitted attribute when undefined. */
  groups?: string[];
  groupsAttribute?: string;
  attributes?: Record<string, string[]>;
  /** Which parts carry a signature (Okta: both). */
  sign?: 'both' | 'assertion' | 'response' | 'none';
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  /** Sign with this key instead of the IdP's own (an attacker's key, or a rolled-over one). */
  signingKey?: SigningKey;
  /** Put the signing certificate in KeyInfo (default true, as Okta does). */
  includeKeyInfo?: boolean;
  now?: Date;
  /** Lifetime of the assertion from `now` (default 5 minutes). */
  lifetimeMs?: number;
  notBefore?: Date;
  notOnOrAfter?: Date;
  subjectNotOnOrAfter?: Date;
  issuer?: string;
  responseIssuer?: string | null;
  /** null leaves the attribute out. */
  destination?: string | null;
  recipient?: string | null;
  audience?: string | null;
  assertionId?: string;
  responseId?: string;
  statusCode?: string;
  subStatusCode?: string;
  statusMessage?: string;
  confirmationMethod?: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  /** Leave out parts a minimal IdP might not send. */
  omit?: Array<'authnStatement' | 'subjectNotOnOrAfter' | 'conditionsNotOnOrAfter'>;
}

export interface TestIdp {
  entityId: string;
  ssoUrl: string;
  key: SigningKey;
  certificatePem: string;
  /** Okta-style IdP metadata for configureSaml's metadataXml. */
  metadataXml(extraCertificates?: string[]): string;
  /** The response XML (signed per options). */
  responseXml(options: ResponseOptions): string;
  /** Base64, as posted in the SAMLResponse form field. */
  response(options: ResponseOptions): string;
}

export function newId(): string {
  return `id${randomBytes(16).toString('hex')}`;
}

export function createTestIdp(options: { entityId?: string; ssoUrl?: string; key?: SigningKey } = {}): TestIdp {
  const key = options.key ?? generateSigningKey();
  const entityId = options.entityId ?? `http://www.okta.com/exk${randomBytes(8).toString('hex')}`;
  const ssoUrl = options.ssoUrl ?? 'https://idp.example.test/app/roster/sso/saml';
  const idp: TestIdp = {
    entityId,
    ssoUrl,
    key,
    certificatePem: key.certificatePem,
    metadataXml: (extra = []) => idpMetadataXml(entityId, ssoUrl, [key.certificatePem, ...extra]),
    responseXml: (o) => buildResponseXml(entityId, key, o),
    response: (o) => encodeResponse(buildResponseXml(entityId, key, o)),
  };
  return idp;
}

export function encodeResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function idpMetadataXml(entityId: string, ssoUrl: string, certificates: string[]): string {
  const keys = certificates
    .map(
      (pem) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${DSIG}"><ds:X509Data><ds:X509Certificate>${bareCertificate(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${PROTOCOL}">${keys}` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ssoUrl}"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const iso = (d: Date) => d.toISOString();

function buildResponseXml(entityId: string, idpKey: SigningKey, o: ResponseOptions): string {
  const now = o.now ?? new Date();
  const lifetime = o.lifetimeMs ?? 5 * 60_000;
  const notBefore = o.notBefore ?? new Date(now.getTime() - 60_000);
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + lifetime);
  const subjectNotOnOrAfter = o.subjectNotOnOrAfter ?? notOnOrAfter;
  const assertionId = o.assertionId ?? newId();
  const responseId = o.responseId ?? newId();
  const issuer = o.issuer ?? entityId;
  const responseIssuer = o.responseIssuer === undefined ? issuer : o.responseIssuer;
  const destination = o.destination === undefined ? o.acsUrl : o.destination;
  const recipient = o.recipient === undefined ? o.acsUrl : o.recipient;
  const audience = o.audience === undefined ? o.spEntityId : o.audience;
  const inResponseTo = o.inResponseTo ? ` InResponseTo="${esc(o.inResponseTo)}"` : '';
  const sign = o.sign ?? 'both';
  const key = o.signingKey ?? idpKey;
  const omit = o.omit ?? [];

  const attributes: Record<string, string[]> = { ...(o.attributes ?? {}) };
  if (o.groups) attributes[o.groupsAttribute ?? 'groups'] = o.groups;
  const attributeXml = Object.entries(attributes)
    .map(
      ([attrName, values]) =>
        `<saml2:Attribute Name="${esc(attrName)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">` +
        values
          .map(
            (v) =>
              `<saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">${esc(v)}</saml2:AttributeValue>`,
          )
          .join('') +
        `</saml2:Attribute>`,
    )
    .join('');

  let assertion =
    `<saml2:Assertion xmlns:saml2="${ASSERTION}" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="${assertionId}" IssueInstant="${iso(now)}" Version="2.0">` +
    `<saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(issuer)}</saml2:Issuer>` +
    `<saml2:Subject><saml2:NameID Format="${o.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'}">${esc(o.nameId)}</saml2:NameID>` +
    `<saml2:SubjectConfirmation Method="${o.confirmationMethod ?? 'urn:oasis:names:tc:SAML:2.0:cm:bearer'}"><saml2:SubjectConfirmationData${inResponseTo}${omit.includes('subjectNotOnOrAfter') ? '' : ` NotOnOrAfter="${iso(subjectNotOnOrAfter)}"`}${recipient === null ? '' : ` Recipient="${esc(recipient)}"`}/></saml2:SubjectConfirmation></saml2:Subject>` +
    `<saml2:Conditions NotBefore="${iso(notBefore)}"${omit.includes('conditionsNotOnOrAfter') ? '' : ` NotOnOrAfter="${iso(notOnOrAfter)}"`}>` +
    (audience === null
      ? ''
      : `<saml2:AudienceRestriction><saml2:Audience>${esc(audience)}</saml2:Audience></saml2:AudienceRestriction>`) +
    `</saml2:Conditions>` +
    (omit.includes('authnStatement')
      ? ''
      : `<saml2:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${o.sessionIndex ?? assertionId}"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>`) +
    (attributeXml ? `<saml2:AttributeStatement>${attributeXml}</saml2:AttributeStatement>` : '') +
    `</saml2:Assertion>`;
  if (sign === 'both' || sign === 'assertion') assertion = signElement(assertion, key, o);

  const status =
    `<saml2p:Status><saml2p:StatusCode Value="${o.statusCode ?? 'urn:oasis:names:tc:SAML:2.0:status:Success'}">` +
    (o.subStatusCode ? `<saml2p:StatusCode Value="${o.subStatusCode}"/>` : '') +
    `</saml2p:StatusCode>${o.statusMessage ? `<saml2p:StatusMessage>${esc(o.statusMessage)}</saml2p:StatusMessage>` : ''}</saml2p:Status>`;
  let response =
    `<saml2p:Response xmlns:saml2p="${PROTOCOL}"${destination === null ? '' : ` Destination="${esc(destination)}"`} ID="${responseId}"${inResponseTo} IssueInstant="${iso(now)}" Version="2.0">` +
    (responseIssuer === null
      ? ''
      : `<saml2:Issuer xmlns:saml2="${ASSERTION}" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">${esc(responseIssuer)}</saml2:Issuer>`) +
    status +
    assertion +
    `</saml2p:Response>`;
  if (sign === 'both' || sign === 'response') response = signElement(response, key, o);
  return response;
}

/** Signs the root element of `xml` with an enveloped signature placed after its Issuer (or first). */
export function signElement(
  xml: string,
  key: SigningKey,
  o: { signatureAlgorithm?: string; digestAlgorithm?: string; includeKeyInfo?: boolean; transforms?: string[] } = {},
): string {
  const sig = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: key.certificatePem,
    signatureAlgorithm: o.signatureAlgorithm ?? ALGORITHMS.rsaSha256,
    canonicalizationAlgorithm: ALGORITHMS.excC14n,
  });
  if (o.includeKeyInfo === false) sig.getKeyInfoContent = () => null;
  sig.addReference({
    xpath: '/*',
    transforms: o.transforms ?? [ALGORITHMS.enveloped, ALGORITHMS.excC14n],
    digestAlgorithm: o.digestAlgorithm ?? ALGORITHMS.sha256,
  });
  const hasIssuer = /^<[^>]*>\s*<(\w+:)?Issuer[\s>]/.test(xml);
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: hasIssuer
      ? { reference: "/*/*[local-name(.)='Issuer']", action: 'after' }
      : { reference: '/*', action: 'prepend' },
  });
  return sig.getSignedXml();
}

// ---------------------------------------------------------------------------------------------------------
// DOM helpers for the attack variants

export function parseXml(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml');
}
export function serializeXml(doc: Document | Node): string {
  return new XMLSerializer().serializeToString(doc);
}
function firstByName(root: Document | Element, ns: string, localName: string): Element {
  const el = root.getElementsByTagNameNS(ns, localName)[0];
  if (!el) throw new Error(`no ${localName}`);
  return el;
}
function directChild(parent: Element, ns: string, localName: string): Element | null {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === localName)
      return n as Element;
  }
  return null;
}
function setNameId(assertion: Element, nameId: string): void {
  const el = firstByName(assertion, ASSERTION, 'NameID');
  while (el.firstChild) el.removeChild(el.firstChild);
  el.appendChild(el.ownerDocument.createTextNode(nameId));
}
/** An unsigned copy of the document's assertion, re-addressed to `nameId`, with a fresh ID. */
function evilAssertionFrom(doc: Document, nameId: string, keepSignature = false): Element {
  const evil = firstByName(doc, ASSERTION, 'Assertion').cloneNode(true) as Element;
  evil.setAttribute('ID', newId());
  const sig = directChild(evil, DSIG, 'Signature');
  if (sig && !keepSignature) evil.removeChild(sig);
  setNameId(evil, nameId);
  return evil;
}

/**
 * The signature-wrapping family of Somorovsky et al. ("On Breaking SAML", 2012), adapted to a response
 * signed the way the variant needs. Each takes a validly signed response and tries to make the SP read an
 * assertion for `evilNameId` while the original signature still verifies.
 */
export const wrappingAttacks: Record<
  string,
  { sign: 'response' | 'assertion'; wrap: (xml: string, evilNameId: string) => string }
> = {
  // XSW1: the original signed Response moves into the Signature; the outer, evil Response is unsigned.
  XSW1: {
    sign: 'response',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const response = doc.documentElement;
      const original = response.cloneNode(true) as Element;
      const origSig = directChild(original, DSIG, 'Signature')!;
      original.removeChild(origSig);
      response.setAttribute('ID', newId());
      setNameId(firstByName(response, ASSERTION, 'Assertion'), evilNameId);
      directChild(response, DSIG, 'Signature')!.appendChild(original);
      return serializeXml(doc);
    },
  },
  // XSW2: like XSW1, but the original Response sits next to the Signature (detached).
  XSW2: {
    sign: 'response',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const response = doc.documentElement;
      const original = response.cloneNode(true) as Element;
      original.removeChild(directChild(original, DSIG, 'Signature')!);
      response.setAttribute('ID', newId());
      setNameId(firstByName(response, ASSERTION, 'Assertion'), evilNameId);
      response.insertBefore(original, directChild(response, DSIG, 'Signature'));
      return serializeXml(doc);
    },
  },
  // XSW3: an evil assertion placed before the signed one.
  XSW3: {
    sign: 'assertion',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const original = firstByName(doc, ASSERTION, 'Assertion');
      doc.documentElement.insertBefore(evilAssertionFrom(doc, evilNameId), original);
      return serializeXml(doc);
    },
  },
  // XSW4: the signed assertion wrapped inside the evil one.
  XSW4: {
    sign: 'assertion',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const original = firstByName(doc, ASSERTION, 'Assertion');
      const evil = evilAssertionFrom(doc, evilNameId);
      doc.documentElement.replaceChild(evil, original);
      evil.appendChild(original);
      return serializeXml(doc);
    },
  },
  // XSW5: the evil assertion keeps the original signature; the original assertion goes to the end.
  XSW5: {
    sign: 'assertion',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const original = firstByName(doc, ASSERTION, 'Assertion');
      const evil = original.cloneNode(true) as Element;
      setNameId(evil, evilNameId);
      const detached = original.cloneNode(true) as Element;
      detached.removeChild(directChild(detached, DSIG, 'Signature')!);
      doc.documentElement.replaceChild(evil, original);
      doc.documentElement.appendChild(detached);
      return serializeXml(doc);
    },
  },
  // XSW6: the evil assertion keeps the signature, and the original assertion hides inside it.
  XSW6: {
    sign: 'assertion',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const original = firstByName(doc, ASSERTION, 'Assertion');
      const evil = original.cloneNode(true) as Element;
      evil.setAttribute('ID', newId());
      setNameId(evil, evilNameId);
      const hidden = original.cloneNode(true) as Element;
      hidden.removeChild(directChild(hidden, DSIG, 'Signature')!);
      directChild(evil, DSIG, 'Signature')!.appendChild(hidden);
      doc.documentElement.replaceChild(evil, original);
      return serializeXml(doc);
    },
  },
  // XSW7: the signed assertion inside an Extensions element, the evil assertion outside.
  XSW7: {
    sign: 'assertion',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const original = firstByName(doc, ASSERTION, 'Assertion');
      const evil = evilAssertionFrom(doc, evilNameId);
      const extensions = doc.createElementNS(PROTOCOL, 'saml2p:Extensions');
      doc.documentElement.replaceChild(evil, original);
      extensions.appendChild(original);
      doc.documentElement.insertBefore(extensions, evil);
      return serializeXml(doc);
    },
  },
  // XSW8: the evil assertion keeps the signature; the original (unsigned copy) sits in a ds:Object in it.
  XSW8: {
    sign: 'assertion',
    wrap(xml, evilNameId) {
      const doc = parseXml(xml);
      const original = firstByName(doc, ASSERTION, 'Assertion');
      const evil = original.cloneNode(true) as Element;
      evil.setAttribute('ID', newId());
      setNameId(evil, evilNameId);
      const object = doc.createElementNS(DSIG, 'ds:Object');
      const hidden = original.cloneNode(true) as Element;
      hidden.removeChild(directChild(hidden, DSIG, 'Signature')!);
      object.appendChild(hidden);
      directChild(evil, DSIG, 'Signature')!.appendChild(object);
      doc.documentElement.replaceChild(evil, original);
      return serializeXml(doc);
    },
  },
};

/** Splits the NameID text of a signed response with a comment: `a@b.com<!---->.evil.test` style. */
export function injectCommentInNameId(xml: string, signedNameId: string, splitAt: number): string {
  return xml.replace(`>${signedNameId}<`, `>${signedNameId.slice(0, splitAt)}<!---->${signedNameId.slice(splitAt)}<`);
}
export function injectInstructionInNameId(xml: string, signedNameId: string, splitAt: number): string {
  return xml.replace(
    `>${signedNameId}<`,
    `>${signedNameId.slice(0, splitAt)}<?evil x?>${signedNameId.slice(splitAt)}<`,
  );
}

/** Adds a second, unsigned assertion for `nameId` after the signed one. */
export function appendSecondAssertion(xml: string, nameId: string): string {
  const doc = parseXml(xml);
  doc.documentElement.appendChild(evilAssertionFrom(doc, nameId));
  return serializeXml(doc);
}

/** Changes the NameID of a signed response without re-signing (tampering). */
export function tamperNameId(xml: string, from: string, to: string): string {
  return xml.split(`>${from}<`).join(`>${to}<`);
}

/** Removes every signature. */
export function stripSignatures(xml: string): string {
  const doc = parseXml(xml);
  for (const sig of Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'))) sig.parentNode!.removeChild(sig);
  return serializeXml(doc);
}

/** An encrypted-assertion-shaped response (no real encryption: Roster refuses the shape). */
export function encryptedAssertionResponse(xml: string): string {
  const doc = parseXml(xml);
  const assertion = firstByName(doc, ASSERTION, 'Assertion');
  const encrypted = doc.createElementNS(ASSERTION, 'saml2:EncryptedAssertion');
  const data = doc.createElementNS('http://www.w3.org/2001/04/xmlenc#', 'xenc:EncryptedData');
  data.appendChild(doc.createTextNode(''));
  encrypted.appendChild(data);
  doc.documentElement.replaceChild(encrypted, assertion);
  return serializeXml(doc);
}

export const privateKeyOf = (key: SigningKey) => createPrivateKey(key.privateKeyPem);
export const publicKeyOf = (key: SigningKey) => createPublicKey(key.certificatePem);
