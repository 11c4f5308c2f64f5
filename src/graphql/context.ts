import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Actor } from '../domain/context';
import type { Role } from '../domain/user/users';
import type { Loaders } from './loaders';

/** Who is calling the admin API. */
export type Caller =
  | { kind: 'PLATFORM' }
  | { kind: 'ADMIN_KEY'; channelId: string; keyId: string; prefix: string }
  | { kind: 'SESSION'; channelId: string; userId: string; email: string; role: Role };

export interface GraphQLContext {
  em: SqlEntityManager;
  log: Logger;
  config: Config;
  caller: Caller | null;
  loaders: Loaders;
}

export function actorOf(caller: Caller): Actor {
  switch (caller.kind) {
    case 'PLATFORM':
      return { type: 'platform', id: null, label: 'platform' };
    case 'ADMIN_KEY':
      return { type: 'admin_key', id: caller.keyId, label: caller.prefix };
    case 'SESSION':
      return { type: 'user', id: caller.userId, label: caller.email };
  }
}
