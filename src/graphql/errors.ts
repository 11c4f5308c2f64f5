import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors';

export function graphQLError(code: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

export const unauthenticated = (message = 'Sign in, or send an admin API key as "Authorization: Bearer <key>"') =>
  graphQLError('UNAUTHENTICATED', message, { http: { status: 401 } });
export const forbidden = (message: string) => graphQLError('FORBIDDEN', message);
export const badUserInput = (message: string) => graphQLError('BAD_USER_INPUT', message);

const PASS_THROUGH = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'SAML_NOT_CONFIGURED',
  'SAML_MANAGED_GROUP',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Domain errors keep their code and message; GraphQL's own input errors become BAD_USER_INPUT where they
 * are about values; anything else is an internal error whose details go to the log, not to the caller.
 */
export function formatErrorFor(log: () => Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      const code = original.code === 'PRECONDITION_FAILED' ? 'CONFLICT' : original.code;
      return { ...formatted, message: original.message, extensions: { code } };
    }
    const code = formatted.extensions?.code as string | undefined;
    if (code && PASS_THROUGH.has(code)) {
      const { stacktrace: _ignored, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (code === 'BAD_USER_INPUT' || /Variable "\$|Expected type|got invalid value/.test(formatted.message)) {
      return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
    }
    log().error({ err: original }, 'graphql internal error');
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
