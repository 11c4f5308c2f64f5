import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import { authenticateCredential } from '../domain/token/credentials';
import { sameSecret } from '../domain/token/secrets';
import { resolveSession } from '../domain/session/sessions';
import type { Caller } from './context';
import { forbidden, unauthenticated } from './errors';

/**
 * Works out the caller from the request: a bearer credential (the platform token or a channel's admin API
 * key), or else the session cookie. A credential that is present but wrong is refused outright rather
 * than treated as anonymous.
 */
export async function authenticateRequest(
  em: SqlEntityManager,
  config: Config,
  authorization: string | undefined,
  sessionCookie: string | undefined,
): Promise<Caller | null> {
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
    const bearer = match[1];
    if (config.platformToken && sameSecret(bearer, config.platformToken)) return { kind: 'PLATFORM' };
    const key = await authenticateCredential(em, 'admin_api_key', bearer);
    if (!key) throw unauthenticated('This API key is not valid, or has been revoked');
    return { kind: 'ADMIN_KEY', channelId: key.channelId, keyId: key.id, prefix: key.prefix };
  }
  if (sessionCookie) {
    const session = await resolveSession(em, sessionCookie);
    if (session) return { kind: 'SESSION', ...session };
  }
  return null;
}

export function requireCaller(caller: Caller | null): Caller {
  if (!caller) throw unauthenticated();
  return caller;
}

/**
 * The one policy of the admin API: the channel a caller may administer. Admin keys and ADMIN sessions
 * reach their own channel; the platform token reaches any channel by slug; members reach nothing.
 */
export function administeredChannelId(caller: Caller | null): string {
  const c = requireCaller(caller);
  if (c.kind === 'PLATFORM') {
    throw forbidden('The platform token acts on a channel through channel(slug: ...) or platform operations only');
  }
  if (c.kind === 'SESSION' && c.role !== 'ADMIN') throw forbidden('Only channel administrators may do this');
  return c.channelId;
}

export function requirePlatform(caller: Caller | null): void {
  if (requireCaller(caller).kind !== 'PLATFORM') throw forbidden('Only the platform operator may do this');
}
