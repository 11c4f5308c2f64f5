import { AttributeDeclaration, SchemaDeclaration, findAttribute } from './attributes';
import { ResourceTypeDeclaration } from './resource-schemas';

/**
 * An attribute path resolved against a resource type's declarations: `userName`, `name.givenName`,
 * `urn:ietf:params:scim:schemas:core:2.0:User:emails.value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
 */
export interface ResolvedAttribute {
  /** The extension schema the attribute belongs to, or null for the core schema and the common attributes. */
  extension: SchemaDeclaration | null;
  attribute: AttributeDeclaration;
  subAttribute?: AttributeDeclaration;
}

/** Splits `urn:...:User:name.givenName` into the schema it names (if any) and the rest. */
export function splitSchemaPrefix(
  resourceType: ResourceTypeDeclaration,
  path: string,
): { schema: SchemaDeclaration | null; rest: string } {
  const lower = path.toLowerCase();
  // Extensions first: their URNs extend the core URN's text in the enterprise case
  // ("...:core:2.0:User" vs "...:extension:enterprise:2.0:User" differ earlier, but be safe with longest match).
  const candidates = [...resourceType.extensions, resourceType.schema].sort((a, b) => b.id.length - a.id.length);
  for (const schema of candidates) {
    const id = schema.id.toLowerCase();
    if (lower === id) return { schema, rest: '' };
    if (lower.startsWith(id + ':')) return { schema, rest: path.slice(id.length + 1) };
  }
  return { schema: null, rest: path };
}

/** The extension schema whose URN is exactly `key` (case-insensitive), for keys of resource-shaped values. */
export function findExtension(resourceType: ResourceTypeDeclaration, key: string): SchemaDeclaration | undefined {
  const lower = key.toLowerCase();
  return resourceType.extensions.find((schema) => schema.id.toLowerCase() === lower);
}

export function resolveAttributePath(
  resourceType: ResourceTypeDeclaration,
  path: string,
): ResolvedAttribute | undefined {
  const { schema, rest } = splitSchemaPrefix(resourceType, path);
  if (path.includes(':') && !schema) return undefined;
  if (!rest) return undefined;
  const dot = rest.indexOf('.');
  const attributeName = dot === -1 ? rest : rest.slice(0, dot);
  const subName = dot === -1 ? undefined : rest.slice(dot + 1);
  if (subName !== undefined && (subName === '' || subName.includes('.'))) return undefined;

  let extension: SchemaDeclaration | null = null;
  let attribute: AttributeDeclaration | undefined;
  if (schema && schema !== resourceType.schema) {
    extension = schema;
    attribute = findAttribute(schema.attributes, attributeName);
  } else {
    attribute =
      findAttribute(resourceType.common, attributeName) ?? findAttribute(resourceType.schema.attributes, attributeName);
    if (!attribute && !schema) {
      // Unqualified extension attributes (e.g. `employeeNumber`) are accepted when no core attribute has the name.
      for (const candidate of resourceType.extensions) {
        attribute = findAttribute(candidate.attributes, attributeName);
        if (attribute) {
          extension = candidate;
          break;
        }
      }
    }
  }
  if (!attribute) return undefined;
  if (subName === undefined) return { extension, attribute };
  const subAttribute = findAttribute(attribute.subAttributes, subName);
  if (!subAttribute) return undefined;
  return { extension, attribute, subAttribute };
}

/** `name.givenName` / `urn:...:enterprise:2.0:User:manager.value`, for messages. */
export function describePath(resolved: ResolvedAttribute): string {
  const prefix = resolved.extension ? `${resolved.extension.id}:` : '';
  return prefix + resolved.attribute.name + (resolved.subAttribute ? `.${resolved.subAttribute.name}` : '');
}

/** Names a client can use, for the detail of an "unknown attribute" error. */
export function knownAttributeNames(resourceType: ResourceTypeDeclaration): string {
  const names = [...resourceType.common, ...resourceType.schema.attributes].map((attribute) => attribute.name);
  for (const extension of resourceType.extensions) {
    names.push(...extension.attributes.map((attribute) => `${extension.id}:${attribute.name}`));
  }
  return names.join(', ');
}
