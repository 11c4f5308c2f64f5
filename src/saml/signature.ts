import { X509Certificate, createHash } from 'node:crypto';
import { getVerifiedXml } from '@node-saml/node-saml/lib/xml';
import { refuse } from './refusal';
import { NS, attr, childElements, plainText, singleChild } from './xml';

/**
 * The XML signatures of a SAML response: which are accepted (checked before any cryptography), and their
 * verification — by @node-saml/node-saml, with the channel's configured certificates only.
 */

const ALG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha256Pss: 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
  rsaSha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha512: 'http://www.w3.org/2001/04/xmlenc#sha512',
} as const;

const SHA1_HELP =
  'Set the signing algorithm in the identity provider to SHA-256 (Okta: "Signature Algorithm" RSA-SHA256 and "Digest Algorithm" SHA256; Entra ID: "Signing Algorithm" SHA-256). If the IdP cannot do better, an administrator can turn on allowSha1 in the channel\'s SAML configuration.';

/** The signature directly inside `el`, if any (more than one is refused). */
export function signatureOf(el: Element): Element | null {
  const sigs = childElements(el, NS.dsig, 'Signature');
  if (sigs.length > 1) refuse('SIGNATURE_STRUCTURE', `The ${el.localName} carries more than one signature.`);
  return sigs[0] ?? null;
}

/** The algorithm allow-list and the one shape of an enveloped SAML signature, before any cryptography. */
export function checkSignatureShape(sig: Element, signedEl: Element, what: string, allowSha1: boolean): void {
  const bad = (message: string, detail?: Record<string, unknown>) =>
    refuse('SIGNATURE_STRUCTURE', `The signature of the ${what} is not a standard SAML signature: ${message}`, detail);

  if (childElements(sig, NS.dsig, 'Object').length > 0) bad('it carries ds:Object content.');
  const signedInfo = singleChild(sig, NS.dsig, 'SignedInfo');
  if (!signedInfo || signedInfo === 'many') return bad('it needs exactly one SignedInfo.');
  const c14n = singleChild(signedInfo, NS.dsig, 'CanonicalizationMethod');
  const method = singleChild(signedInfo, NS.dsig, 'SignatureMethod');
  const refs = childElements(signedInfo, NS.dsig, 'Reference');
  if (!c14n || c14n === 'many' || !method || method === 'many') return bad('SignedInfo is incomplete.');
  if (refs.length !== 1) bad(`it has ${refs.length} references; exactly one is accepted.`);

  const c14nAlg = attr(c14n, 'Algorithm');
  if (c14nAlg !== ALG.excC14n) {
    refuse(
      'SIGNATURE_ALGORITHM',
      `The ${what} signature uses canonicalization ${c14nAlg}; only exclusive canonicalization without comments is accepted.`,
      { c14nAlg },
    );
  }
  checkSignatureAlgorithm(attr(method, 'Algorithm'), what, allowSha1);

  const ref = refs[0];
  const id = attr(signedEl, 'ID');
  if (!id || attr(ref, 'URI') !== `#${id}`) {
    bad(`it must reference the ${what} it sits in ("#${id ?? ''}").`, { uri: attr(ref, 'URI'), id });
  }
  const transformsEl = singleChild(ref, NS.dsig, 'Transforms');
  const transforms =
    transformsEl && transformsEl !== 'many'
      ? childElements(transformsEl, NS.dsig, 'Transform').map((t) => attr(t, 'Algorithm'))
      : [];
  if (transforms.length !== 2 || transforms[0] !== ALG.enveloped || transforms[1] !== ALG.excC14n) {
    refuse(
      'SIGNATURE_ALGORITHM',
      `The ${what} signature uses transforms [${transforms.join(', ')}]; only the enveloped-signature transform followed by exclusive canonicalization is accepted.`,
      { transforms },
    );
  }
  const digest = singleChild(ref, NS.dsig, 'DigestMethod');
  if (!digest || digest === 'many') return bad('the reference has no DigestMethod.');
  checkDigestAlgorithm(attr(digest, 'Algorithm'), what, allowSha1);
}

function checkSignatureAlgorithm(alg: string | null, what: string, allowSha1: boolean): void {
  if (alg === ALG.rsaSha256 || alg === ALG.rsaSha512 || alg === ALG.rsaSha256Pss) return;
  if (alg === ALG.rsaSha1) {
    if (allowSha1) return;
    refuse('SIGNATURE_ALGORITHM', `The ${what} is signed with RSA-SHA1, which is too weak and refused. ${SHA1_HELP}`, {
      alg,
    });
  }
  refuse(
    'SIGNATURE_ALGORITHM',
    `The ${what} is signed with the algorithm ${alg ?? '(none)'}, which Roster does not accept. Use RSA-SHA256 (or RSA-SHA512) in the identity provider.`,
    { alg },
  );
}

function checkDigestAlgorithm(alg: string | null, what: string, allowSha1: boolean): void {
  if (alg === ALG.sha256 || alg === ALG.sha512) return;
  if (alg === ALG.sha1) {
    if (allowSha1) return;
    refuse(
      'SIGNATURE_ALGORITHM',
      `The ${what} signature uses a SHA-1 digest, which is too weak and refused. ${SHA1_HELP}`,
      { alg },
    );
  }
  refuse(
    'SIGNATURE_ALGORITHM',
    `The ${what} signature uses the digest ${alg ?? '(none)'}, which Roster does not accept. Use SHA-256 (or SHA-512) in the identity provider.`,
    { alg },
  );
}

/** Cryptographic check by node-saml with the channel's certificates; answers the canonical signed bytes. */
export function verifySignature(
  xml: string,
  signedEl: Element,
  sig: Element,
  certificates: string[],
  what: string,
): string {
  let signedBytes: string | null;
  try {
    signedBytes = getVerifiedXml(xml, signedEl, certificates);
  } catch (error) {
    return refuse('SIGNATURE_STRUCTURE', `The signature of the ${what} cannot be used: ${(error as Error).message}.`);
  }
  if (signedBytes) return signedBytes;

  // KeyInfo is never trusted, but it tells the administrator which certificate the IdP used.
  const sent = keyInfoCertificate(sig);
  const trusted = certificates.map(fingerprintOf).filter((f): f is string => !!f);
  if (sent && !trusted.includes(sent.fingerprint)) {
    refuse(
      'UNTRUSTED_CERTIFICATE',
      `The ${what} is signed with a certificate that is not configured for this channel (${sent.subject}, SHA-256 fingerprint ${sent.fingerprint}). If the identity provider has rolled over its signing certificate, add the new certificate to the channel's SAML configuration.`,
      { sentFingerprint: sent.fingerprint, trustedFingerprints: trusted },
    );
  }
  return refuse(
    'SIGNATURE_INVALID',
    sent
      ? `The signature of the ${what} does not verify: the response was changed after the identity provider signed it.`
      : `The signature of the ${what} does not verify with any of the channel's ${certificates.length} signing certificate(s): either the response was changed after signing, or the identity provider signed it with a certificate that is not configured for this channel.`,
    { trustedFingerprints: trusted },
  );
}

function keyInfoCertificate(sig: Element): { fingerprint: string; subject: string } | null {
  const keyInfo = childElements(sig, NS.dsig, 'KeyInfo')[0];
  const data = keyInfo && childElements(keyInfo, NS.dsig, 'X509Data')[0];
  const certEl = data && childElements(data, NS.dsig, 'X509Certificate')[0];
  const text = certEl && plainText(certEl);
  if (!text) return null;
  try {
    const cert = new X509Certificate(Buffer.from(text.replace(/\s+/g, ''), 'base64'));
    return { fingerprint: sha256Fingerprint(cert.raw), subject: cert.subject.replace(/\n/g, ', ') };
  } catch {
    return null;
  }
}

export function fingerprintOf(pem: string): string | null {
  try {
    return sha256Fingerprint(new X509Certificate(pem).raw);
  } catch {
    return null;
  }
}

function sha256Fingerprint(der: Buffer): string {
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}
