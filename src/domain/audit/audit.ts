import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../context';

export interface AuditInput {
  channelId: string | null;
  actor: Actor;
  /** Dotted, past tense: `user.created`, `group.membersAdded`, `saml.signInRefused`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** A compact description of what changed; never a secret. */
  summary?: Record<string, unknown>;
}

/**
 * The head of an audit insert. Statements that make a change write its event in the same statement (a CTE,
 * one round trip): `${AUDIT_INSERT} select <channel_id>, ?, ?, ?, <action>, ...` with `actorParams(actor)`.
 */
export const AUDIT_INSERT =
  'insert into audit_event (channel_id, actor_type, actor_id, actor_label, action, target_type, target_id, summary)';

/** The actor's three values, in the order AUDIT_INSERT lists them. */
export function actorParams(actor: Actor): [string, string | null, string] {
  return [actor.type, actor.id, actor.label];
}

/** Records one audit event in whatever transaction `em` is in, so it stands or falls with the change. */
export async function recordAudit(em: SqlEntityManager, event: AuditInput): Promise<void> {
  await em.execute(`${AUDIT_INSERT} values (?, ?, ?, ?, ?, ?, ?, ?::jsonb)`, [
    event.channelId,
    ...actorParams(event.actor),
    event.action,
    event.targetType ?? null,
    event.targetId ?? null,
    JSON.stringify(event.summary ?? {}),
  ]);
}

export interface AuditEventRecord {
  id: string;
  channelId: string | null;
  at: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  summary: Record<string, unknown>;
}

export interface AuditQuery {
  channelId: string;
  action?: string | null;
  targetId?: string | null;
  /** Events with a smaller id than this (keyset paging, newest first). */
  beforeId?: string | null;
  limit: number;
}

/** The filter of an audit query, as SQL conditions; `user` matches every `user.*` action. */
function auditWhere(q: Omit<AuditQuery, 'beforeId' | 'limit'>): { where: string[]; params: unknown[] } {
  const where = ['channel_id = ?'];
  const params: unknown[] = [q.channelId];
  if (q.action) {
    where.push(q.action.includes('.') ? 'action = ?' : "action like ? || '.%'");
    params.push(q.action);
  }
  if (q.targetId) {
    where.push('target_id = ?');
    params.push(q.targetId);
  }
  return { where, params };
}

export async function listAuditEvents(em: SqlEntityManager, q: AuditQuery): Promise<AuditEventRecord[]> {
  const { where, params } = auditWhere(q);
  if (q.beforeId) {
    where.push('id < ?');
    params.push(q.beforeId);
  }
  params.push(q.limit);
  const rows = await em.execute(
    `select * from audit_event where ${where.join(' and ')} order by id desc limit ?`,
    params,
  );
  return rows.map(toAuditEvent);
}

export async function countAuditEvents(em: SqlEntityManager, q: Omit<AuditQuery, 'beforeId' | 'limit'>) {
  const { where, params } = auditWhere(q);
  const [row] = await em.execute(`select count(*)::int as n from audit_event where ${where.join(' and ')}`, params);
  return row.n as number;
}

function toAuditEvent(row: Record<string, any>): AuditEventRecord {
  return {
    id: String(row.id),
    channelId: row.channel_id,
    at: new Date(row.at),
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    summary: row.summary ?? {},
  };
}
