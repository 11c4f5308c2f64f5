import type { SqlEntityManager } from '@mikro-orm/postgresql';

export type ActorType = 'scim_token' | 'admin_key' | 'user' | 'platform' | 'system';

/** Who is making a change: recorded with every audit event. */
export interface Actor {
  type: ActorType;
  id: string | null;
  /** Human-readable: a token's prefix, a user's email. */
  label: string;
}

/** Everything a domain operation needs: the transaction, the tenant, and who acts. Passed, never shared. */
export interface DomainContext {
  em: SqlEntityManager;
  channelId: string;
  actor: Actor;
}

export const systemActor: Actor = { type: 'system', id: null, label: 'system' };
export const platformActor: Actor = { type: 'platform', id: null, label: 'platform' };

/** Runs `fn` in one transaction (or in the caller's, when there is one already). */
export async function inTransaction<T>(ctx: DomainContext, fn: (ctx: DomainContext) => Promise<T>): Promise<T> {
  if (ctx.em.isInTransaction()) return fn(ctx);
  return ctx.em.transactional((em) => fn({ ...ctx, em: em as SqlEntityManager }));
}
