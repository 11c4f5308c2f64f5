import { AttributeDeclaration } from '../schema/attributes';
import { ResourceTypeDeclaration } from '../schema/resource-schemas';
import { ScimObject, isObject } from './values';

/**
 * Moves attribute values between SCIM JSON and their storage, as the declarations say: `column` attributes to
 * and from the row's columns, `json` attributes to and from the row's `scim` jsonb column. Attributes with other
 * storage (emails, groups, members, meta) are assembled by the resource's own mapper.
 */
export interface StoredResource {
  columns: Record<string, unknown>;
  scim: ScimObject;
}

function writableAttributes(resourceType: ResourceTypeDeclaration): AttributeDeclaration[] {
  return [...resourceType.common, ...resourceType.schema.attributes].filter(
    (attribute) => attribute.mutability !== 'readOnly',
  );
}

export function toStored(resourceType: ResourceTypeDeclaration, doc: ScimObject): StoredResource {
  const columns: Record<string, unknown> = {};
  const scim: ScimObject = {};
  for (const attribute of writableAttributes(resourceType)) {
    const value = doc[attribute.name];
    const storage = attribute.storage;
    if (storage.kind === 'column') {
      columns[storage.column] = value ?? null;
    } else if (storage.kind === 'json') {
      if (value !== undefined) scim[attribute.name] = value;
    } else if (storage.kind === 'complex') {
      const parts = isObject(value) ? value : {};
      const kept: ScimObject = {};
      for (const sub of attribute.subAttributes ?? []) {
        if (sub.storage.kind === 'column') columns[sub.storage.column] = parts[sub.name] ?? null;
        else if (sub.storage.kind === 'json' && parts[sub.name] !== undefined) kept[sub.name] = parts[sub.name];
      }
      if (Object.keys(kept).length) scim[attribute.name] = kept;
    }
  }
  for (const extension of resourceType.extensions) {
    if (isObject(doc[extension.id]) && Object.keys(doc[extension.id] as ScimObject).length) {
      scim[extension.id] = doc[extension.id];
    }
  }
  return { columns, scim };
}

const present = (value: unknown) => value !== null && value !== undefined;

export function fromStored(resourceType: ResourceTypeDeclaration, row: Record<string, unknown>): ScimObject {
  const scim = isObject(row.scim) ? row.scim : {};
  const doc: ScimObject = {};
  for (const attribute of [...resourceType.common, ...resourceType.schema.attributes]) {
    const storage = attribute.storage;
    if (storage.kind === 'column') {
      if (present(row[storage.column])) doc[attribute.name] = row[storage.column];
    } else if (storage.kind === 'json') {
      if (present(scim[attribute.name])) doc[attribute.name] = scim[attribute.name];
    } else if (storage.kind === 'complex' && attribute.mutability !== 'readOnly') {
      const stored = isObject(scim[attribute.name]) ? (scim[attribute.name] as ScimObject) : {};
      const value: ScimObject = {};
      for (const sub of attribute.subAttributes ?? []) {
        const subValue = sub.storage.kind === 'column' ? row[sub.storage.column] : stored[sub.name];
        if (present(subValue)) value[sub.name] = subValue;
      }
      if (Object.keys(value).length) doc[attribute.name] = value;
    }
  }
  for (const extension of resourceType.extensions) {
    if (isObject(scim[extension.id])) doc[extension.id] = scim[extension.id];
  }
  return doc;
}

/** Weak ETag of a resource version (RFC 7644 section 3.14). */
export const etagOf = (version: number) => `W/"${version}"`;

/** The version an `If-Match` / `If-None-Match` entity tag names, or undefined if it names none of ours. */
export function versionOfEtag(tag: string): number | undefined {
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(tag.trim()); // larger numbers name no version of ours
  return match ? Number(match[1]) : undefined;
}

export const isoDate = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
