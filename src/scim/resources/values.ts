import { AttributeDeclaration, findAttribute } from '../schema/attributes';
import { ResourceTypeDeclaration } from '../schema/resource-schemas';
import { findExtension } from '../schema/paths';
import { badRequest } from '../errors';

export type ScimObject = Record<string, unknown>;

export const isObject = (value: unknown): value is ScimObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Coerces a client value to the declared type, or refuses it with `400 invalidValue`.
 * Lenient where clients are known to differ from the RFC: booleans as "True"/"False" (Entra), numbers where a
 * string is declared, a single object where a list is declared, a bare id for a complex attribute that has a
 * `value` (Entra's `manager`). Returns undefined for null (an unassigned value).
 */
export function coerceValue(attribute: AttributeDeclaration, value: unknown, label: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (attribute.multiValued) {
    const list = Array.isArray(value) ? value : [value];
    const elements = list
      .map((element, index) => coerceSingle(attribute, element, `${label}[${index}]`))
      .filter((element) => element !== undefined);
    return elements.length ? keepOnePrimary(elements) : undefined;
  }
  if (Array.isArray(value)) {
    // Some clients wrap single values in a one-element list.
    if (value.length === 1) return coerceSingle(attribute, value[0], label);
    throw badRequest('invalidValue', `"${label}" takes a single value, not a list.`);
  }
  return coerceSingle(attribute, value, label);
}

function coerceSingle(attribute: AttributeDeclaration, value: unknown, label: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (attribute.type) {
    case 'complex': {
      if (!isObject(value)) {
        if (
          (typeof value === 'string' || typeof value === 'number') &&
          findAttribute(attribute.subAttributes, 'value')
        ) {
          return { value: String(value) };
        }
        throw badRequest('invalidValue', `"${label}" must be an object with sub-attributes.`);
      }
      const result: ScimObject = {};
      for (const [key, subValue] of Object.entries(value)) {
        const sub = findAttribute(attribute.subAttributes, key);
        if (!sub) continue; // unknown sub-attributes are ignored, like unknown attributes
        const coerced = coerceSingle(sub, subValue, `${label}.${sub.name}`);
        if (coerced !== undefined) result[sub.name] = coerced;
      }
      return Object.keys(result).length ? result : undefined;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
        return value.trim().toLowerCase() === 'true';
      throw badRequest('invalidValue', `"${label}" must be true or false, not ${JSON.stringify(value)}.`);
    }
    case 'integer':
    case 'decimal': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (
        typeof number !== 'number' ||
        !Number.isFinite(number) ||
        (attribute.type === 'integer' && !Number.isInteger(number))
      ) {
        throw badRequest(
          'invalidValue',
          `"${label}" must be ${attribute.type === 'integer' ? 'an integer' : 'a number'}.`,
        );
      }
      return number;
    }
    case 'dateTime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw badRequest('invalidValue', `"${label}" must be a date-time such as "2026-01-31T12:00:00Z".`);
      }
      return value;
    }
    default: {
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw badRequest(
        'invalidValue',
        `"${label}" must be a string, not ${Array.isArray(value) ? 'a list' : 'an object'}.`,
      );
    }
  }
}

/** RFC 7643 section 2.4: at most one element is primary. When several claim it, the last one set wins. */
export function keepOnePrimary(elements: unknown[]): unknown[] {
  let last = -1;
  elements.forEach((element, index) => {
    if (isObject(element) && element.primary === true) last = index;
  });
  if (last === -1) return elements;
  return elements.map((element, index) =>
    isObject(element) && element.primary === true && index !== last ? { ...element, primary: false } : element,
  );
}

/**
 * A resource as the client sent it (POST/PUT body), reduced to the declared attributes with canonical names and
 * coerced values. Unknown attributes and read-only ones (id, meta, groups) are ignored; writeOnly ones (password)
 * are dropped here because Roster never stores them.
 */
export function normalizeResource(resourceType: ResourceTypeDeclaration, body: unknown): ScimObject {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object.');
  checkSchemas(resourceType, body.schemas);
  const result: ScimObject = {};
  for (const [key, value] of Object.entries(body)) {
    const extension = findExtension(resourceType, key);
    if (extension) {
      if (value === null) continue;
      if (!isObject(value)) throw badRequest('invalidValue', `"${extension.id}" must be an object.`);
      const inner: ScimObject = {};
      for (const [innerKey, innerValue] of Object.entries(value)) {
        const attribute = findAttribute(extension.attributes, innerKey);
        if (!attribute || attribute.mutability === 'readOnly') continue;
        const coerced = coerceValue(attribute, innerValue, `${extension.id}:${attribute.name}`);
        if (coerced !== undefined) inner[attribute.name] = coerced;
      }
      if (Object.keys(inner).length) result[extension.id] = inner;
      continue;
    }
    const attribute = findAttribute(resourceType.common, key) ?? findAttribute(resourceType.schema.attributes, key);
    if (!attribute || attribute.mutability === 'readOnly' || attribute.storage.kind === 'none') continue;
    const coerced = coerceValue(attribute, value, attribute.name);
    if (coerced !== undefined) result[attribute.name] = coerced;
  }
  return result;
}

/** The `schemas` of a resource body must name the resource's core schema; extra URNs are tolerated (Entra sends some). */
export function checkSchemas(resourceType: ResourceTypeDeclaration, schemas: unknown): void {
  if (!Array.isArray(schemas) || !schemas.every((schema) => typeof schema === 'string')) {
    throw badRequest('invalidSyntax', `"schemas" must be a list that includes "${resourceType.schema.id}".`);
  }
  const lower = schemas.map((schema: string) => schema.toLowerCase());
  if (!lower.includes(resourceType.schema.id.toLowerCase())) {
    throw badRequest('invalidSyntax', `"schemas" must include "${resourceType.schema.id}" for a ${resourceType.name}.`);
  }
}

/** Deep equality of JSON values, for "did anything change" and duplicate detection. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => sameJson(a[key], b[key]));
  }
  return false;
}
