import Router from '@koa/router';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { authenticateScimToken } from '../src/domain/token/scim-tokens';

export const FLOOR_PATH = '/bench/floor';

/**
 * The floor: the least a SCIM request can cost on this server — the shared middleware, the SCIM token check and
 * one trivial query on the same pool. Each phase's throughput is reported as a fraction of it, so that results
 * compare across machines.
 */
export function floorRouter(): Router {
  const router = new Router();
  router.get(FLOOR_PATH, async (ctx) => {
    const em = ctx.state.em as SqlEntityManager;
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    const caller = bearer ? await authenticateScimToken(em, bearer) : null;
    if (!caller) {
      ctx.status = 401;
      return;
    }
    const [row] = await em.execute('select 1 as one');
    ctx.type = 'application/scim+json';
    ctx.body = { one: row.one, channelId: caller.channelId };
  });
  return router;
}
