import { SamlRefusal, refuse } from './refusal';
import { checkSignatureShape, signatureOf, verifySignature } from './signature';
import {
  NS,
  XmlRefused,
  attr,
  childElements,
  containsCommentOrInstruction,
  decodeXmlBytes,
  descendants,
  is,
  parseUntrustedXml,
  plainText,
  singleChild,
} from './xml';

/** What the channel's configuration says a response must look like. */
export interface ResponseExpectations {
  idpEntityId: string;
  /** Trusted signing certificates (PEM), from the channel's SAML configuration only. */
  certificates: string[];
  spEntityId: string;
  acsUrl: string;
  /** Legacy IdPs: accept RSA-SHA1 signatures and SHA-1 digests. */
  allowSha1: boolean;
  clockSkewMs?: number;
  now?: Date;
}

/** The claims of an accepted response, all read from signed bytes. */
export interface ValidatedAssertion {
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  /** Attribute name -> its text values, in document order. */
  attributes: Record<string, string[]>;
  assertionId: string;
  issuer: string;
  /** From the signed SubjectConfirmationData (or the signed Response): the AuthnRequest this answers. */
  inResponseTo?: string;
  /** After this instant the assertion can no longer be accepted (before clock skew is added). */
  notOnOrAfter: Date;
  signed: { response: boolean; assertion: boolean };
}

export const DEFAULT_CLOCK_SKEW_MS = 3 * 60 * 1000;

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

/**
 * Validates a base64 SAMLResponse from the POST binding against the channel's configuration.
 *
 * The signature check is @node-saml/node-saml's (with the configured certificates only, never KeyInfo);
 * around it this function adds what the library leaves to the caller: the document shape that signature
 * wrapping relies on, the algorithm allow-list (checked before any cryptography), and every SAML Web SSO
 * profile condition. Claims are read only from the canonical bytes the signature covers.
 *
 * Throws SamlRefusal. InResponseTo and replay are checked against the database by the caller.
 */
export function validateSamlResponse(samlResponse: string, expect: ResponseExpectations): ValidatedAssertion {
  const now = (expect.now ?? new Date()).getTime();
  const skew = expect.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;

  const xml = decodeResponse(samlResponse);
  const doc = parseOrRefuse(xml);
  const root = doc.documentElement;
  if (!is(root, NS.protocol, 'Response')) {
    refuse('MALFORMED_RESPONSE', 'The message posted to the ACS URL is not a SAML 2.0 Response.', {
      root: root.tagName,
    });
  }

  // A failed sign-in at the IdP comes back as a Response without an assertion: say what the IdP said.
  checkStatus(root);

  if (containsCommentOrInstruction(root)) {
    refuse(
      'XML_INJECTION',
      'The SAML response contains XML comments or processing instructions. Identity providers do not send them; they are used to alter signed values (for example to truncate the NameID), so the response is refused.',
    );
  }

  const assertion = checkDocumentShape(doc, root);
  const responseSignature = signatureOf(root);
  const assertionSignature = signatureOf(assertion);
  if (!responseSignature && !assertionSignature) {
    refuse(
      'UNSIGNED',
      'The SAML response is not signed. Configure the identity provider to sign the assertion or the whole response (Okta and Entra ID sign by default).',
    );
  }
  // Allow-list first: no cryptography runs on an algorithm we would not accept.
  if (responseSignature) checkSignatureShape(responseSignature, root, 'Response', expect.allowSha1);
  if (assertionSignature) checkSignatureShape(assertionSignature, assertion, 'Assertion', expect.allowSha1);

  // Every signature present must verify; from here on only the signed bytes are read.
  let signedResponse: Element | null = null;
  let signedAssertion: Element;
  if (responseSignature) {
    signedResponse = parseSignedPart(
      verifySignature(xml, root, responseSignature, expect.certificates, 'Response'),
      root,
      'Response',
    );
  }
  if (assertionSignature) {
    signedAssertion = parseSignedPart(
      verifySignature(xml, assertion, assertionSignature, expect.certificates, 'Assertion'),
      assertion,
      'Assertion',
    );
  } else {
    const inside = childElements(signedResponse!, NS.assertion, 'Assertion');
    if (inside.length !== 1 || attr(inside[0], 'ID') !== attr(assertion, 'ID')) {
      refuse('SIGNATURE_STRUCTURE', 'The signed response does not contain the assertion that was sent.');
    }
    signedAssertion = inside[0];
  }

  const response = signedResponse ?? root;
  const responseFacts = checkResponse(response, expect, now, skew);
  const assertionFacts = checkAssertion(signedAssertion, expect, now, skew, responseFacts.inResponseTo);

  // InResponseTo counts only when signed: from SubjectConfirmationData, or from a signed Response.
  const inResponseTo = assertionFacts.inResponseTo ?? (signedResponse ? responseFacts.inResponseTo : undefined);

  return {
    ...assertionFacts,
    inResponseTo,
    signed: { response: !!responseSignature, assertion: !!assertionSignature },
  };
}

function decodeResponse(samlResponse: string): string {
  const compact = (samlResponse ?? '').replace(/[\s]+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    refuse('MALFORMED_RESPONSE', 'The SAMLResponse parameter is not valid base64.');
  }
  try {
    return decodeXmlBytes(Buffer.from(compact, 'base64'));
  } catch (error) {
    return refuse('MALFORMED_RESPONSE', `The SAML response cannot be read: ${(error as Error).message}`);
  }
}

function parseOrRefuse(xml: string): Document {
  try {
    return parseUntrustedXml(xml);
  } catch (error) {
    if (error instanceof XmlRefused && error.kind === 'doctype') {
      refuse(
        'DOCTYPE_FORBIDDEN',
        'The SAML response contains a DOCTYPE or entity declarations, which a genuine response never has; it is refused.',
      );
    }
    return refuse('MALFORMED_RESPONSE', `The SAML response is not well-formed XML: ${(error as Error).message}`);
  }
}

function checkStatus(root: Element): void {
  const status = singleChild(root, NS.protocol, 'Status');
  const code = status && status !== 'many' ? singleChild(status, NS.protocol, 'StatusCode') : null;
  if (!status || status === 'many' || !code || code === 'many') {
    refuse('MALFORMED_RESPONSE', 'The SAML response has no valid Status element.');
  }
  const value = attr(code, 'Value');
  if (value === SUCCESS) return;
  const sub = singleChild(code, NS.protocol, 'StatusCode');
  const subValue = sub && sub !== 'many' ? attr(sub, 'Value') : null;
  const messageEl = singleChild(status, NS.protocol, 'StatusMessage');
  const message = messageEl && messageEl !== 'many' ? plainText(messageEl) : null;
  const described = [shortStatus(value), shortStatus(subValue)].filter(Boolean).join(' / ');
  refuse(
    'STATUS_NOT_SUCCESS',
    `The identity provider did not sign the user in (status ${described || 'unknown'}${message ? `: "${message.trim()}"` : ''}). Check in the IdP that the user is assigned to this application and can sign in.`,
    { status: value, subStatus: subValue, statusMessage: message },
  );
}

function shortStatus(value: string | null): string {
  return value ? value.replace('urn:oasis:names:tc:SAML:2.0:status:', '') : '';
}

/**
 * The shape that every signature-wrapping attack (XSW1-8) has to break: one Response, exactly one
 * Assertion anywhere in the document and as a direct child of the Response, unique IDs, and signatures
 * only directly inside the Response or the Assertion. Returns the assertion.
 */
function checkDocumentShape(doc: Document, root: Element): Element {
  const all = descendants(doc.documentElement);
  const named = (local: string) => all.filter((el) => el.localName === local);

  if (
    named('EncryptedAssertion').length > 0 ||
    named('EncryptedID').length > 0 ||
    named('EncryptedAttribute').length > 0
  ) {
    refuse(
      'ENCRYPTED_ASSERTION_UNSUPPORTED',
      'The SAML response contains an encrypted assertion (or encrypted NameID/attributes). Roster does not support SAML encryption: turn off assertion encryption for this application in the identity provider (the connection is already protected by HTTPS and the signature).',
    );
  }
  if (named('Response').length !== 1) {
    refuse(
      'SIGNATURE_STRUCTURE',
      'The SAML response contains more than one Response element, a signature-wrapping pattern; it is refused.',
    );
  }
  const assertions = named('Assertion');
  if (assertions.length !== 1) {
    refuse(
      'ASSERTION_COUNT',
      assertions.length === 0
        ? 'The SAML response contains no assertion.'
        : `The SAML response contains ${assertions.length} assertions; exactly one is accepted.`,
      { assertions: assertions.length },
    );
  }
  const assertion = assertions[0];
  if (assertion.parentNode !== root || !is(assertion, NS.assertion, 'Assertion')) {
    refuse('ASSERTION_COUNT', 'The assertion is not where SAML puts it (directly inside the Response); it is refused.');
  }

  const seen = new Set<string>();
  for (const el of all) {
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes[i];
      if (a.localName !== 'ID' && a.localName !== 'Id' && a.localName !== 'id') continue;
      if (seen.has(a.value)) {
        refuse(
          'SIGNATURE_STRUCTURE',
          `Two elements of the SAML response carry the same ID "${a.value}", a signature-wrapping pattern; it is refused.`,
        );
      }
      seen.add(a.value);
    }
  }

  for (const sig of all.filter((el) => el.localName === 'Signature')) {
    const parent = sig.parentNode;
    if (!is(sig, NS.dsig, 'Signature') || (parent !== root && parent !== assertion)) {
      refuse(
        'SIGNATURE_STRUCTURE',
        'The SAML response contains a signature outside the Response and Assertion elements; it is refused.',
      );
    }
  }
  return assertion;
}

function parseSignedPart(bytes: string, original: Element, what: 'Response' | 'Assertion'): Element {
  let el: Element;
  try {
    el = parseUntrustedXml(bytes).documentElement;
  } catch {
    return refuse('SIGNATURE_STRUCTURE', `The signed ${what} cannot be read back.`);
  }
  const ns = what === 'Response' ? NS.protocol : NS.assertion;
  if (!is(el, ns, what) || attr(el, 'ID') !== attr(original, 'ID')) {
    refuse('SIGNATURE_STRUCTURE', `The signature does not cover the ${what} that was sent.`);
  }
  return el;
}

function checkResponse(response: Element, expect: ResponseExpectations, now: number, skew: number) {
  if (attr(response, 'Version') !== '2.0') refuse('MALFORMED_RESPONSE', 'The SAML response is not version 2.0.');
  const issueInstant = instant(attr(response, 'IssueInstant'), 'Response IssueInstant');
  if (issueInstant > now + skew) {
    refuse(
      'NOT_YET_VALID',
      `The SAML response was issued in the future (${new Date(issueInstant).toISOString()}). Check the identity provider's clock.`,
    );
  }

  const destination = attr(response, 'Destination');
  if (destination !== expect.acsUrl) {
    refuse(
      'DESTINATION_MISMATCH',
      destination
        ? `The SAML response is addressed to ${destination}, not to this channel's ACS URL ${expect.acsUrl}. Set the identity provider's Single sign-on URL / Reply URL to ${expect.acsUrl}.`
        : `The SAML response has no Destination. Set the identity provider's Single sign-on URL / Reply URL to ${expect.acsUrl}.`,
      { destination, expected: expect.acsUrl },
    );
  }

  const issuerEl = singleChild(response, NS.assertion, 'Issuer');
  if (issuerEl === 'many') refuse('ISSUER_MISMATCH', 'The SAML response has more than one Issuer.');
  if (issuerEl) checkIssuer(issuerEl, expect.idpEntityId, 'response');

  const inResponseTo = attr(response, 'InResponseTo') ?? undefined;
  return { inResponseTo };
}

function checkIssuer(issuerEl: Element, expected: string, what: string): string {
  const issuer = plainText(issuerEl)?.trim();
  const format = attr(issuerEl, 'Format');
  if (issuer !== expected || (format !== null && format !== ENTITY_FORMAT)) {
    refuse(
      'ISSUER_MISMATCH',
      `The ${what} was issued by "${issuer ?? ''}", but this channel trusts the identity provider "${expected}". Check the IdP entity ID (Issuer) in the channel's SAML configuration.`,
      { issuer, expected, format },
    );
  }
  return issuer;
}

interface AssertionFacts {
  nameId: string;
  nameIdFormat?: string;
  sessionIndex?: string;
  attributes: Record<string, string[]>;
  assertionId: string;
  issuer: string;
  inResponseTo?: string;
  notOnOrAfter: Date;
}

function checkAssertion(
  assertion: Element,
  expect: ResponseExpectations,
  now: number,
  skew: number,
  responseInResponseTo: string | undefined,
): AssertionFacts {
  if (attr(assertion, 'Version') !== '2.0') refuse('MALFORMED_RESPONSE', 'The assertion is not SAML version 2.0.');
  const assertionId = attr(assertion, 'ID');
  if (!assertionId) refuse('MALFORMED_RESPONSE', 'The assertion has no ID.');
  const issueInstant = instant(attr(assertion, 'IssueInstant'), 'Assertion IssueInstant');
  if (issueInstant > now + skew) {
    refuse(
      'NOT_YET_VALID',
      `The assertion was issued in the future (${new Date(issueInstant).toISOString()}). Check the identity provider's clock.`,
    );
  }

  const issuerEl = singleChild(assertion, NS.assertion, 'Issuer');
  if (!issuerEl || issuerEl === 'many') return refuse('ISSUER_MISMATCH', 'The assertion must have exactly one Issuer.');
  const issuer = checkIssuer(issuerEl, expect.idpEntityId, 'assertion');

  const subject = singleChild(assertion, NS.assertion, 'Subject');
  if (!subject || subject === 'many') return refuse('NAME_ID_INVALID', 'The assertion must have exactly one Subject.');
  const { nameId, nameIdFormat } = readNameId(subject);
  const confirmation = checkSubjectConfirmation(subject, expect, now, skew, responseInResponseTo);
  const conditionsNotOnOrAfter = checkConditions(assertion, expect, now, skew);

  // The Web SSO profile asks for an AuthnStatement; its absence is tolerated (nothing Roster relies on is
  // in it), but when present its session lifetime is honoured.
  const authn = childElements(assertion, NS.assertion, 'AuthnStatement')[0];
  const sessionIndex = (authn && attr(authn, 'SessionIndex')) ?? undefined;
  const sessionEnd = authn ? attr(authn, 'SessionNotOnOrAfter') : null;
  if (sessionEnd !== null && now >= instant(sessionEnd, 'SessionNotOnOrAfter') + skew) {
    refuse('EXPIRED', `The identity provider's session for this assertion ended at ${sessionEnd}. Sign in again.`);
  }

  // The assertion must expire: through its bearer confirmation, its Conditions, or both (the earlier wins).
  const ends = [confirmation.notOnOrAfter, conditionsNotOnOrAfter].filter((t): t is number => t !== null);
  if (ends.length === 0) {
    refuse(
      'SUBJECT_CONFIRMATION',
      'The assertion has no NotOnOrAfter (neither in its SubjectConfirmationData nor in its Conditions), so its lifetime is unlimited; it is refused.',
    );
  }
  const notOnOrAfter = new Date(Math.min(...ends));
  return {
    nameId,
    nameIdFormat,
    sessionIndex,
    attributes: readAttributes(assertion),
    assertionId: assertionId!,
    issuer,
    inResponseTo: confirmation.inResponseTo,
    notOnOrAfter,
  };
}

const EMAIL = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\]]+$/;

function readNameId(subject: Element): { nameId: string; nameIdFormat?: string } {
  const nameIdEl = singleChild(subject, NS.assertion, 'NameID');
  if (!nameIdEl || nameIdEl === 'many')
    return refuse('NAME_ID_INVALID', 'The assertion must carry exactly one NameID.');
  const text = plainText(nameIdEl);
  if (text === null) {
    refuse('XML_INJECTION', 'The NameID contains markup, comments or processing instructions; it is refused.');
  }
  const nameId = text.trim();
  if (!EMAIL.test(nameId) || nameId.length > 320) {
    refuse(
      'NAME_ID_INVALID',
      `The NameID "${nameId}" is not an email address. Set the application's Name ID format to EmailAddress and its value to the user's email in the identity provider.`,
      { nameId },
    );
  }
  return { nameId, nameIdFormat: attr(nameIdEl, 'Format') ?? undefined };
}

/** At least one bearer confirmation must hold: Recipient = ACS URL, NotOnOrAfter in the future. */
function checkSubjectConfirmation(
  subject: Element,
  expect: ResponseExpectations,
  now: number,
  skew: number,
  responseInResponseTo: string | undefined,
): { notOnOrAfter: number | null; inResponseTo?: string } {
  const bearers = childElements(subject, NS.assertion, 'SubjectConfirmation').filter(
    (c) => attr(c, 'Method') === BEARER,
  );
  if (bearers.length === 0) {
    refuse(
      'SUBJECT_CONFIRMATION',
      'The assertion has no bearer SubjectConfirmation, which the SAML Web Browser SSO profile requires.',
    );
  }
  let firstProblem: SamlRefusal | null = null;
  for (const bearer of bearers) {
    try {
      const data = singleChild(bearer, NS.assertion, 'SubjectConfirmationData');
      if (!data || data === 'many')
        refuse('SUBJECT_CONFIRMATION', 'The bearer SubjectConfirmation has no SubjectConfirmationData.');
      const recipient = attr(data, 'Recipient');
      if (recipient !== expect.acsUrl) {
        refuse(
          'RECIPIENT_MISMATCH',
          recipient
            ? `The assertion's Recipient is ${recipient}, not this channel's ACS URL ${expect.acsUrl}. Set the identity provider's Recipient URL to ${expect.acsUrl}.`
            : `The assertion's SubjectConfirmationData has no Recipient. Set the identity provider's Recipient URL to ${expect.acsUrl}.`,
          { recipient, expected: expect.acsUrl },
        );
      }
      const end = attr(data, 'NotOnOrAfter');
      const notOnOrAfter = end === null ? null : instant(end, 'SubjectConfirmationData NotOnOrAfter');
      if (notOnOrAfter !== null && now >= notOnOrAfter + skew) {
        refuse(
          'EXPIRED',
          `The assertion expired at ${end} (it may only be delivered until then). Sign in again; if this keeps happening, check the identity provider's clock.`,
          { notOnOrAfter: end },
        );
      }
      const start = attr(data, 'NotBefore');
      if (start !== null && now + skew < instant(start, 'SubjectConfirmationData NotBefore')) {
        refuse('NOT_YET_VALID', `The assertion is not valid before ${start}. Check the identity provider's clock.`, {
          notBefore: start,
        });
      }
      const inResponseTo = attr(data, 'InResponseTo') ?? undefined;
      if (inResponseTo !== undefined && responseInResponseTo !== undefined && inResponseTo !== responseInResponseTo) {
        refuse(
          'IN_RESPONSE_TO_MISMATCH',
          'The Response and its assertion answer different sign-in requests (InResponseTo differs).',
          {
            assertion: inResponseTo,
            response: responseInResponseTo,
          },
        );
      }
      return { notOnOrAfter, inResponseTo };
    } catch (error) {
      if (!(error instanceof SamlRefusal)) throw error;
      firstProblem ??= error;
    }
  }
  throw firstProblem!;
}

/** Conditions: the validity window and an AudienceRestriction naming this SP. Answers NotOnOrAfter. */
function checkConditions(assertion: Element, expect: ResponseExpectations, now: number, skew: number): number | null {
  const conditions = singleChild(assertion, NS.assertion, 'Conditions');
  if (conditions === 'many') return refuse('MALFORMED_RESPONSE', 'The assertion has more than one Conditions element.');
  if (!conditions) {
    return refuse(
      'AUDIENCE_MISMATCH',
      `The assertion has no Conditions, so it is not restricted to this service provider. Set the identity provider's Audience URI (SP Entity ID) to ${expect.spEntityId}.`,
    );
  }
  const start = attr(conditions, 'NotBefore');
  if (start !== null && now + skew < instant(start, 'Conditions NotBefore')) {
    refuse('NOT_YET_VALID', `The assertion is not valid before ${start}. Check the identity provider's clock.`, {
      notBefore: start,
    });
  }
  const end = attr(conditions, 'NotOnOrAfter');
  const notOnOrAfter = end === null ? null : instant(end, 'Conditions NotOnOrAfter');
  if (notOnOrAfter !== null && now >= notOnOrAfter + skew) {
    refuse(
      'EXPIRED',
      `The assertion expired at ${end}. Sign in again; if this keeps happening, check the identity provider's clock.`,
      { notOnOrAfter: end },
    );
  }

  const restrictions = childElements(conditions, NS.assertion, 'AudienceRestriction');
  if (restrictions.length === 0) {
    refuse(
      'AUDIENCE_MISMATCH',
      `The assertion has no AudienceRestriction. Set the identity provider's Audience URI (SP Entity ID) to ${expect.spEntityId}.`,
    );
  }
  // Several restrictions must all hold (SAML core 2.5.1.4); within one, any audience may match.
  for (const restriction of restrictions) {
    const audiences = childElements(restriction, NS.assertion, 'Audience').map((a) => plainText(a)?.trim());
    if (!audiences.includes(expect.spEntityId)) {
      refuse(
        'AUDIENCE_MISMATCH',
        `The assertion is meant for ${audiences.map((a) => `"${a ?? ''}"`).join(', ') || 'no audience'}, not for this channel (${expect.spEntityId}). Set the identity provider's Audience URI (SP Entity ID) to ${expect.spEntityId}.`,
        { audiences, expected: expect.spEntityId },
      );
    }
  }
  return notOnOrAfter;
}

function readAttributes(assertion: Element): Record<string, string[]> {
  const attributes: Record<string, string[]> = {};
  for (const statement of childElements(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attr(attribute, 'Name');
      if (!name) continue;
      const values = (attributes[name] ??= []);
      for (const valueEl of childElements(attribute, NS.assertion, 'AttributeValue')) {
        const value = plainText(valueEl);
        // Structured values (nested elements) carry nothing Roster reads.
        if (value !== null && value.trim() !== '') values.push(value.trim());
      }
      const friendly = attr(attribute, 'FriendlyName');
      if (friendly && friendly !== name && !(friendly in attributes)) attributes[friendly] = values;
    }
  }
  return attributes;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: string | null, what: string): number {
  const ms = value && DATE_TIME.test(value.trim()) ? Date.parse(value.trim()) : NaN;
  if (Number.isNaN(ms)) refuse('MALFORMED_RESPONSE', `The ${what} "${value ?? ''}" is not a valid UTC time.`);
  return ms;
}
