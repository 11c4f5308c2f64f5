/**
 * The SCIM filter grammar of RFC 7644 section 3.4.2.2, parsed into a small tree:
 *
 *   filter    = or
 *   or        = and *("or" and)
 *   and       = unary *("and" unary)
 *   unary     = "not" "(" filter ")" / "(" filter ")" / attrExp / valuePath
 *   attrExp   = attrPath "pr" / attrPath compareOp compValue
 *   valuePath = attrPath "[" filter "]"
 *
 * Attribute names, operators and keywords are case-insensitive. A value may also be unquoted where that is
 * unambiguous (`userName eq john@example.com`), as some Microsoft material sends it.
 */

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterValue = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; operand: FilterNode }
  | { kind: 'compare'; path: string; op: CompareOperator; value: FilterValue }
  | { kind: 'present'; path: string }
  | { kind: 'valuePath'; path: string; filter: FilterNode };

export class FilterSyntaxError extends Error {}

export interface FilterLimits {
  maxLength: number;
  maxDepth: number;
  maxComparisons: number;
}

export const QUERY_FILTER_LIMITS: FilterLimits = { maxLength: 10_000, maxDepth: 32, maxComparisons: 200 };
/** PATCH paths may select up to a full page of members (`members[value eq "a" or value eq "b" ...]`). */
export const PATH_FILTER_LIMITS: FilterLimits = { maxLength: 200_000, maxDepth: 16, maxComparisons: 1_000 };

const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ATTRIBUTE_PATH = /^(?:[A-Za-z][\w.-]*(?::[\w.-]+)*:)?[A-Za-z$][\w$-]*(?:\.[A-Za-z$][\w$-]*)?$/;
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

type Token =
  | { type: '(' | ')' | '[' | ']'; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'word'; value: string; at: number };

export function tokenize(text: string): Token[] {
  // PostgreSQL text cannot hold U+0000, so no value may contain it.
  if (text.includes('\0') || /\\u0000/i.test(text))
    throw new FilterSyntaxError('the NUL character (\\u0000) is not allowed');
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ type: c, at: i });
      i++;
    } else if (c === '"') {
      const start = i;
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new FilterSyntaxError(`unterminated string starting at position ${start + 1}`);
        const ch = text[i];
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          const next = text[i + 1];
          const simple: Record<string, string> = {
            '"': '"',
            '\\': '\\',
            '/': '/',
            b: '\b',
            f: '\f',
            n: '\n',
            r: '\r',
            t: '\t',
          };
          if (next !== undefined && next in simple) {
            value += simple[next];
            i += 2;
          } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            throw new FilterSyntaxError(`invalid escape sequence at position ${i + 1}`);
          }
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ type: 'string', value, at: start });
    } else {
      const start = i;
      while (i < text.length && !' \t\n\r()[]"'.includes(text[i])) i++;
      tokens.push({ type: 'word', value: text.slice(start, i), at: start });
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  private comparisons = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly limits: FilterLimits,
  ) {}

  parseAll(): FilterNode {
    if (this.tokens.length === 0) throw new FilterSyntaxError('the filter is empty');
    const node = this.parseOr(0, false);
    const rest = this.peek();
    if (rest) throw new FilterSyntaxError(`unexpected ${describe(rest)} at position ${rest.at + 1}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isKeyword(token: Token | undefined, keyword: string): boolean {
    return token?.type === 'word' && token.value.toLowerCase() === keyword;
  }

  private expect(type: Token['type'], what: string): Token {
    const token = this.peek();
    if (!token || token.type !== type) {
      throw new FilterSyntaxError(
        `expected ${what} ${token ? `but found ${describe(token)} at position ${token.at + 1}` : 'at the end'}`,
      );
    }
    this.position++;
    return token;
  }

  private parseOr(depth: number, insideValuePath: boolean): FilterNode {
    let left = this.parseAnd(depth, insideValuePath);
    while (this.isKeyword(this.peek(), 'or')) {
      this.position++;
      left = { kind: 'or', left, right: this.parseAnd(depth, insideValuePath) };
    }
    return left;
  }

  private parseAnd(depth: number, insideValuePath: boolean): FilterNode {
    let left = this.parseUnary(depth, insideValuePath);
    while (this.isKeyword(this.peek(), 'and')) {
      this.position++;
      left = { kind: 'and', left, right: this.parseUnary(depth, insideValuePath) };
    }
    return left;
  }

  private parseUnary(depth: number, insideValuePath: boolean): FilterNode {
    if (depth > this.limits.maxDepth) {
      throw new FilterSyntaxError(`the filter nests deeper than ${this.limits.maxDepth} levels`);
    }
    const token = this.peek();
    if (!token) throw new FilterSyntaxError('the filter ends where an expression was expected');
    if (this.isKeyword(token, 'not') && this.tokens[this.position + 1]?.type === '(') {
      this.position += 2;
      const operand = this.parseOr(depth + 1, insideValuePath);
      this.expect(')', '")" closing "not ("');
      return { kind: 'not', operand };
    }
    if (token.type === '(') {
      this.position++;
      const inner = this.parseOr(depth + 1, insideValuePath);
      this.expect(')', '")"');
      return inner;
    }
    return this.parseAttributeExpression(depth, insideValuePath);
  }

  private parseAttributeExpression(depth: number, insideValuePath: boolean): FilterNode {
    const pathToken = this.expect('word', 'an attribute name') as Extract<Token, { type: 'word' }>;
    const path = pathToken.value;
    if (!ATTRIBUTE_PATH.test(path)) {
      throw new FilterSyntaxError(`"${path}" at position ${pathToken.at + 1} is not an attribute name`);
    }
    if (this.peek()?.type === '[') {
      if (insideValuePath) throw new FilterSyntaxError('a filter in brackets cannot contain another one');
      this.position++;
      const filter = this.parseOr(depth + 1, true);
      this.expect(']', '"]"');
      return { kind: 'valuePath', path, filter };
    }
    const opToken = this.peek();
    if (!opToken || opToken.type !== 'word') {
      throw new FilterSyntaxError(`expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr) after "${path}"`);
    }
    const op = opToken.value.toLowerCase();
    this.position++;
    if (++this.comparisons > this.limits.maxComparisons) {
      throw new FilterSyntaxError(`the filter has more than ${this.limits.maxComparisons} comparisons`);
    }
    if (op === 'pr') return { kind: 'present', path };
    if (!OPERATORS.has(op)) {
      throw new FilterSyntaxError(
        `"${opToken.value}" at position ${opToken.at + 1} is not an operator (eq, ne, co, sw, ew, gt, ge, lt, le, pr)`,
      );
    }
    return { kind: 'compare', path, op: op as CompareOperator, value: this.parseValue(path, op) };
  }

  private parseValue(path: string, op: string): FilterValue {
    const token = this.peek();
    if (
      !token ||
      (token.type !== 'string' && token.type !== 'word') ||
      this.isKeyword(token, 'and') ||
      this.isKeyword(token, 'or')
    ) {
      throw new FilterSyntaxError(`expected a value after "${path} ${op}"`);
    }
    this.position++;
    if (token.type === 'string') return token.value;
    const word = token.value;
    const lower = word.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (JSON_NUMBER.test(word)) return Number(word);
    return word; // an unquoted string
  }
}

function describe(token: Token): string {
  if (token.type === 'string') return `"${token.value}"`;
  if (token.type === 'word') return `"${token.value}"`;
  return `"${token.type}"`;
}

export function parseFilter(text: string, limits: FilterLimits = QUERY_FILTER_LIMITS): FilterNode {
  if (text.length > limits.maxLength) {
    throw new FilterSyntaxError(`the filter is longer than ${limits.maxLength} characters`);
  }
  return new Parser(tokenize(text), limits).parseAll();
}

/** A PATCH path (RFC 7644 section 3.5.2): `attrPath`, or `attrPath[filter]` optionally followed by `.subAttr`. */
export interface PatchPath {
  attributePath: string;
  filter?: FilterNode;
  subAttribute?: string;
}

export function parsePatchPath(text: string): PatchPath {
  const trimmed = text.trim();
  if (trimmed.length > PATH_FILTER_LIMITS.maxLength) {
    throw new FilterSyntaxError(`the path is longer than ${PATH_FILTER_LIMITS.maxLength} characters`);
  }
  const open = trimmed.indexOf('[');
  if (open === -1) {
    if (!ATTRIBUTE_PATH.test(trimmed)) throw new FilterSyntaxError(`"${trimmed}" is not an attribute path`);
    return { attributePath: trimmed };
  }
  const attributePath = trimmed.slice(0, open);
  if (!ATTRIBUTE_PATH.test(attributePath) || (attributePath.includes('.') && !attributePath.includes(':'))) {
    throw new FilterSyntaxError(`"${attributePath}" before "[" is not a multi-valued attribute name`);
  }
  // Find the "]" that closes the filter, skipping brackets inside quoted strings.
  let close = -1;
  let inString = false;
  for (let i = open + 1; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') {
      close = i;
      break;
    }
  }
  if (close === -1) throw new FilterSyntaxError(`the filter in "${trimmed}" has no closing "]"`);
  const filter = new Parser(tokenize(trimmed.slice(open + 1, close)), PATH_FILTER_LIMITS).parseAll();
  const after = trimmed.slice(close + 1);
  if (after === '') return { attributePath, filter };
  if (!/^\.[A-Za-z$][\w$-]*$/.test(after)) {
    throw new FilterSyntaxError(`"${after}" after the filter is not a sub-attribute (expected e.g. ".value")`);
  }
  return { attributePath, filter, subAttribute: after.slice(1) };
}
