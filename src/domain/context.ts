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
