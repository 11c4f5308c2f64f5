import { DOMParser } from '@xmldom/xmldom';

/** The namespaces a SAML 2.0 service provider reads. */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xmlenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const PROCESSING_INSTRUCTION_NODE = 7;
const COMMENT_NODE = 8;

/** Why a piece of XML was not accepted; `message` is written for the administrator who sent it. */
export class XmlRefused extends Error {
  constructor(
    readonly kind: 'doctype' | 'malformed' | 'encoding',
    message: string,
  ) {
    super(message);
    this.name = 'XmlRefused';
  }
}

/**
 * Turns bytes into text the way both parsers below expect it: strict UTF-8, no byte-order mark,
 * newlines normalized (xml-crypto re-parses the same text, so both must see identical input).
 */
export function decodeXmlBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new XmlRefused('encoding', 'The XML is not valid UTF-8 text.');
  }
  return normalizeXmlText(text);
}

export function normalizeXmlText(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Parses XML that came from outside. A DOCTYPE (and with it every entity declaration) is refused before
 * parsing: entity expansion and external entities are the classic XML attacks, and no SAML message or
 * metadata document needs a DOCTYPE. Any parser complaint, even a mere warning, refuses the document:
 * xmldom recovers from broken markup, and a recovered document could differ from what was signed.
 */
export function parseUntrustedXml(text: string): Document {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new XmlRefused('doctype', 'The XML contains a DOCTYPE or entity declaration, which is never accepted.');
  }
  const problems: string[] = [];
  const record = (msg: string) =>
    problems.push(
      String(msg)
        .split('\n')[0]
        .replace(/^\[xmldom \w+\]\s*/, ''),
    );
  const doc = new DOMParser({
    locator: {},
    errorHandler: { warning: record, error: record, fatalError: record },
  }).parseFromString(text, 'text/xml');
  if (problems.length > 0 || !doc || !doc.documentElement) {
    throw new XmlRefused('malformed', `The XML is not well-formed: ${problems[0] ?? 'no root element'}.`);
  }
  if (depthExceeds(doc.documentElement, MAX_DEPTH)) {
    throw new XmlRefused(
      'malformed',
      `The XML is nested more than ${MAX_DEPTH} levels deep, which no SAML document is.`,
    );
  }
  return doc;
}

/** SAML responses and metadata are about a dozen levels deep; this bounds every walk over a document. */
const MAX_DEPTH = 64;

function depthExceeds(root: Node, limit: number): boolean {
  const stack: [Node, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > limit) return true;
    for (let n = node.firstChild; n; n = n.nextSibling) stack.push([n, depth + 1]);
  }
  return false;
}

export function isElement(node: Node | null | undefined): node is Element {
  return !!node && node.nodeType === ELEMENT_NODE;
}

export function is(el: Element, ns: string, localName: string): boolean {
  return el.namespaceURI === ns && el.localName === localName;
}

/** Direct element children with this namespace and local name. */
export function childElements(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (isElement(n) && is(n, ns, localName)) out.push(n);
  }
  return out;
}

export function allChildElements(parent: Element): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

/** At most one such child; more than one is a structural error the caller words. */
export function singleChild(parent: Element, ns: string, localName: string): Element | null | 'many' {
  const found = childElements(parent, ns, localName);
  if (found.length > 1) return 'many';
  return found[0] ?? null;
}

/** Every element below `root` (root included), in document order. */
export function descendants(root: Element): Element[] {
  const out: Element[] = [];
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    out.push(el);
    const children: Element[] = [];
    for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) children.push(n);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/** True when a comment or processing instruction sits anywhere inside `root`. */
export function containsCommentOrInstruction(root: Node): boolean {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === COMMENT_NODE || n.nodeType === PROCESSING_INSTRUCTION_NODE) return true;
      if (isElement(n)) stack.push(n);
    }
  }
  return false;
}

/**
 * The text of an element that may hold only text. Returns null when it has element children, comments or
 * processing instructions: a value split by a comment (`admin@corp.com<!---->.evil.com`) must never be
 * read as either half.
 */
export function plainText(el: Element): string | null {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) text += (n as CharacterData).data;
    else return null;
  }
  return text;
}

/** An attribute without namespace, or null when it is absent (getAttribute answers '' for absent). */
export function attr(el: Element, name: string): string | null {
  return el.hasAttribute(name) ? el.getAttribute(name) : null;
}

export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
