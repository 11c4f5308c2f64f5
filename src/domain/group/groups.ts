import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { recordAudit } from '../audit/audit';
import type { DomainContext } from '../context';
import { badInput, conflict, DomainError, isUniqueViolation, isUuid, notFound } from '../errors';
import { toUser, type UserRecord } from '../user/users';
import { pgArray } from '../../db/sql';

/**
 * A channel group. Unmatched, its members are kept in Roster (`channel_group_member`). Matched to a SAML
 * group name, its members are whoever the identity provider puts in the group of that name — by SCIM
 * pushes (directory group memberships) or by the groups claim of the user's latest SAML assertion — and it
 * is read-only here. Membership of a matched group is computed, never copied, so matching, renames and
 * pushes show at once.
 */
export interface GroupRecord {
  id: string;
  channelId: string;
  name: string;
  samlGroupName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const NAME_UNIQUE = 'channel_group_name_unique';

function groupName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name || name.length > 200) throw badInput('name must be 1–200 characters');
  return name;
}

function samlName(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const name = typeof value === 'string' ? value.trim() : '';
  if (!name || name.length > 512) throw badInput('samlGroupName must be 1–512 characters, or null to unmatch');
  return name;
}

export async function createGroup(
  ctx: DomainContext,
  input: { name: string; samlGroupName?: string | null },
): Promise<GroupRecord> {
  const name = groupName(input.name);
  const saml = samlName(input.samlGroupName);
  let row: Record<string, any>;
  try {
    [row] = await ctx.em.execute(
      'insert into channel_group (channel_id, name, saml_group_name) values (?, ?, ?) returning *',
      [ctx.channelId, name, saml],
    );
  } catch (error) {
    if (isUniqueViolation(error, NAME_UNIQUE)) throw conflict(`A group named "${name}" already exists`);
    throw error;
  }
  const group = toGroup(row);
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action: 'group.created',
    targetType: 'group',
    targetId: group.id,
    summary: { name, samlGroupName: saml },
  });
  return group;
}

/**
 * Renames and (un)matches. Matching makes the IdP the source of the members (the ones kept in Roster are
 * dropped); unmatching copies the current IdP-given members into ordinary memberships, so nothing is lost.
 * `samlGroupName: undefined` leaves the match alone, `null` unmatches.
 */
export async function updateGroup(
  ctx: DomainContext,
  id: string,
  input: { name?: string | null; samlGroupName?: string | null },
): Promise<GroupRecord> {
  const before = await lockGroup(ctx, id);
  const name = input.name === undefined || input.name === null ? before.name : groupName(input.name);
  const saml = input.samlGroupName === undefined ? before.samlGroupName : samlName(input.samlGroupName);

  if (before.samlGroupName !== null && saml === null) {
    await keepMatchedMembers(ctx, before.id);
  } else if (before.samlGroupName === null && saml !== null) {
    await ctx.em.execute('delete from channel_group_member where channel_id = ? and group_id = ?', [
      ctx.channelId,
      before.id,
    ]);
  }

  let row: Record<string, any>;
  try {
    [row] = await ctx.em.execute(
      `update channel_group set name = ?, saml_group_name = ?, updated_at = now()
       where id = ? and channel_id = ? returning *`,
      [name, saml, before.id, ctx.channelId],
    );
  } catch (error) {
    if (isUniqueViolation(error, NAME_UNIQUE)) throw conflict(`A group named "${name}" already exists`);
    throw error;
  }
  const group = toGroup(row);
  const action = before.samlGroupName === saml ? 'group.updated' : saml === null ? 'group.unmatched' : 'group.matched';
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action,
    targetType: 'group',
    targetId: group.id,
    summary: {
      ...(before.name !== name ? { name: [before.name, name] } : {}),
      ...(before.samlGroupName !== saml ? { samlGroupName: [before.samlGroupName, saml] } : {}),
    },
  });
  return group;
}

export async function deleteGroup(ctx: DomainContext, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound('No such group in this channel');
  const [row] = await ctx.em.execute(
    'delete from channel_group where id = ? and channel_id = ? returning id, name, saml_group_name',
    [id, ctx.channelId],
  );
  if (!row) throw notFound('No such group in this channel');
  await recordAudit(ctx.em, {
    channelId: ctx.channelId,
    actor: ctx.actor,
    action: 'group.deleted',
    targetType: 'group',
    targetId: id,
    summary: { name: row.name, samlGroupName: row.saml_group_name },
  });
}

/** Adds members to an unmatched group. Every id must be a user of this channel, or nothing changes. */
export async function addGroupMembers(ctx: DomainContext, groupId: string, userIds: string[]): Promise<GroupRecord> {
  return changeMembers(ctx, groupId, userIds, 'add');
}

export async function removeGroupMembers(ctx: DomainContext, groupId: string, userIds: string[]): Promise<GroupRecord> {
  return changeMembers(ctx, groupId, userIds, 'remove');
}

const MAX_MEMBER_CHANGE = 10_000;

async function changeMembers(
  ctx: DomainContext,
  groupId: string,
  userIds: string[],
  change: 'add' | 'remove',
): Promise<GroupRecord> {
  const group = await lockGroup(ctx, groupId);
  if (group.samlGroupName !== null) {
    throw new DomainError(
      'SAML_MANAGED_GROUP',
      `Group "${group.name}" is matched to the SAML group "${group.samlGroupName}": its members come from your ` +
        'identity provider. Change them there, or unmatch the group first.',
    );
  }
  const ids = [...new Set(userIds)];
  if (ids.length > MAX_MEMBER_CHANGE) throw badInput(`At most ${MAX_MEMBER_CHANGE} users per request`);
  const invalid = ids.filter((id) => !isUuid(id));
  if (invalid.length > 0) throw notFound(`No such user in this channel: ${invalid.slice(0, 5).join(', ')}`);
  if (ids.length === 0) return group;

  const found = await ctx.em.execute(
    'select id from app_user where channel_id = ? and id = any(?::uuid[]) and removed_at is null',
    [ctx.channelId, pgArray(ids)],
  );
  if (found.length !== ids.length) {
    const known = new Set(found.map((r) => r.id as string));
    const missing = ids.filter((id) => !known.has(id));
    throw notFound(`No such user in this channel: ${missing.slice(0, 5).join(', ')}`);
  }
  const changed =
    change === 'add'
      ? await ctx.em.execute(
          `insert into channel_group_member (channel_id, group_id, user_id)
           select ?, ?, unnest(?::uuid[]) on conflict do nothing returning user_id`,
          [ctx.channelId, group.id, pgArray(ids)],
        )
      : await ctx.em.execute(
          `delete from channel_group_member where channel_id = ? and group_id = ? and user_id = any(?::uuid[])
           returning user_id`,
          [ctx.channelId, group.id, pgArray(ids)],
        );
  if (changed.length > 0) {
    await recordAudit(ctx.em, {
      channelId: ctx.channelId,
      actor: ctx.actor,
      action: change === 'add' ? 'group.membersAdded' : 'group.membersRemoved',
      targetType: 'group',
      targetId: group.id,
      summary: { count: changed.length, userIds: changed.slice(0, 100).map((r) => r.user_id) },
    });
  }
  return group;
}

async function lockGroup(ctx: DomainContext, id: string): Promise<GroupRecord> {
  if (!isUuid(id)) throw notFound('No such group in this channel');
  const [row] = await ctx.em.execute('select * from channel_group where id = ? and channel_id = ? for update', [
    id,
    ctx.channelId,
  ]);
  if (!row) throw notFound('No such group in this channel');
  return toGroup(row);
}

/**
 * The member ids of channel group `g` (a correlated subquery): stored rows for an unmatched group; for a
 * matched one, the users that SCIM pushes put in the directory group of that name, and those whose latest
 * SAML assertion claimed it. Removed users are filtered by the callers, which join `app_user`.
 */
const MEMBER_IDS_OF_G = `
  select m.user_id from channel_group_member m
  where g.saml_group_name is null and m.channel_id = g.channel_id and m.group_id = g.id
  union all
  select m.user_id from directory_group d
  join directory_group_member m on m.channel_id = d.channel_id and m.directory_group_id = d.id
  where g.saml_group_name is not null and d.channel_id = g.channel_id
    and lower(d.display_name) = lower(g.saml_group_name)
  union all
  select x.id from app_user x
  where g.saml_group_name is not null and x.channel_id = g.channel_id
    and x.saml_groups @> array[lower(g.saml_group_name)]`;

/**
 * The same rule seen from the user's side: user `u` is a member of channel group `g`. (A page of users asks which
 * of a channel's few groups each is in; a group's member list needs the set above, which its indexes serve.)
 */
const USER_U_IN_GROUP_G = `(
  case when g.saml_group_name is null
    then exists (select 1 from channel_group_member m
                 where m.channel_id = g.channel_id and m.group_id = g.id and m.user_id = u.id)
    else u.saml_groups @> array[lower(g.saml_group_name)]
      or exists (select 1 from directory_group_member m
                 join directory_group d on d.channel_id = m.channel_id and d.id = m.directory_group_id
                 where m.channel_id = g.channel_id and m.user_id = u.id
                   and lower(d.display_name) = lower(g.saml_group_name))
  end)`;

/** Copies a matched group's current members into stored memberships (before it is unmatched). */
async function keepMatchedMembers(ctx: DomainContext, groupId: string): Promise<void> {
  await ctx.em.execute(
    `insert into channel_group_member (channel_id, group_id, user_id)
     select distinct g.channel_id, g.id, u.id
     from channel_group g
     join app_user u on u.channel_id = g.channel_id and u.removed_at is null and u.id in (${MEMBER_IDS_OF_G})
     where g.id = ? and g.channel_id = ?
     on conflict do nothing`,
    [groupId, ctx.channelId],
  );
}

/** A page of each group's members (ordered by creation), for many groups in one query. */
export async function membersPages(
  em: SqlEntityManager,
  channelId: string,
  groupIds: readonly string[],
  page: { after?: { createdAt: Date; id: string } | null; limit: number },
): Promise<Map<string, UserRecord[]>> {
  const params: unknown[] = [];
  let after = '';
  if (page.after) {
    after = 'and (u.created_at, u.id) > (?, ?)';
    params.push(page.after.createdAt, page.after.id);
  }
  params.push(page.limit, channelId, pgArray(groupIds.filter(isUuid)));
  const rows = await em.execute(
    `select g.id as member_of, u.*
     from channel_group g
     cross join lateral (
       select u.* from app_user u
       where u.channel_id = g.channel_id and u.removed_at is null and u.id in (${MEMBER_IDS_OF_G}) ${after}
       order by u.created_at, u.id limit ?
     ) u
     where g.channel_id = ? and g.id = any(?::uuid[])`,
    params,
  );
  const byGroup = new Map<string, UserRecord[]>();
  for (const row of rows) byGroup.set(row.member_of, [...(byGroup.get(row.member_of) ?? []), toUser(row)]);
  return byGroup;
}

/** How many live members each group has, for many groups in one query. */
export async function memberCounts(
  em: SqlEntityManager,
  channelId: string,
  groupIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await em.execute(
    `select g.id, (select count(*)::int from app_user u
                   where u.channel_id = g.channel_id and u.removed_at is null and u.id in (${MEMBER_IDS_OF_G})) as n
     from channel_group g where g.channel_id = ? and g.id = any(?::uuid[])`,
    [channelId, pgArray(groupIds.filter(isUuid))],
  );
  return new Map(rows.map((row) => [row.id as string, row.n as number]));
}

export async function getGroup(em: SqlEntityManager, channelId: string, id: string): Promise<GroupRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await em.execute('select * from channel_group where id = ? and channel_id = ?', [id, channelId]);
  return row ? toGroup(row) : null;
}

export async function listGroups(
  em: SqlEntityManager,
  channelId: string,
  page: { after?: { createdAt: Date; id: string } | null; limit: number },
): Promise<GroupRecord[]> {
  const params: unknown[] = [channelId];
  let after = '';
  if (page.after) {
    after = 'and (created_at, id) > (?, ?)';
    params.push(page.after.createdAt, page.after.id);
  }
  params.push(page.limit);
  const rows = await em.execute(
    `select * from channel_group where channel_id = ? ${after} order by created_at, id limit ?`,
    params,
  );
  return rows.map(toGroup);
}

export async function countGroups(em: SqlEntityManager, channelId: string): Promise<number> {
  const [row] = await em.execute('select count(*)::int as n from channel_group where channel_id = ?', [channelId]);
  return row.n;
}

/** The channel groups each user is in (stored or computed), for many users in one query. */
export async function groupsOfUsers(
  em: SqlEntityManager,
  channelId: string,
  userIds: readonly string[],
): Promise<Map<string, GroupRecord[]>> {
  const rows = await em.execute(
    `select u.id as member_id, g.*
     from app_user u join channel_group g on g.channel_id = u.channel_id
     where u.channel_id = ? and u.id = any(?::uuid[]) and u.removed_at is null and ${USER_U_IN_GROUP_G}
     order by g.name, g.id`,
    [channelId, pgArray(userIds.filter(isUuid))],
  );
  const byUser = new Map<string, GroupRecord[]>();
  for (const row of rows) byUser.set(row.member_id, [...(byUser.get(row.member_id) ?? []), toGroup(row)]);
  return byUser;
}

export function toGroup(row: Record<string, any>): GroupRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    name: row.name,
    samlGroupName: row.saml_group_name,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function findGroupByName(
  em: SqlEntityManager,
  channelId: string,
  name: string,
): Promise<GroupRecord | null> {
  const [row] = await em.execute('select * from channel_group where channel_id = ? and lower(name) = lower(?)', [
    channelId,
    name.trim(),
  ]);
  return row ? toGroup(row) : null;
}

export interface GroupMatch {
  groupName: string;
  samlGroupName: string | null;
}

/**
 * Matches channel groups to SAML group names in bulk, creating groups that do not exist yet. All or
 * nothing: call inside a transaction. Returns what happened to each row.
 */
export async function matchGroups(
  ctx: DomainContext,
  matches: GroupMatch[],
): Promise<{ groupName: string; samlGroupName: string | null; outcome: 'created' | 'matched' | 'unchanged' }[]> {
  const results = [];
  for (const match of matches) {
    const existing = await findGroupByName(ctx.em, ctx.channelId, groupName(match.groupName));
    if (!existing) {
      await createGroup(ctx, { name: match.groupName, samlGroupName: match.samlGroupName });
      results.push({ ...match, outcome: 'created' as const });
    } else if ((existing.samlGroupName ?? null) === (samlName(match.samlGroupName) ?? null)) {
      results.push({ ...match, outcome: 'unchanged' as const });
    } else {
      await updateGroup(ctx, existing.id, { samlGroupName: match.samlGroupName });
      results.push({ ...match, outcome: 'matched' as const });
    }
  }
  return results;
}
