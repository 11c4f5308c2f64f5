/**
 * SCIM attribute declarations (RFC 7643 section 2 and 7): every attribute Roster serves is declared once,
 * with its characteristics and where it is stored. Validation, projection, the filter-to-SQL translator, the
 * PATCH engine and the /Schemas document all read these declarations.
 */

export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

/** SQL type of a column, so that the filter translator compares values the way the database stores them. */
export type ColumnType = 'text' | 'uuid' | 'boolean' | 'timestamptz' | 'integer';

/**
 * Where an attribute's value lives.
 * - `column`: a column of the resource's own table (`app_user`, `directory_group`).
 * - `json`: a key of the resource's `scim` jsonb column; the key path follows the attribute's position
 *   (`title` -> scim.title, `name.middleName` -> scim.name.middleName, an extension attribute -> scim[urn].attr).
 *   A multi-valued json attribute is a jsonb array of its values.
 * - `complex`: a single-valued complex attribute whose sub-attributes say where each of them lives.
 * - `elements`: a multi-valued attribute assembled by SQL as a jsonb array of element objects (emails:
 *   the primary address from the `email` column plus the other addresses kept in scim.emails).
 * - `relation`: a multi-valued attribute read from another table (a user's groups, a group's members);
 *   `from` is the SQL that joins the element rows to the resource row, `subColumns` the SQL of each sub-attribute.
 * - `computed`: produced by the mapper (meta.location, meta.resourceType), not stored and not filterable.
 * - `none`: accepted on input and never stored (password).
 */
export type Storage =
  | { kind: 'column'; column: string; columnType: ColumnType }
  | { kind: 'json' }
  | { kind: 'complex' }
  | { kind: 'elements'; arraySql: (row: string) => string }
  | {
      kind: 'relation';
      from: (row: string, el: string) => string;
      subColumns: Record<string, { sql: (el: string) => string; columnType: ColumnType }>;
    }
  | { kind: 'computed' }
  | { kind: 'none' };

export interface AttributeDeclaration {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDeclaration[];
  storage: Storage;
}

export interface SchemaDeclaration {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDeclaration[];
}

type Options = Partial<Omit<AttributeDeclaration, 'name' | 'type' | 'description'>>;

const defaults = {
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite' as Mutability,
  returned: 'default' as Returned,
  uniqueness: 'none' as Uniqueness,
};

/** A string attribute kept in the resource's scim jsonb column unless told otherwise. */
export function text(name: string, description: string, options: Options = {}): AttributeDeclaration {
  return { name, type: 'string', description, ...defaults, storage: { kind: 'json' }, ...options };
}

export function bool(name: string, description: string, options: Options = {}): AttributeDeclaration {
  return { name, type: 'boolean', description, ...defaults, storage: { kind: 'json' }, ...options };
}

export function dateTime(name: string, description: string, options: Options = {}): AttributeDeclaration {
  return { name, type: 'dateTime', description, ...defaults, storage: { kind: 'json' }, ...options };
}

export function reference(
  name: string,
  description: string,
  referenceTypes: string[],
  options: Options = {},
): AttributeDeclaration {
  return {
    name,
    type: 'reference',
    description,
    ...defaults,
    caseExact: true,
    referenceTypes,
    storage: { kind: 'json' },
    ...options,
  };
}

export function complex(
  name: string,
  description: string,
  subAttributes: AttributeDeclaration[],
  options: Options = {},
): AttributeDeclaration {
  return {
    name,
    type: 'complex',
    description,
    ...defaults,
    subAttributes,
    storage: options.multiValued ? { kind: 'json' } : { kind: 'complex' },
    ...options,
  };
}

/**
 * The usual shape of a multi-valued attribute (RFC 7643 section 2.4): value, display, type, primary.
 * `extra` adds attribute-specific sub-attributes (addresses add streetAddress, locality, ...).
 */
export function multiValued(
  name: string,
  description: string,
  options: {
    valueType?: AttributeType;
    referenceTypes?: string[];
    canonicalTypes?: string[];
    extra?: AttributeDeclaration[];
    withoutValue?: boolean;
    mutability?: Mutability;
    storage?: Storage;
  } = {},
): AttributeDeclaration {
  const subs: AttributeDeclaration[] = [];
  if (!options.withoutValue) {
    subs.push({
      name: 'value',
      type: options.valueType ?? 'string',
      description: `The value of the ${name} entry.`,
      ...defaults,
      caseExact: options.valueType === 'reference' || options.valueType === 'binary',
      referenceTypes: options.referenceTypes,
      mutability: options.mutability ?? 'readWrite',
      storage: { kind: 'json' },
    });
  }
  subs.push(
    ...(options.extra ?? []),
    text('display', 'A human-readable name, primarily used for display purposes.', {
      mutability: options.mutability ?? 'readWrite',
    }),
    text('type', `A label indicating the ${name} entry's function.`, {
      canonicalValues: options.canonicalTypes,
      mutability: options.mutability ?? 'readWrite',
    }),
    bool('primary', `Whether this is the primary ${name} entry. At most one entry is primary.`, {
      mutability: options.mutability ?? 'readWrite',
    }),
  );
  return {
    name,
    type: 'complex',
    description,
    ...defaults,
    multiValued: true,
    mutability: options.mutability ?? 'readWrite',
    subAttributes: subs,
    storage: options.storage ?? { kind: 'json' },
  };
}

/** The characteristics of a declaration as the /Schemas document shows them (storage is Roster's own business). */
export function describeAttribute(attribute: AttributeDeclaration): Record<string, unknown> {
  const shown: Record<string, unknown> = {
    name: attribute.name,
    type: attribute.type,
    multiValued: attribute.multiValued,
    description: attribute.description,
    required: attribute.required,
  };
  if (attribute.type === 'string' || attribute.type === 'reference' || attribute.type === 'binary') {
    shown.caseExact = attribute.caseExact;
  }
  if (attribute.canonicalValues) shown.canonicalValues = attribute.canonicalValues;
  if (attribute.referenceTypes) shown.referenceTypes = attribute.referenceTypes;
  shown.mutability = attribute.mutability;
  shown.returned = attribute.returned;
  if (attribute.type !== 'complex' && attribute.type !== 'boolean') shown.uniqueness = attribute.uniqueness;
  if (attribute.subAttributes) shown.subAttributes = attribute.subAttributes.map(describeAttribute);
  return shown;
}

/** Case-insensitive lookup of a (sub-)attribute by name: SCIM attribute names are case-insensitive. */
export function findAttribute(
  attributes: readonly AttributeDeclaration[] | undefined,
  name: string,
): AttributeDeclaration | undefined {
  if (!attributes) return undefined;
  const lower = name.toLowerCase();
  return attributes.find((attribute) => attribute.name.toLowerCase() === lower);
}
