import DataLoader from 'dataloader';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { getUsersByIds, type UserRecord } from '../domain/user/users';
import { groupsOfUsers, memberCounts, membersPages, type GroupRecord } from '../domain/group/groups';
import {
  commentsBy,
  getVideosByIds,
  videosOfOwners,
  type CommentRecord,
  type VideoRecord,
} from '../domain/content/content';

/**
 * Per-request batching: every list field below costs one query for the whole list, not one per row.
 * Loaders are per channel, so a platform caller reading two channels in one request never mixes them.
 */
export class Loaders {
  private readonly byChannel = new Map<string, ChannelLoaders>();

  constructor(private readonly em: SqlEntityManager) {}

  private readonly memberPages = new Map<string, DataLoader<string, UserRecord[]>>();

  /** One page of members for each of many groups, batched per page shape (`first`/`after`). */
  membersPage(channelId: string, page: { after: { createdAt: Date; id: string } | null; limit: number }) {
    const key = `${channelId}|${page.limit}|${page.after?.createdAt.toISOString() ?? ''}|${page.after?.id ?? ''}`;
    let loader = this.memberPages.get(key);
    if (!loader) {
      loader = new DataLoader(async (groupIds) =>
        byKey(groupIds, await membersPages(this.em, channelId, groupIds, page), []),
      );
      this.memberPages.set(key, loader);
    }
    return loader;
  }

  of(channelId: string): ChannelLoaders {
    let loaders = this.byChannel.get(channelId);
    if (!loaders) {
      loaders = channelLoaders(this.em, channelId);
      this.byChannel.set(channelId, loaders);
    }
    return loaders;
  }
}

export type ChannelLoaders = ReturnType<typeof channelLoaders>;

function byKey<T>(keys: readonly string[], found: Map<string, T>, fallback: T): T[] {
  return keys.map((key) => found.get(key) ?? fallback);
}

function channelLoaders(em: SqlEntityManager, channelId: string) {
  return {
    user: new DataLoader<string, UserRecord | null>(async (ids) => {
      const users = await getUsersByIds(em, channelId, ids);
      return byKey(ids, new Map(users.map((u) => [u.id, u])), null);
    }),
    video: new DataLoader<string, VideoRecord | null>(async (ids) => {
      const videos = await getVideosByIds(em, channelId, ids);
      return byKey(ids, new Map(videos.map((v) => [v.id, v])), null);
    }),
    groupsOfUser: new DataLoader<string, GroupRecord[]>(async (ids) =>
      byKey(ids, await groupsOfUsers(em, channelId, ids), []),
    ),
    videosOfUser: new DataLoader<string, VideoRecord[]>(async (ids) =>
      byKey(ids, await videosOfOwners(em, channelId, ids), []),
    ),
    commentsOfUser: new DataLoader<string, CommentRecord[]>(async (ids) =>
      byKey(ids, await commentsBy(em, channelId, 'author_id', ids), []),
    ),
    commentsOfVideo: new DataLoader<string, CommentRecord[]>(async (ids) =>
      byKey(ids, await commentsBy(em, channelId, 'video_id', ids), []),
    ),
    memberCount: new DataLoader<string, number>(async (ids) => byKey(ids, await memberCounts(em, channelId, ids), 0)),
  };
}
