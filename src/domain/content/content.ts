import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit';
import type { DomainContext } from '../context';
import { badInput, isUuid, notFound } from '../errors';
import { pgArray } from '../../db/sql';

/** Minimal content, enough to make the retention rules real: it outlives deactivation and SCIM deletion. */
export interface VideoRecord {
  id: string;
  channelId: string;
  ownerId: string;
  title: string;
  createdAt: Date;
}

export interface CommentRecord {
  id: string;
  channelId: string;
  videoId: string;
  authorId: string;
  body: string;
  createdAt: Date;
}

type Page = { after?: { createdAt: Date; id: string } | null; limit: number };

async function requireUser(ctx: DomainContext, userId: string, role: string): Promise<void> {
  const [row] = isUuid(userId)
    ? await ctx.em.execute('select active from app_user where id = ? and channel_id = ? and removed_at is null', [
        userId,
        ctx.channelId,
      ])
    : [];
  if (!row) throw notFound(`No such user in this channel (${role})`);
}

export async function createVideo(ctx: DomainContext, input: { title: string; ownerId: string }) {
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title || title.length > 500) throw badInput('title must be 1–500 characters');
  await requireUser(ctx, input.ownerId, 'ownerId');
  const [row] = await ctx.em.execute('insert into video (channel_id, owner_id, title) values (?, ?, ?) returning *', [
    ctx.channelId,
    input.ownerId,
    title,
  ]);
  const video = toVideo(row);
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action: 'video.created',
    targetType: 'video',
    targetId: video.id,
    summary: { title, ownerId: video.ownerId },
  });
  return video;
}

export async function addComment(ctx: DomainContext, input: { videoId: string; authorId: string; body: string }) {
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  if (!body || body.length > 10_000) throw badInput('body must be 1–10000 characters');
  if (!(await getVideo(ctx.em, ctx.channelId, input.videoId))) throw notFound('No such video in this channel');
  await requireUser(ctx, input.authorId, 'authorId');
  const [row] = await ctx.em.execute(
    'insert into comment (channel_id, video_id, author_id, body) values (?, ?, ?, ?) returning *',
    [ctx.channelId, input.videoId, input.authorId, body],
  );
  const comment = toComment(row);
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action: 'comment.created',
    targetType: 'comment',
    targetId: comment.id,
    summary: { videoId: comment.videoId, authorId: comment.authorId },
  });
  return comment;
}

export async function getVideo(em: SqlEntityManager, channelId: string, id: string): Promise<VideoRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await em.execute('select * from video where id = ? and channel_id = ?', [id, channelId]);
  return row ? toVideo(row) : null;
}

export async function getVideosByIds(em: SqlEntityManager, channelId: string, ids: readonly string[]) {
  const rows = await em.execute('select * from video where channel_id = ? and id = any(?::uuid[])', [
    channelId,
    pgArray(ids.filter(isUuid)),
  ]);
  return rows.map(toVideo);
}

/** Videos of the channel, or of one owner; keyset paging by creation. */
export async function listVideos(
  em: SqlEntityManager,
  channelId: string,
  filter: { ownerId?: string },
  page: Page,
): Promise<VideoRecord[]> {
  const where = ['channel_id = ?'];
  const params: unknown[] = [channelId];
  if (filter.ownerId) {
    where.push('owner_id = ?');
    params.push(filter.ownerId);
  }
  if (page.after) {
    where.push('(created_at, id) > (?, ?)');
    params.push(page.after.createdAt, page.after.id);
  }
  params.push(page.limit);
  const rows = await em.execute(
    `select * from video where ${where.join(' and ')} order by created_at, id limit ?`,
    params,
  );
  return rows.map(toVideo);
}

export async function countVideos(em: SqlEntityManager, channelId: string, filter: { ownerId?: string }) {
  const [row] = filter.ownerId
    ? await em.execute('select count(*)::int as n from video where channel_id = ? and owner_id = ?', [
        channelId,
        filter.ownerId,
      ])
    : await em.execute('select count(*)::int as n from video where channel_id = ?', [channelId]);
  return row.n as number;
}

/** Comments by video or by author, for many keys in one query (batching loaders). */
export async function commentsBy(
  em: SqlEntityManager,
  channelId: string,
  key: 'video_id' | 'author_id',
  ids: readonly string[],
): Promise<Map<string, CommentRecord[]>> {
  const rows = await em.execute(
    `select * from comment where channel_id = ? and ${key} = any(?::uuid[]) order by created_at, id`,
    [channelId, pgArray(ids.filter(isUuid))],
  );
  const byKey = new Map<string, CommentRecord[]>();
  for (const row of rows) {
    const comment = toComment(row);
    const k = key === 'video_id' ? comment.videoId : comment.authorId;
    byKey.set(k, [...(byKey.get(k) ?? []), comment]);
  }
  return byKey;
}

function toVideo(row: Record<string, any>): VideoRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    ownerId: row.owner_id,
    title: row.title,
    createdAt: new Date(row.created_at),
  };
}

function toComment(row: Record<string, any>): CommentRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    videoId: row.video_id,
    authorId: row.author_id,
    body: row.body,
    createdAt: new Date(row.created_at),
  };
}

/** Every video of each owner, for many owners in one query (batching loaders). */
export async function videosOfOwners(
  em: SqlEntityManager,
  channelId: string,
  ownerIds: readonly string[],
): Promise<Map<string, VideoRecord[]>> {
  const rows = await em.execute(
    'select * from video where channel_id = ? and owner_id = any(?::uuid[]) order by created_at, id',
    [channelId, pgArray(ownerIds.filter(isUuid))],
  );
  const byOwner = new Map<string, VideoRecord[]>();
  for (const row of rows) {
    const video = toVideo(row);
    byOwner.set(video.ownerId, [...(byOwner.get(video.ownerId) ?? []), video]);
  }
  return byOwner;
}
