import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit';
import { platformActor, type Actor } from '../context';
import { badInput, conflict, isUniqueViolation, isUuid } from '../errors';
import { issueCredential } from '../token/credentials';

export interface ChannelRecord {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export async function getChannelBySlug(em: SqlEntityManager, slug: string): Promise<ChannelRecord | null> {
  if (typeof slug !== 'string' || !SLUG.test(slug)) return null;
  const [row] = await em.execute('select * from channel where slug = ?', [slug]);
  return row ? toChannel(row) : null;
}

export async function getChannel(em: SqlEntityManager, id: string): Promise<ChannelRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await em.execute('select * from channel where id = ?', [id]);
  return row ? toChannel(row) : null;
}

export async function countChannels(em: SqlEntityManager): Promise<number> {
  const [row] = await em.execute('select count(*)::int as n from channel');
  return row.n;
}

/** Creates a channel and its first admin API key (shown once). Call inside a transaction. */
export async function createChannel(
  em: SqlEntityManager,
  input: { slug: string; name: string },
  actor: Actor = platformActor,
): Promise<{ channel: ChannelRecord; adminApiKey: string }> {
  const slug = String(input.slug ?? '').trim();
  if (!SLUG.test(slug)) {
    throw badInput(
      'slug must be 1–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit',
    );
  }
  const name = String(input.name ?? '').trim();
  if (!name || name.length > 200) throw badInput('name must be 1–200 characters');
  let row: Record<string, any>;
  try {
    [row] = await em.execute('insert into channel (slug, name) values (?, ?) returning *', [slug, name]);
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A channel with slug "${slug}" already exists`);
    throw error;
  }
  const channel = toChannel(row);
  const ctx = { em, channelId: channel.id, actor };
  await recordAudit(em, {
    channelId: channel.id,
    actor,
    action: 'channel.created',
    targetType: 'channel',
    targetId: channel.id,
    summary: { slug, name },
  });
  const key = await issueCredential(ctx, 'admin_api_key', 'created with the channel');
  return { channel, adminApiKey: key.value };
}

function toChannel(row: Record<string, any>): ChannelRecord {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: new Date(row.created_at) };
}
