import { ResourceTypeDeclaration } from './schema/resource-schemas';
import { FilterSyntaxError, parseFilter } from './filter/parser';
import { SqlFragment, filterToSql, sortExpression } from './filter/sql';
import { Projection, readProjection } from './projection';
import { badRequest } from './errors';

export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const DEFAULT_PAGE_SIZE = 100;
/** Advertised in ServiceProviderConfig (filter.maxResults, pagination.maxPageSize); larger counts are lowered to it. */
export const MAX_PAGE_SIZE = 1000;

/** A list request (query parameters of GET, or the body of POST /.search), checked and translated. */
export interface ListRequest {
  where?: SqlFragment;
  sort?: { sql: string; descending: boolean };
  /** Index paging (RFC 7644): 1-based. */
  startIndex: number;
  count: number;
  /** Cursor paging (RFC 9865): '' asks for the first page. */
  cursor?: { value: string; position?: CursorPosition };
  projection: Projection;
}

/** Keyset position: the last row of the previous page in (created_at, id) order. */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

function integerParameter(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = Array.isArray(raw) ? raw[0] : raw;
  const value =
    typeof text === 'number' ? text : typeof text === 'string' && /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value))
    throw badRequest('invalidValue', `"${name}" must be an integer, not ${JSON.stringify(text)}.`);
  return value;
}

function stringParameter(name: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text !== 'string') throw badRequest('invalidValue', `"${name}" must be a string.`);
  return text;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.createdAt}|${position.id}`).toString('base64url');
}

function decodeCursor(value: string): CursorPosition {
  const decoded = Buffer.from(value, 'base64url').toString();
  const [createdAt, id, extra] = decoded.split('|');
  if (
    extra !== undefined ||
    !id ||
    !/^[0-9a-f-]{36}$/.test(id) ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(createdAt) ||
    Number.isNaN(Date.parse(createdAt))
  ) {
    throw badRequest('invalidCursor', 'The cursor is not one Roster issued; start again with "cursor" empty.');
  }
  return { createdAt, id };
}

/** Reads `filter`, `sortBy`, `sortOrder`, `startIndex`, `count`, `cursor`, `attributes`, `excludedAttributes`. */
export function readListRequest(
  resourceType: ResourceTypeDeclaration,
  parameters: Record<string, unknown>,
): ListRequest {
  const request: ListRequest = {
    startIndex: Math.max(1, integerParameter('startIndex', parameters.startIndex) ?? 1),
    count: Math.min(MAX_PAGE_SIZE, Math.max(0, integerParameter('count', parameters.count) ?? DEFAULT_PAGE_SIZE)),
    projection: readProjection(resourceType, parameters.attributes, parameters.excludedAttributes),
  };
  const filter = stringParameter('filter', parameters.filter);
  if (filter !== undefined && filter.trim() !== '') {
    try {
      request.where = filterToSql(resourceType, parseFilter(filter));
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw badRequest('invalidFilter', `Invalid filter: ${error.message}.`);
      throw error;
    }
  }
  const sortBy = stringParameter('sortBy', parameters.sortBy);
  const sortOrder = stringParameter('sortOrder', parameters.sortOrder);
  if (sortOrder !== undefined && !/^(ascending|descending)$/i.test(sortOrder)) {
    throw badRequest('invalidValue', `"sortOrder" must be "ascending" or "descending", not "${sortOrder}".`);
  }
  if (sortBy !== undefined && sortBy.trim() !== '') {
    request.sort = {
      sql: sortExpression(resourceType, sortBy.trim()),
      descending: /^descending$/i.test(sortOrder ?? ''),
    };
  }
  const cursor = stringParameter('cursor', parameters.cursor);
  if (cursor !== undefined) {
    if (request.sort) {
      throw badRequest(
        'invalidValue',
        'Cursor pagination returns resources in creation order; use startIndex paging with sortBy.',
      );
    }
    if (parameters.startIndex !== undefined) {
      throw badRequest('invalidValue', 'Use either "cursor" or "startIndex", not both.');
    }
    request.cursor = { value: cursor, position: cursor.trim() === '' ? undefined : decodeCursor(cursor.trim()) };
  }
  return request;
}

/** POST /.search bodies carry the same parameters, in JSON. */
export function searchParameters(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('invalidSyntax', 'The request body must be a SearchRequest object.');
  }
  const request = body as Record<string, unknown>;
  const schemas = request.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some(
      (schema) => typeof schema === 'string' && schema.toLowerCase() === SEARCH_REQUEST_SCHEMA.toLowerCase(),
    )
  ) {
    throw badRequest('invalidSyntax', `"schemas" must be ["${SEARCH_REQUEST_SCHEMA}"].`);
  }
  const list = (value: unknown) => (Array.isArray(value) ? value.join(',') : value);
  return { ...request, attributes: list(request.attributes), excludedAttributes: list(request.excludedAttributes) };
}
