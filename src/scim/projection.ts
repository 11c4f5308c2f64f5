import { ResourceTypeDeclaration } from './schema/resource-schemas';
import { ResolvedAttribute, findExtension, resolveAttributePath } from './schema/paths';
import { SchemaDeclaration } from './schema/attributes';
import { ScimObject, isObject } from './resources/values';

/**
 * `attributes` / `excludedAttributes` (RFC 7644 section 3.4.2.5). `id` is always returned, `password` never.
 * Names the resource type does not have are ignored (nothing to return or leave out).
 */
type Selection = { extension: SchemaDeclaration } | ResolvedAttribute;

export interface Projection {
  attributes?: Selection[];
  excludedAttributes?: Selection[];
}

function parseList(resourceType: ResourceTypeDeclaration, text: unknown): Selection[] | undefined {
  const items = (Array.isArray(text) ? text : typeof text === 'string' ? text.split(',') : [])
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter(Boolean);
  if (!items.length) return undefined;
  const selections: Selection[] = [];
  for (const item of items) {
    const extension = findExtension(resourceType, item);
    if (extension) selections.push({ extension });
    else {
      const resolved = resolveAttributePath(resourceType, item);
      if (resolved) selections.push(resolved);
    }
  }
  return selections;
}

export function readProjection(
  resourceType: ResourceTypeDeclaration,
  attributes: unknown,
  excluded: unknown,
): Projection {
  return {
    attributes: parseList(resourceType, attributes),
    excludedAttributes: parseList(resourceType, excluded),
  };
}

const isAttribute = (selection: Selection): selection is ResolvedAttribute => 'attribute' in selection;

/** Whether the response will show the named top-level attribute, e.g. a group's members (so SQL reads them only then). */
export function projectionIncludes(projection: Projection, attributeName: string): boolean {
  const named = (list?: Selection[], wholeOnly = false) =>
    (list ?? []).some(
      (selection) =>
        isAttribute(selection) &&
        !selection.extension &&
        selection.attribute.name === attributeName &&
        (!wholeOnly || !selection.subAttribute),
    );
  if (projection.attributes) return named(projection.attributes);
  return !named(projection.excludedAttributes, true);
}

function holderOf(doc: ScimObject, selection: ResolvedAttribute): ScimObject | undefined {
  if (!selection.extension) return doc;
  const holder = doc[selection.extension.id];
  return isObject(holder) ? holder : undefined;
}

function copySelection(source: ScimObject, target: ScimObject, selection: Selection): void {
  if (!isAttribute(selection)) {
    if (source[selection.extension.id] !== undefined) target[selection.extension.id] = source[selection.extension.id];
    return;
  }
  const from = holderOf(source, selection);
  if (!from) return;
  let to = target;
  if (selection.extension) {
    to = isObject(target[selection.extension.id]) ? (target[selection.extension.id] as ScimObject) : {};
    target[selection.extension.id] = to;
  }
  const name = selection.attribute.name;
  const value = from[name];
  if (value === undefined) return;
  const sub = selection.subAttribute;
  if (!sub) {
    to[name] = value;
  } else if (Array.isArray(value)) {
    const existing = Array.isArray(to[name]) ? (to[name] as ScimObject[]) : value.map(() => ({}));
    to[name] = value.map((element: ScimObject, i: number) =>
      isObject(element) && element[sub.name] !== undefined
        ? { ...existing[i], [sub.name]: element[sub.name] }
        : existing[i],
    );
  } else if (isObject(value) && value[sub.name] !== undefined) {
    to[name] = { ...(isObject(to[name]) ? (to[name] as ScimObject) : {}), [sub.name]: value[sub.name] };
  }
}

function removeSelection(doc: ScimObject, selection: Selection): void {
  if (!isAttribute(selection)) {
    delete doc[selection.extension.id];
    return;
  }
  const attribute = selection.attribute;
  if (attribute.returned === 'always' || selection.subAttribute?.returned === 'always') return;
  const holder = holderOf(doc, selection);
  if (!holder) return;
  const sub = selection.subAttribute;
  if (!sub) delete holder[attribute.name];
  else if (Array.isArray(holder[attribute.name])) {
    holder[attribute.name] = (holder[attribute.name] as ScimObject[]).map((element) => {
      const { [sub.name]: _removed, ...rest } = element;
      return rest;
    });
  } else if (isObject(holder[attribute.name])) {
    const { [sub.name]: _removed, ...rest } = holder[attribute.name] as ScimObject;
    holder[attribute.name] = rest;
  }
  if (selection.extension && Object.keys(holder).length === 0) delete doc[selection.extension.id];
}

/** Applies a projection to a resource's full SCIM JSON. */
export function project(resourceType: ResourceTypeDeclaration, doc: ScimObject, projection: Projection): ScimObject {
  let result: ScimObject;
  if (projection.attributes) {
    result = { schemas: doc.schemas, id: doc.id };
    for (const selection of projection.attributes) copySelection(doc, result, selection);
  } else if (projection.excludedAttributes) {
    result = { ...doc };
    for (const extension of resourceType.extensions) {
      if (isObject(doc[extension.id])) result[extension.id] = { ...(doc[extension.id] as ScimObject) };
    }
    for (const selection of projection.excludedAttributes) removeSelection(result, selection);
  } else {
    return doc;
  }
  const schemas = Array.isArray(doc.schemas) ? (doc.schemas as string[]) : [];
  result.schemas = schemas.filter((schema) => schema === resourceType.schema.id || result[schema] !== undefined);
  return result;
}
