import { describeAttribute } from './schema/attributes';
import {
  ResourceTypeDeclaration,
  resourceTypes,
  userSchema,
  enterpriseUserSchema,
  groupSchema,
} from './schema/resource-schemas';
import { DEFAULT_PAGE_SIZE, LIST_RESPONSE_SCHEMA, MAX_PAGE_SIZE } from './list-request';
import { notFound } from './errors';

/** The discovery documents of RFC 7644 section 4, generated from the attribute declarations. */

const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export function serviceProviderConfig(baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE_SIZE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    // RFC 9865: both paging methods; cursors are keyset positions and do not expire.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: DEFAULT_PAGE_SIZE,
      maxPageSize: MAX_PAGE_SIZE,
    },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: "A SCIM token issued by the channel's administrator, sent as Authorization: Bearer <token>.",
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

function resourceTypeDocument(resourceType: ResourceTypeDeclaration, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resourceType.name,
    name: resourceType.name,
    endpoint: resourceType.endpoint,
    description: resourceType.description,
    schema: resourceType.schema.id,
    schemaExtensions: resourceType.extensions.map((extension) => ({ schema: extension.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${resourceType.name}` },
  };
}

const schemas = [userSchema, enterpriseUserSchema, groupSchema];

function schemaDocument(schema: (typeof schemas)[number], baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(describeAttribute),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

function listOf(resources: Record<string, unknown>[]): Record<string, unknown> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  };
}

export const resourceTypeList = (baseUrl: string) =>
  listOf(resourceTypes.map((type) => resourceTypeDocument(type, baseUrl)));
export const schemaList = (baseUrl: string) => listOf(schemas.map((schema) => schemaDocument(schema, baseUrl)));

export function resourceTypeById(id: string, baseUrl: string): Record<string, unknown> {
  const found = resourceTypes.find((type) => type.name.toLowerCase() === id.toLowerCase());
  if (!found) throw notFound(`No resource type "${id}"; Roster serves User and Group.`);
  return resourceTypeDocument(found, baseUrl);
}

export function schemaById(id: string, baseUrl: string): Record<string, unknown> {
  const found = schemas.find((schema) => schema.id.toLowerCase() === id.toLowerCase());
  if (!found) throw notFound(`No schema "${id}"; Roster serves ${schemas.map((schema) => schema.id).join(', ')}.`);
  return schemaDocument(found, baseUrl);
}
