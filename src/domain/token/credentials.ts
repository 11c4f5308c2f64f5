import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit';
import type { DomainContext } from '../context';
import { notFound, isUuid } from '../errors';
import { issueSecret, matchesHash, prefixOf } from './secrets';
import { run } from '../../db/sql';

/**
 * SCIM tokens and admin API keys are the same kind of thing — a channel-scoped bearer credential, shown once,
 * stored hashed, revocable, several active at once — kept in two tables so that neither can stand in for the other.
 */
export type CredentialKind = 'scim_token' | 'admin_api_key';

const KINDS = {
  scim_token: { table: 'scim_token', secretKind: 'rsc', auditNoun: 'scimToken' },
  admin_api_key: { table: 'admin_api_key', secretKind: 'rak', auditNoun: 'adminApiKey' },
} as const;

export interface CredentialRecord {
  id: string;
  channelId: string;
  prefix: string;
  description: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface AuthenticatedCredential {
  id: string;
  channelId: string;
  prefix: string;
}

export async function issueCredential(
  ctx: DomainContext,
  kind: CredentialKind,
  description: string | null,
): Promise<{ value: string; record: CredentialRecord }> {
  const { table, secretKind, auditNoun } = KINDS[kind];
  const secret = issueSecret(secretKind);
  const [row] = await ctx.em.execute(
    `insert into ${table} (channel_id, prefix, secret_hash, description) values (?, ?, ?, ?) returning *`,
    [ctx.channelId, secret.prefix, secret.hash, description],
  );
  const record = toCredential(row);
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action: `${auditNoun}.issued`,
    targetType: auditNoun,
    targetId: record.id,
    summary: { prefix: record.prefix, description },
  });
  return { value: secret.value, record };
}

export async function revokeCredential(
  ctx: DomainContext,
  kind: CredentialKind,
  id: string,
): Promise<CredentialRecord> {
  const { table, auditNoun } = KINDS[kind];
  if (!isUuid(id)) throw notFound(`No such ${auditNoun} in this channel`);
  const [row] = await ctx.em.execute(
    `update ${table} set revoked_at = coalesce(revoked_at, now()) where id = ? and channel_id = ? returning *`,
    [id, ctx.channelId],
  );
  if (!row) throw notFound(`No such ${auditNoun} in this channel`);
  const record = toCredential(row);
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action: `${auditNoun}.revoked`,
    targetType: auditNoun,
    targetId: record.id,
    summary: { prefix: record.prefix },
  });
  return record;
}

export async function listCredentials(
  em: SqlEntityManager,
  kind: CredentialKind,
  channelId: string,
): Promise<CredentialRecord[]> {
  const rows = await em.execute(
    `select * from ${KINDS[kind].table} where channel_id = ? order by created_at desc, id`,
    [channelId],
  );
  return rows.map(toCredential);
}

// When this process last wrote `last_used_at` for a credential; bounds that write to once a minute.
const lastUseWritten = new Map<string, number>();
const LAST_USE_PRECISION_MS = 60_000;

/**
 * The credential a bearer value names, or null: unknown, revoked, or not matching its hash. One indexed
 * read per request, so revocation takes effect on the very next request, on every instance.
 */
export async function authenticateCredential(
  em: SqlEntityManager,
  kind: CredentialKind,
  bearer: string,
): Promise<AuthenticatedCredential | null> {
  const { table, secretKind } = KINDS[kind];
  const prefix = prefixOf(bearer, secretKind);
  if (!prefix) return null;
  const [row] = await run(
    em,
    `select id, channel_id, secret_hash from ${table} where prefix = ? and revoked_at is null`,
    [prefix],
  );
  if (!row || !matchesHash(bearer, row.secret_hash as Buffer)) return null;

  const now = Date.now();
  if (now - (lastUseWritten.get(row.id) ?? 0) > LAST_USE_PRECISION_MS) {
    lastUseWritten.set(row.id, now);
    if (lastUseWritten.size > 10_000) lastUseWritten.clear();
    await em.execute(`update ${table} set last_used_at = now() where id = ?`, [row.id]);
  }
  return { id: row.id, channelId: row.channel_id, prefix };
}

function toCredential(row: Record<string, any>): CredentialRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    prefix: row.prefix,
    description: row.description,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
  };
}
