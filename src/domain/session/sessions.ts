import crypto from 'node:crypto';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { Role } from '../user/users';

/** Lifetimes and the key under which session ids are hashed; from configuration. */
export interface SessionPolicy {
  secret: string;
  idleSeconds: number;
  absoluteSeconds: number;
}

let policy: SessionPolicy = { secret: '', idleSeconds: 8 * 3600, absoluteSeconds: 7 * 86400 };

/** Set once at start-up (the policy is configuration, the same for every request). */
export function configureSessions(next: SessionPolicy): void {
  policy = next;
}

export interface ResolvedSession {
  channelId: string;
  userId: string;
  email: string;
  role: Role;
}

function hashSessionId(cookieValue: string): Buffer {
  return crypto.createHmac('sha256', policy.secret).update(cookieValue).digest();
}

/** A new session with a fresh random id (never reused across sign-ins). */
export async function createSession(
  em: SqlEntityManager,
  channelId: string,
  userId: string,
): Promise<{ cookieValue: string; expiresAt: Date }> {
  const cookieValue = crypto.randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + policy.absoluteSeconds * 1000);
  await em.execute('insert into session (id_hash, channel_id, user_id, expires_at) values (?, ?, ?, ?)', [
    hashSessionId(cookieValue),
    channelId,
    userId,
    expiresAt,
  ]);
  return { cookieValue, expiresAt };
}

/**
 * The signed-in user behind a session cookie, or null. The user's state is read on every request, so a
 * deactivation or removal takes effect at once even if a session row survived somehow.
 */
export async function resolveSession(em: SqlEntityManager, cookieValue: string): Promise<ResolvedSession | null> {
  if (typeof cookieValue !== 'string' || cookieValue.length < 20 || cookieValue.length > 100) return null;
  const [row] = await em.execute(
    `update session s set last_seen_at = now()
     from app_user u
     where s.id_hash = ? and u.id = s.user_id and u.channel_id = s.channel_id
       and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ?)
       and u.active and u.removed_at is null
     returning s.channel_id, s.user_id, u.email, u.role`,
    [hashSessionId(cookieValue), policy.idleSeconds],
  );
  return row ? { channelId: row.channel_id, userId: row.user_id, email: row.email, role: row.role } : null;
}

export async function endSession(em: SqlEntityManager, cookieValue: string): Promise<void> {
  await em.execute('delete from session where id_hash = ?', [hashSessionId(cookieValue)]);
}

/** The cookie that carries a session id (HttpOnly, SameSite=Lax, Secure under https). */
export const SESSION_COOKIE = 'roster_session';
