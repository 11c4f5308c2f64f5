/**
 * The console's only way to the server: POST /graphql. The caller is either an admin API key (kept in
 * sessionStorage, so it is gone when the tab closes) or the Roster session cookie of an ADMIN user.
 */

const KEY_STORAGE = 'roster.adminApiKey';

export function storedAdminKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function storeAdminKey(key: string | null): void {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // Storage can be disabled; the key then lives only as long as the page.
  }
}

/** An error the API (or the network) reported, with the API's own message and code. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Called whenever the API answers UNAUTHENTICATED, so the shell can return to the sign-in page. */
let onUnauthenticated: (() => void) | null = null;
export function whenUnauthenticated(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export async function graphql<TData, TVariables extends object = Record<string, never>>(
  operation: Operation<TData, TVariables>,
  variables?: TVariables,
  credential: string | null = storedAdminKey(),
): Promise<TData> {
  // content-type application/json makes the request "non-simple", which the API's CSRF rule requires of
  // cookie-authenticated callers.
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (credential) headers.authorization = `Bearer ${credential}`;
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: JSON.stringify({ query: operation.query, variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('Roster could not be reached. Check your connection and try again.', 'NETWORK');
  }
  let body: GraphQLResponse<TData>;
  try {
    body = (await response.json()) as GraphQLResponse<TData>;
  } catch {
    throw new ApiError(`Roster answered ${response.status} ${response.statusText} without a GraphQL result.`, 'HTTP');
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'ERROR';
    if (code === 'UNAUTHENTICATED') onUnauthenticated?.();
    throw new ApiError(first.message, code);
  }
  if (!body.data) throw new ApiError(`Roster answered ${response.status} without data.`, 'HTTP');
  return body.data;
}

/** A typed GraphQL operation: the document, and (through the type parameters) its result and variables. */
export interface Operation<TData, TVariables> {
  readonly query: string;
  /** Never set: carries the types only. */
  readonly __types?: { data: TData; variables: TVariables };
}

export function operation<TData, TVariables extends object = Record<string, never>>(
  query: string,
): Operation<TData, TVariables> {
  return { query };
}
