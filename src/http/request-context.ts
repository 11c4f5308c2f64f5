import crypto from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { MikroORM } from '@mikro-orm/postgresql';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request its id (an incoming `X-Request-Id` is kept when sane), a logger that carries it,
 * its own EntityManager, and one access-log line when it ends. Unexpected errors become a 500 that names
 * the request id and reveals nothing else.
 */
export function requestContext(orm: MikroORM, logger: Logger): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = logger.child({ reqId: requestId });
    ctx.state.requestId = requestId;
    ctx.state.log = log;
    ctx.state.em = orm.em.fork();
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    log.debug({ method: ctx.method, path: ctx.path }, 'request received');
    try {
      await next();
    } catch (error) {
      const status = (error as { status?: number; expose?: boolean }).status;
      if (status && status < 500 && (error as { expose?: boolean }).expose) {
        ctx.status = status;
        ctx.body = { error: (error as Error).message };
      } else {
        log.error({ err: error }, 'unhandled error');
        ctx.status = 500;
        ctx.body = { error: 'Internal error', requestId };
      }
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}
