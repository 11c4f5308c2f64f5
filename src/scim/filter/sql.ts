import { AttributeDeclaration, ColumnType, findAttribute } from '../schema/attributes';
import { ResourceTypeDeclaration } from '../schema/resource-schemas';
import { ResolvedAttribute, describePath, knownAttributeNames, resolveAttributePath } from '../schema/paths';
import { badRequest } from '../errors';
import { isUuid } from '../../domain/errors';
import { CompareOperator, FilterNode, FilterValue } from './parser';

/** A parameterized SQL fragment with knex `?` placeholders (never the jsonb `?` operator). */
export interface SqlFragment {
  sql: string;
  bindings: unknown[];
}

/**
 * How a value is compared in SQL:
 * - `text`, `uuid`, `boolean`, `timestamptz`, `integer`: a typed SQL expression (columns);
 * - `jsonText`: the text of a jsonb value (`->>`), compared as text; booleans are 'true'/'false'.
 */
type ExpressionType = ColumnType | 'jsonText';

interface Operand {
  sql: string;
  type: ExpressionType;
  attribute: AttributeDeclaration;
  label: string;
}

/** Escapes LIKE wildcards so that `co "50%"` means the text "50%". */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A SQL string literal for a trusted constant (declared attribute names); never used for client input. */
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The SQL path of a json-stored attribute inside the row's scim column, as `->` steps. */
export function jsonSteps(resolved: ResolvedAttribute): string[] {
  const steps: string[] = [];
  if (resolved.extension) steps.push(resolved.extension.id);
  steps.push(resolved.attribute.name);
  if (resolved.subAttribute) steps.push(resolved.subAttribute.name);
  return steps;
}

function jsonTextSql(row: string, steps: string[]): string {
  const head = steps
    .slice(0, -1)
    .map((step) => ` -> ${literal(step)}`)
    .join('');
  return `(${row}.scim${head} ->> ${literal(steps[steps.length - 1])})`;
}

function jsonValueSql(row: string, steps: string[]): string {
  return `(${row}.scim${steps.map((step) => ` -> ${literal(step)}`).join('')})`;
}

/** A multi-valued attribute's elements: a jsonb array, or rows of another table. */
type Elements =
  | { kind: 'json'; arraySql: string }
  | { kind: 'relation'; from: (el: string) => string; attribute: AttributeDeclaration };

export class FilterTranslator {
  private readonly bindings: unknown[] = [];
  private aliasCount = 0;

  constructor(
    private readonly resourceType: ResourceTypeDeclaration,
    private readonly row: string,
  ) {}

  translate(node: FilterNode): SqlFragment {
    const sql = this.node(node);
    return { sql, bindings: this.bindings };
  }

  private node(node: FilterNode): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${this.node(node.left)} ${node.kind} ${this.node(node.right)})`;
      case 'not':
        // coalesce: an absent attribute makes a comparison null; "not" of it must be true, not null.
        return `(not coalesce(${this.node(node.operand)}, false))`;
      case 'present':
      case 'compare':
        return this.attributeExpression(node);
      case 'valuePath':
        return this.valuePath(node.path, node.filter);
    }
  }

  private resolve(path: string): ResolvedAttribute {
    const resolved = resolveAttributePath(this.resourceType, path);
    if (!resolved) {
      throw badRequest(
        'invalidFilter',
        `Unknown attribute "${path}" in filter. ${this.resourceType.name} attributes are: ${knownAttributeNames(this.resourceType)}.`,
      );
    }
    return resolved;
  }

  private attributeExpression(node: Extract<FilterNode, { kind: 'present' | 'compare' }>): string {
    const resolved = this.resolve(node.path);
    const { attribute, subAttribute } = resolved;
    if (attribute.multiValued) {
      const elements = this.elements(resolved);
      const target =
        subAttribute ?? (attribute.type === 'complex' ? findAttribute(attribute.subAttributes, 'value') : undefined);
      if (!target) {
        if (node.kind === 'present') return this.exists(elements, () => 'true');
        throw badRequest('invalidFilter', `"${node.path}" has no value to compare; name a sub-attribute.`);
      }
      return this.exists(elements, (el) => this.condition(node, this.elementOperand(elements, el, target, node.path)));
    }
    if (attribute.type === 'complex' && !subAttribute) {
      if (node.kind === 'present') {
        const parts = (attribute.subAttributes ?? [])
          .filter((sub) => sub.storage.kind === 'column' || sub.storage.kind === 'json')
          .map((sub) => this.condition(node, this.scalarOperand({ ...resolved, subAttribute: sub })));
        return parts.length ? `(${parts.join(' or ')})` : 'false';
      }
      throw badRequest(
        'invalidFilter',
        `"${node.path}" is a complex attribute; filter on one of its sub-attributes, e.g. "${node.path}.${attribute.subAttributes?.[0]?.name}".`,
      );
    }
    return this.condition(node, this.scalarOperand(resolved));
  }

  /** `emails[type eq "work" and value co "@example.com"]`: some element satisfies the inner filter. */
  private valuePath(path: string, filter: FilterNode): string {
    const resolved = this.resolve(path);
    if (!resolved.attribute.multiValued || resolved.attribute.type !== 'complex' || resolved.subAttribute) {
      throw badRequest(
        'invalidFilter',
        `"${path}[...]" needs a multi-valued complex attribute such as emails or members.`,
      );
    }
    const elements = this.elements(resolved);
    return this.exists(elements, (el) => this.elementFilter(filter, resolved, elements, el));
  }

  private elementFilter(node: FilterNode, parent: ResolvedAttribute, elements: Elements, el: string): string {
    switch (node.kind) {
      case 'and':
      case 'or':
        return `(${this.elementFilter(node.left, parent, elements, el)} ${node.kind} ${this.elementFilter(node.right, parent, elements, el)})`;
      case 'not':
        return `(not coalesce(${this.elementFilter(node.operand, parent, elements, el)}, false))`;
      case 'valuePath':
        throw badRequest('invalidFilter', 'A filter in brackets cannot contain another bracketed filter.');
      case 'present':
      case 'compare': {
        const name = node.path.toLowerCase().startsWith(parent.attribute.name.toLowerCase() + '.')
          ? node.path.slice(parent.attribute.name.length + 1)
          : node.path;
        const sub = findAttribute(parent.attribute.subAttributes, name);
        if (!sub) {
          throw badRequest(
            'invalidFilter',
            `"${parent.attribute.name}" has no sub-attribute "${node.path}"; it has ${(parent.attribute.subAttributes ?? []).map((s) => s.name).join(', ')}.`,
          );
        }
        return this.condition(node, this.elementOperand(elements, el, sub, `${parent.attribute.name}.${sub.name}`));
      }
    }
  }

  private elements(resolved: ResolvedAttribute): Elements {
    const storage = resolved.attribute.storage;
    if (storage.kind === 'elements') return { kind: 'json', arraySql: storage.arraySql(this.row) };
    if (storage.kind === 'relation') {
      return { kind: 'relation', from: (el) => storage.from(this.row, el), attribute: resolved.attribute };
    }
    if (storage.kind === 'json') {
      return {
        kind: 'json',
        arraySql: `coalesce(${jsonValueSql(this.row, jsonSteps({ ...resolved, subAttribute: undefined }))}, '[]'::jsonb)`,
      };
    }
    throw badRequest('invalidFilter', `"${describePath(resolved)}" cannot be used in a filter.`);
  }

  private exists(elements: Elements, condition: (el: string) => string): string {
    const el = `e${++this.aliasCount}`;
    if (elements.kind === 'json') {
      return `exists (select 1 from jsonb_array_elements(${elements.arraySql}) as ${el}(v) where ${condition(el)})`;
    }
    return `exists (select 1 from ${elements.from(el)} and ${condition(el)})`;
  }

  private elementOperand(elements: Elements, el: string, sub: AttributeDeclaration, label: string): Operand {
    if (elements.kind === 'json') {
      return { sql: `(${el}.v ->> ${literal(sub.name)})`, type: 'jsonText', attribute: sub, label };
    }
    const storage = elements.attribute.storage;
    const column = storage.kind === 'relation' ? storage.subColumns[sub.name] : undefined;
    if (!column) throw badRequest('invalidFilter', `"${label}" cannot be used in a filter.`);
    return { sql: column.sql(el), type: column.columnType, attribute: sub, label };
  }

  private scalarOperand(resolved: ResolvedAttribute): Operand {
    const target = resolved.subAttribute ?? resolved.attribute;
    const label = describePath(resolved);
    const storage = target.storage;
    if (storage.kind === 'column') {
      return { sql: `${this.row}.${storage.column}`, type: storage.columnType, attribute: target, label };
    }
    if (storage.kind === 'json') {
      return { sql: jsonTextSql(this.row, jsonSteps(resolved)), type: 'jsonText', attribute: target, label };
    }
    throw badRequest('invalidFilter', `"${label}" cannot be used in a filter.`);
  }

  private bind(value: unknown): string {
    this.bindings.push(value);
    return '?';
  }

  private condition(node: Extract<FilterNode, { kind: 'present' | 'compare' }>, operand: Operand): string {
    if (node.kind === 'present') {
      if (operand.type === 'text' || operand.type === 'jsonText') return `(nullif(${operand.sql}, '') is not null)`;
      return `(${operand.sql} is not null)`;
    }
    return this.compare(operand, node.op, node.value);
  }

  private compare(operand: Operand, op: CompareOperator, value: FilterValue): string {
    const { attribute, label } = operand;
    if (value === null) {
      if (op === 'eq') return `(${operand.sql} is null)`;
      if (op === 'ne') return `(${operand.sql} is not null)`;
      throw badRequest('invalidFilter', `"${label} ${op} null" is not a comparison; use "pr" or "eq null".`);
    }
    if (op === 'ne') return `(not coalesce(${this.compare(operand, 'eq', value)}, false))`;

    switch (attribute.type) {
      case 'boolean': {
        if (op !== 'eq') throw badRequest('invalidFilter', `"${label}" is a boolean; only eq, ne and pr apply.`);
        const flag = typeof value === 'boolean' ? value : String(value).toLowerCase();
        if (flag !== true && flag !== false && flag !== 'true' && flag !== 'false') {
          throw badRequest('invalidFilter', `"${label}" is a boolean; compare it with true or false.`);
        }
        const bool = flag === true || flag === 'true';
        if (operand.type === 'jsonText') return `(${operand.sql} = ${this.bind(String(bool))})`;
        return `(${operand.sql} = ${this.bind(bool)})`;
      }
      case 'dateTime': {
        if (['co', 'sw', 'ew'].includes(op)) {
          throw badRequest('invalidFilter', `"${label}" is a date-time; use eq, ne, gt, ge, lt, le or pr.`);
        }
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
          throw badRequest(
            'invalidFilter',
            `"${label}" is a date-time; "${String(value)}" is not one (use e.g. "2026-01-31T00:00:00Z").`,
          );
        }
        const left = operand.type === 'jsonText' ? `(${operand.sql})::timestamptz` : operand.sql;
        return `(${left} ${SQL_OPERATOR[op]} ${this.bind(new Date(value).toISOString())}::timestamptz)`;
      }
      case 'integer':
      case 'decimal': {
        if (['co', 'sw', 'ew'].includes(op))
          throw badRequest('invalidFilter', `"${label}" is a number; co, sw and ew do not apply.`);
        if (typeof value !== 'number') throw badRequest('invalidFilter', `"${label}" is a number; "${value}" is not.`);
        const left = operand.type === 'jsonText' ? `(${operand.sql})::numeric` : operand.sql;
        return `(${left} ${SQL_OPERATOR[op]} ${this.bind(value)})`;
      }
      case 'complex':
        throw badRequest('invalidFilter', `"${label}" is complex; filter on a sub-attribute.`);
      default:
        return this.compareText(operand, op, String(value));
    }
  }

  private compareText(operand: Operand, op: CompareOperator, value: string): string {
    if (operand.type === 'uuid') {
      // Ids are opaque to clients: a value that is not a UUID simply matches nothing.
      if (op === 'eq') return isUuid(value) ? `(${operand.sql} = ${this.bind(value)}::uuid)` : '(false)';
      return this.compareText({ ...operand, sql: `(${operand.sql})::text`, type: 'text' }, op, value.toLowerCase());
    }
    const caseExact = operand.attribute.caseExact;
    const left = caseExact ? operand.sql : `lower(${operand.sql})`;
    const right = (sql: string) => (caseExact ? sql : `lower(${sql})`);
    switch (op) {
      case 'eq':
        return `(${left} = ${right(this.bind(value))})`;
      case 'co':
        return `(${left} like ${right(this.bind(`%${escapeLike(value)}%`))} escape '\\')`;
      case 'sw':
        return `(${left} like ${right(this.bind(`${escapeLike(value)}%`))} escape '\\')`;
      case 'ew':
        return `(${left} like ${right(this.bind(`%${escapeLike(value)}`))} escape '\\')`;
      default:
        return `(${left} ${SQL_OPERATOR[op]} ${right(this.bind(value))})`;
    }
  }
}

const SQL_OPERATOR: Record<CompareOperator, string> = {
  eq: '=',
  ne: '<>',
  co: 'like',
  sw: 'like',
  ew: 'like',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/** Translates a parsed filter into a WHERE fragment over the resource table aliased `row`. */
export function filterToSql(
  resourceType: ResourceTypeDeclaration,
  node: FilterNode,
  row = resourceType.alias,
): SqlFragment {
  return new FilterTranslator(resourceType, row).translate(node);
}

/**
 * The SQL to sort by an attribute (RFC 7644 section 3.4.2.3): single-valued attributes directly, multi-valued
 * ones by their primary (or first) value; case-insensitive attributes sort case-insensitively.
 */
export function sortExpression(resourceType: ResourceTypeDeclaration, path: string, row = resourceType.alias): string {
  const resolved = resolveAttributePath(resourceType, path);
  if (!resolved) {
    throw badRequest(
      'invalidValue',
      `Unknown attribute "${path}" in sortBy. ${resourceType.name} attributes are: ${knownAttributeNames(resourceType)}.`,
    );
  }
  const { attribute } = resolved;
  const target =
    resolved.subAttribute ?? (attribute.multiValued ? findAttribute(attribute.subAttributes, 'value') : attribute);
  if (!target || target.type === 'complex') {
    throw badRequest('invalidValue', `"${path}" cannot be sorted by; name a sub-attribute.`);
  }
  let sql: string;
  if (attribute.multiValued) {
    const storage = attribute.storage;
    const arraySql =
      storage.kind === 'elements'
        ? storage.arraySql(row)
        : storage.kind === 'json'
          ? `coalesce(${jsonValueSql(row, jsonSteps({ ...resolved, subAttribute: undefined }))}, '[]'::jsonb)`
          : undefined;
    if (!arraySql) throw badRequest('invalidValue', `"${path}" cannot be sorted by.`);
    sql = `(select s.v ->> ${literal(target.name)} from jsonb_array_elements(${arraySql}) with ordinality as s(v, n) order by (s.v ->> 'primary') = 'true' desc, s.n limit 1)`;
  } else if (target.storage.kind === 'column') {
    sql = `${row}.${target.storage.column}`;
  } else if (target.storage.kind === 'json') {
    sql = jsonTextSql(row, jsonSteps(resolved));
  } else {
    throw badRequest('invalidValue', `"${path}" cannot be sorted by.`);
  }
  return target.type === 'string' && !target.caseExact ? `lower(${sql})` : sql;
}
