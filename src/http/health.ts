import Router from '@koa/router';
import type { MikroORM } from '@mikro-orm/postgresql';

/** Liveness says the process answers; readiness also asks the database, and says no while shutting down. */
export function healthRouter(orm: MikroORM, isShuttingDown: () => boolean): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (isShuttingDown()) {
      ctx.status = 503;
      ctx.body = { status: 'shutting down' };
      return;
    }
    try {
      await orm.em.fork().execute('select 1');
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'database unavailable' };
    }
  });
  return router;
}
