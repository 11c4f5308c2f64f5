import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { SESSION_COOKIE } from '../domain/session/sessions';
import { authenticateRequest } from './auth';
import type { GraphQLContext } from './context';
import { formatErrorFor } from './errors';
import { Loaders } from './loaders';
import { adminSchema } from './schema';

const MAX_BODY = '1mb';

/**
 * `POST /graphql`, through a small Koa bridge of our own over `executeHTTPGraphQLRequest` (the published
 * Koa integration is ESM-only). Apollo's CSRF prevention stays on: a cookie-authenticated request must be
 * non-simple (`content-type: application/json`, or an `apollo-require-preflight` header), which browsers
 * will not send cross-site without a CORS preflight that Roster never grants.
 */
export async function graphqlRouter(
  config: Config,
  logger: Logger,
): Promise<{ router: Router; stop(): Promise<void> }> {
  const server = new ApolloServer<GraphQLContext>({
    schema: adminSchema(),
    csrfPrevention: true,
    // Shutdown is ours (main.ts drains HTTP first, then stops Apollo and the database).
    stopOnTerminationSignals: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatErrorFor(() => logger),
  });
  await server.start();

  const router = new Router();
  const parseBody = bodyParser({
    enableTypes: ['json'],
    jsonLimit: MAX_BODY,
    onError: (error, ctx) => {
      const status = (error as { status?: number }).status === 413 ? 413 : 400;
      ctx.throw(status, status === 413 ? 'The request body is too large' : 'The request body is not valid JSON');
    },
  });

  const handle = async (ctx: Context) => {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(ctx.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const request: HTTPGraphQLRequest = {
      method: ctx.method.toUpperCase(),
      headers,
      search: ctx.querystring ? `?${ctx.querystring}` : '',
      body: (ctx.request as { body?: unknown }).body,
    };
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: async () => ({
        em: ctx.state.em,
        log: ctx.state.log,
        config,
        caller: await authenticateRequest(
          ctx.state.em,
          config,
          ctx.get('authorization') || undefined,
          ctx.cookies.get(SESSION_COOKIE),
        ),
        loaders: new Loaders(ctx.state.em),
      }),
    });
    for (const [name, value] of response.headers) ctx.set(name, value);
    ctx.status = response.status ?? 200;
    if (response.body.kind === 'complete') {
      ctx.body = response.body.string;
    } else {
      let text = '';
      for await (const chunk of response.body.asyncIterator) text += chunk;
      ctx.body = text;
    }
  };

  router.post('/graphql', parseBody, handle);
  router.get('/graphql', handle);
  return { router, stop: () => server.stop() };
}
