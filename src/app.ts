import Koa from 'koa';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import { requestContext } from './http/request-context';
import { healthRouter } from './http/health';
import { graphqlRouter } from './graphql/server';
import { scimRouter } from './scim/router';
import { samlRouter } from './saml/router';
import { consoleRouter } from './http/console';

export interface AppDeps {
  config: Config;
  orm: MikroORM;
  logger: Logger;
}

export interface App {
  koa: Koa;
  /** Marks the app as draining: /readyz answers 503 so load balancers stop sending work. */
  beginShutdown(): void;
  stop(): Promise<void>;
}

/** The Koa app: shared middleware, then the three interfaces (GraphQL, SCIM, SAML), the console and health checks. */
export async function createApp(deps: AppDeps): Promise<App> {
  let shuttingDown = false;
  const koa = new Koa({ proxy: true });
  koa.use(requestContext(deps.orm, deps.logger));

  const health = healthRouter(deps.orm, () => shuttingDown);
  const graphql = await graphqlRouter(deps.config, deps.logger);
  const scim = scimRouter(deps);
  const saml = samlRouter(deps);
  for (const router of [health, graphql.router, scim, saml, consoleRouter()]) {
    koa.use(router.routes());
    koa.use(router.allowedMethods());
  }
  return {
    koa,
    beginShutdown: () => {
      shuttingDown = true;
    },
    stop: () => graphql.stop(),
  };
}
