/** What went wrong, in the words every interface maps to its own wire format (GraphQL code, SCIM status). */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_USER_INPUT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'SAML_NOT_CONFIGURED'
  | 'SAML_MANAGED_GROUP'
  | 'PRECONDITION_FAILED';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const conflict = (message: string, detail?: Record<string, unknown>) =>
  new DomainError('CONFLICT', message, detail);
export const badInput = (message: string, detail?: Record<string, unknown>) =>
  new DomainError('BAD_USER_INPUT', message, detail);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const preconditionFailed = (message: string) => new DomainError('PRECONDITION_FAILED', message);

/** PostgreSQL's unique_violation, as MikroORM's exception converter or the bare driver reports it. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string; name?: string } | null;
  if (!e) return false;
  const unique = e.code === '23505' || e.name === 'UniqueConstraintViolationException';
  return unique && (constraint === undefined || e.constraint === constraint);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are opaque to callers; one that is not even a uuid simply names nothing. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
