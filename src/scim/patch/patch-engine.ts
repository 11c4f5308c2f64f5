import { AttributeDeclaration, findAttribute } from '../schema/attributes';
import { ResourceTypeDeclaration } from '../schema/resource-schemas';
import {
  describePath,
  findExtension,
  knownAttributeNames,
  resolveAttributePath,
  ResolvedAttribute,
} from '../schema/paths';
import { FilterNode, FilterSyntaxError, parsePatchPath } from '../filter/parser';
import { ScimError, badRequest } from '../errors';
import { ScimObject, coerceValue, isObject } from '../resources/values';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export type PatchOpName = 'add' | 'replace' | 'remove';

export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

/** Where an operation applies: an attribute, optionally filtered elements of it, optionally one sub-attribute. */
export interface PatchTarget {
  resolved: ResolvedAttribute;
  filter?: FilterNode;
  label: string;
}

/** Validates a PatchOp message (RFC 7644 section 3.5.2); `op` is case-insensitive (Entra sends "Replace"). */
export function readPatchRequest(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object.');
  const schemas = body.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some((schema) => typeof schema === 'string' && schema.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase())
  ) {
    throw badRequest('invalidSyntax', `"schemas" must be ["${PATCH_OP_SCHEMA}"].`);
  }
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw badRequest('invalidSyntax', '"Operations" must be a non-empty list of operations.');
  }
  return operations.map((operation: unknown, index: number) => {
    if (!isObject(operation)) throw badRequest('invalidSyntax', `Operations[${index}] must be an object.`);
    const opKey = Object.keys(operation).find((key) => key.toLowerCase() === 'op');
    const pathKey = Object.keys(operation).find((key) => key.toLowerCase() === 'path');
    const valueKey = Object.keys(operation).find((key) => key.toLowerCase() === 'value');
    const op = opKey ? operation[opKey] : undefined;
    if (typeof op !== 'string' || !['add', 'replace', 'remove'].includes(op.toLowerCase())) {
      throw badRequest(
        'invalidSyntax',
        `Operations[${index}].op must be "add", "replace" or "remove", not ${JSON.stringify(op)}.`,
      );
    }
    const path = pathKey ? operation[pathKey] : undefined;
    if (path !== undefined && path !== null && (typeof path !== 'string' || path.trim() === '')) {
      throw badRequest('invalidPath', `Operations[${index}].path must be a non-empty string.`);
    }
    const result: PatchOperation = { op: op.toLowerCase() as PatchOpName };
    if (typeof path === 'string') result.path = path.trim();
    if (valueKey) result.value = operation[valueKey];
    if (result.op !== 'remove' && result.value === undefined) {
      throw badRequest('invalidValue', `Operations[${index}] (${result.op}) needs a "value".`);
    }
    return result;
  });
}

export function resolvePatchPath(resourceType: ResourceTypeDeclaration, path: string): PatchTarget {
  let parsed;
  try {
    parsed = parsePatchPath(path);
  } catch (error) {
    if (error instanceof FilterSyntaxError)
      throw badRequest('invalidPath', `Invalid path "${path}": ${error.message}.`);
    throw error;
  }
  const fullPath = parsed.subAttribute ? `${parsed.attributePath}.${parsed.subAttribute}` : parsed.attributePath;
  const resolved = resolveAttributePath(resourceType, fullPath);
  if (!resolved) {
    throw badRequest(
      'invalidPath',
      `Unknown attribute in path "${path}". ${resourceType.name} attributes are: ${knownAttributeNames(resourceType)}.`,
    );
  }
  if (parsed.filter && !resolved.attribute.multiValued) {
    throw badRequest(
      'invalidPath',
      `"${resolved.attribute.name}" is not multi-valued; a "[filter]" does not apply to it.`,
    );
  }
  return { resolved, filter: parsed.filter, label: path };
}

/** Receives the operations on attributes kept in another table (a group's members), in order. */
export type RelationHandler = (op: PatchOpName, target: PatchTarget, value: unknown) => void;

/**
 * Applies PATCH operations, in order, to a resource's SCIM JSON held in memory (one row), and returns the new
 * document; the caller validates the result and saves it in one write, so the PATCH is all or nothing.
 */
export function applyPatch(
  resourceType: ResourceTypeDeclaration,
  document: ScimObject,
  operations: PatchOperation[],
  onRelation?: RelationHandler,
): ScimObject {
  const doc = structuredClone(document);
  for (const operation of operations) {
    if (operation.path === undefined) {
      applyPathless(resourceType, doc, operation, onRelation);
      continue;
    }
    const extension = findExtension(resourceType, operation.path);
    if (extension) {
      // The path names a whole extension: its value holds that extension's attributes.
      if (operation.op === 'remove') delete doc[extension.id];
      else applyPathless(resourceType, doc, { ...operation, value: { [extension.id]: operation.value } }, onRelation);
      continue;
    }
    const target = resolvePatchPath(resourceType, operation.path);
    const attribute = target.resolved.attribute;
    if (attribute.mutability === 'readOnly' || target.resolved.subAttribute?.mutability === 'readOnly') {
      throw badRequest('mutability', `"${describePath(target.resolved)}" is read-only.`);
    }
    if (attribute.storage.kind === 'relation' && onRelation) {
      onRelation(operation.op, target, operation.value);
      continue;
    }
    if (attribute.storage.kind === 'none') continue; // password: accepted, never stored
    applyToTarget(doc, operation.op, target, operation.value);
  }
  return doc;
}

/**
 * A pathless add/replace carries a resource-shaped value: its keys are attribute names, dotted paths
 * ("name.givenName") or URN-qualified paths (Entra), or an extension URN whose value holds that extension's
 * attributes. Like a PUT body, unknown and read-only keys (Okta sends the group's `id`) are ignored.
 */
function applyPathless(
  resourceType: ResourceTypeDeclaration,
  doc: ScimObject,
  operation: PatchOperation,
  onRelation?: RelationHandler,
): void {
  if (operation.op === 'remove') throw badRequest('noTarget', 'A "remove" operation needs a "path".');
  if (!isObject(operation.value)) {
    throw badRequest('invalidValue', `A "${operation.op}" without a path needs an object value of attributes.`);
  }
  for (const [key, value] of Object.entries(operation.value)) {
    const extension = findExtension(resourceType, key);
    if (extension && isObject(value)) {
      for (const [innerKey, innerValue] of Object.entries(value)) {
        applyPathlessKey(resourceType, doc, operation.op, `${extension.id}:${innerKey}`, innerValue, onRelation);
      }
      continue;
    }
    applyPathlessKey(resourceType, doc, operation.op, key, value, onRelation);
  }
}

function applyPathlessKey(
  resourceType: ResourceTypeDeclaration,
  doc: ScimObject,
  op: PatchOpName,
  key: string,
  value: unknown,
  onRelation?: RelationHandler,
): void {
  // Keys may use the whole path grammar (Entra: "emails[type eq \"work\"].value"); unknown ones are ignored.
  let target: PatchTarget;
  try {
    target = resolvePatchPath(resourceType, key);
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'invalidPath') return;
    throw error;
  }
  const attribute = target.resolved.attribute;
  if (attribute.mutability === 'readOnly' || target.resolved.subAttribute?.mutability === 'readOnly') return;
  if (attribute.storage.kind === 'none') return;
  if (attribute.storage.kind === 'relation' && onRelation) onRelation(op, target, value);
  else applyToTarget(doc, op, target, value);
}

function containerOf(doc: ScimObject, resolved: ResolvedAttribute, create: boolean): ScimObject | undefined {
  if (!resolved.extension) return doc;
  const existing = doc[resolved.extension.id];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const created: ScimObject = {};
  doc[resolved.extension.id] = created;
  return created;
}

function dropEmptyExtension(doc: ScimObject, resolved: ResolvedAttribute): void {
  const id = resolved.extension?.id;
  if (id && isObject(doc[id]) && Object.keys(doc[id] as ScimObject).length === 0) delete doc[id];
}

function applyToTarget(doc: ScimObject, op: PatchOpName, target: PatchTarget, value: unknown): void {
  const { resolved } = target;
  const holder = containerOf(doc, resolved, op !== 'remove');
  if (!holder) return;
  if (resolved.attribute.multiValued) applyToMultiValued(holder, op, target, value);
  else applyToSingleValued(holder, op, target, value);
  dropEmptyExtension(doc, resolved);
}

function applyToSingleValued(holder: ScimObject, op: PatchOpName, target: PatchTarget, value: unknown): void {
  const { attribute, subAttribute } = target.resolved;
  const name = attribute.name;
  if (subAttribute) {
    const parent = isObject(holder[name]) ? { ...(holder[name] as ScimObject) } : {};
    const coerced = op === 'remove' ? undefined : coerceValue(subAttribute, value, target.label);
    if (coerced === undefined) delete parent[subAttribute.name];
    else parent[subAttribute.name] = coerced;
    if (Object.keys(parent).length) holder[name] = parent;
    else delete holder[name];
    return;
  }
  const coerced = op === 'remove' ? undefined : coerceValue(attribute, value, target.label);
  if (coerced === undefined) {
    delete holder[name];
  } else if (attribute.type === 'complex' && isObject(holder[name])) {
    // RFC 7644 3.5.2.3: sub-attributes not named in the value are left unchanged.
    holder[name] = { ...(holder[name] as ScimObject), ...(coerced as ScimObject) };
  } else {
    holder[name] = coerced;
  }
}

function applyToMultiValued(holder: ScimObject, op: PatchOpName, target: PatchTarget, value: unknown): void {
  const { attribute, subAttribute } = target.resolved;
  const name = attribute.name;
  let list: ScimObject[] = Array.isArray(holder[name]) ? (holder[name] as ScimObject[]).map((e) => ({ ...e })) : [];
  let newPrimary: ScimObject | undefined;
  const element = (raw: unknown) =>
    coerceValue({ ...attribute, multiValued: false }, raw, target.label) as ScimObject | undefined;
  const subValue = (raw: unknown) => (subAttribute ? coerceValue(subAttribute, raw, target.label) : undefined);

  if (target.filter) {
    const selected = list.filter((item) => matchesElement(target.filter!, attribute, item, target.label));
    if (op === 'remove') {
      if (subAttribute) selected.forEach((item) => delete item[subAttribute.name]);
      else list = list.filter((item) => !selected.includes(item));
    } else if (selected.length === 0) {
      // Entra replaces `emails[type eq "work"].value` on users that have no work email yet: create the entry.
      const seed = equalityConstraints(target.filter, attribute);
      if (!seed) {
        throw badRequest(
          'noTarget',
          `No ${name} entry matches "${target.label}", and the filter does not say how to create one.`,
        );
      }
      const created = subAttribute
        ? { ...seed, [subAttribute.name]: subValue(value) }
        : { ...seed, ...(element(value) ?? {}) };
      list.push(created);
      if (created.primary === true) newPrimary = created;
    } else {
      for (const item of selected) {
        if (subAttribute) {
          const coerced = subValue(value);
          if (coerced === undefined) delete item[subAttribute.name];
          else item[subAttribute.name] = coerced;
        } else {
          Object.assign(item, element(value) ?? {});
        }
        if (item.primary === true) newPrimary = item;
      }
    }
  } else if (subAttribute) {
    // `emails.value` without a filter applies to every entry (and creates one when there is none).
    if (op === 'remove') list.forEach((item) => delete item[subAttribute.name]);
    else {
      const coerced = subValue(value);
      if (list.length === 0) list = [{ [subAttribute.name]: coerced }];
      else list.forEach((item) => (item[subAttribute.name] = coerced));
    }
  } else if (op === 'remove') {
    if (value === undefined || value === null) list = [];
    else {
      // Entra: `remove` of `members` with a value list removes only the listed entries.
      const doomed = (coerceValue(attribute, value, target.label) as ScimObject[] | undefined) ?? [];
      list = list.filter((item) => !doomed.some((gone) => sameEntry(attribute, item, gone)));
    }
  } else {
    const incoming = (coerceValue(attribute, value, target.label) as ScimObject[] | undefined) ?? [];
    if (op === 'replace') list = incoming;
    else {
      for (const entry of incoming) {
        const existing = list.find((item) => sameEntry(attribute, item, entry));
        if (existing) Object.assign(existing, entry);
        else list.push(entry);
      }
    }
    newPrimary = incoming.filter((entry) => entry.primary === true).pop();
    if (newPrimary && op === 'add') newPrimary = list.find((item) => sameEntry(attribute, item, newPrimary!));
  }

  if (newPrimary) list.forEach((item) => item !== newPrimary && item.primary === true && (item.primary = false));
  list = list.filter((item) => Object.keys(item).length > 0);
  if (list.length) holder[name] = list;
  else delete holder[name];
}

/** Two entries of a multi-valued attribute are the same when their `value`s are equal (or, without one, all of them). */
function sameEntry(attribute: AttributeDeclaration, a: ScimObject, b: ScimObject): boolean {
  const valueDeclaration = findAttribute(attribute.subAttributes, 'value');
  if (valueDeclaration && a.value !== undefined && b.value !== undefined) {
    return equalText(valueDeclaration, a.value, b.value);
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((key) => key !== 'primary'));
  return [...keys].every((key) => JSON.stringify(a[key]) === JSON.stringify(b[key]));
}

function equalText(attribute: AttributeDeclaration, a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !attribute.caseExact)
    return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** The sub-attribute values a filter of `eq`s joined by `and` pins down: what a created entry must hold. */
export function equalityConstraints(node: FilterNode, parent: AttributeDeclaration): ScimObject | undefined {
  if (node.kind === 'compare' && node.op === 'eq') {
    const sub = findAttribute(parent.subAttributes, stripParent(node.path, parent));
    if (!sub || node.value === null) return undefined;
    return { [sub.name]: coerceValue(sub, node.value, node.path) };
  }
  if (node.kind === 'and') {
    const left = equalityConstraints(node.left, parent);
    const right = equalityConstraints(node.right, parent);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}

const stripParent = (path: string, parent: AttributeDeclaration) =>
  path.toLowerCase().startsWith(parent.name.toLowerCase() + '.') ? path.slice(parent.name.length + 1) : path;

/** Evaluates a path filter against one element of a multi-valued attribute (the element is already in memory). */
export function matchesElement(
  node: FilterNode,
  parent: AttributeDeclaration,
  element: ScimObject,
  label: string,
): boolean {
  switch (node.kind) {
    case 'and':
      return matchesElement(node.left, parent, element, label) && matchesElement(node.right, parent, element, label);
    case 'or':
      return matchesElement(node.left, parent, element, label) || matchesElement(node.right, parent, element, label);
    case 'not':
      return !matchesElement(node.operand, parent, element, label);
    case 'valuePath':
      throw badRequest('invalidPath', `"${label}": a filter in brackets cannot contain another bracketed filter.`);
    case 'present':
    case 'compare': {
      const sub = findAttribute(parent.subAttributes, stripParent(node.path, parent));
      if (!sub) {
        throw badRequest(
          'invalidPath',
          `"${label}": ${parent.name} has no sub-attribute "${node.path}" (it has ${(parent.subAttributes ?? []).map((s) => s.name).join(', ')}).`,
        );
      }
      const actual = element[sub.name];
      if (node.kind === 'present') return actual !== undefined && actual !== null && actual !== '';
      return compareValues(sub, actual, node.op, node.value);
    }
  }
}

function compareValues(sub: AttributeDeclaration, actual: unknown, op: string, expected: unknown): boolean {
  if (expected === null)
    return op === 'eq' ? actual === undefined || actual === null : actual !== undefined && actual !== null;
  if (op === 'ne') return !compareValues(sub, actual, 'eq', expected);
  if (actual === undefined || actual === null) return false;
  if (sub.type === 'boolean') {
    const wanted = typeof expected === 'boolean' ? expected : String(expected).toLowerCase() === 'true';
    return op === 'eq' && actual === wanted;
  }
  if (sub.type === 'dateTime') {
    const a = Date.parse(String(actual));
    const b = Date.parse(String(expected));
    return ordered(op, a === b, a > b, a < b);
  }
  const fold = (text: unknown) => (sub.caseExact ? String(text) : String(text).toLowerCase());
  const a = fold(actual);
  const b = fold(expected);
  switch (op) {
    case 'co':
      return a.includes(b);
    case 'sw':
      return a.startsWith(b);
    case 'ew':
      return a.endsWith(b);
    default:
      return ordered(op, a === b, a > b, a < b);
  }
}

function ordered(op: string, equal: boolean, greater: boolean, less: boolean): boolean {
  switch (op) {
    case 'eq':
      return equal;
    case 'gt':
      return greater;
    case 'ge':
      return greater || equal;
    case 'lt':
      return less;
    case 'le':
      return less || equal;
    default:
      return false;
  }
}
