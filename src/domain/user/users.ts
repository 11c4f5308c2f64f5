import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { actorParams, AUDIT_INSERT } from '../audit/audit';
import type { DomainContext } from '../context';
import { badInput, conflict, isUniqueViolation, isUuid, notFound, preconditionFailed } from '../errors';
import { pgArray, run } from '../../db/sql';

export type Role = 'ADMIN' | 'MEMBER';

/** The profile an identity provider (or an admin) sets. userName and the primary email are both `email`. */
export interface UserProfile {
  email: string;
  emailType?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  displayName?: string | null;
  externalId?: string | null;
  active?: boolean;
  /** Every other SCIM attribute (title, locale, phoneNumbers, addresses, the enterprise extension ...), as sent. */
  scim?: Record<string, unknown>;
}

export interface UserRecord {
  id: string;
  channelId: string;
  email: string;
  emailType: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  externalId: string | null;
  active: boolean;
  role: Role;
  scim: Record<string, unknown>;
  /** Group names (lower case) from the user's latest SAML assertion. */
  samlGroups: string[];
  removedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const MAX_TEXT = 1024;
const MAX_SCIM_JSON = 256 * 1024;

function text(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badInput(`${field} must be a string`, { field });
  if (value.length > MAX_TEXT) throw badInput(`${field} is longer than ${MAX_TEXT} characters`, { field });
  return value;
}

/** Checks and normalizes a profile; every interface's input passes through here. */
function columnsOf(profile: UserProfile): Record<string, unknown> {
  const email = text(profile.email, 'email')?.trim();
  if (!email || !EMAIL.test(email)) {
    throw badInput('userName (the email address) must be an email address such as ada@example.com', {
      field: 'email',
    });
  }
  if (profile.active !== undefined && typeof profile.active !== 'boolean') {
    throw badInput('active must be a boolean', { field: 'active' });
  }
  const scim = profile.scim ?? {};
  if (typeof scim !== 'object' || Array.isArray(scim)) throw badInput('scim attributes must be an object');
  const scimJson = JSON.stringify(scim);
  if (scimJson.length > MAX_SCIM_JSON) throw badInput('The user resource is too large');
  return {
    email,
    email_type: text(profile.emailType, 'emails.type'),
    given_name: text(profile.givenName, 'name.givenName'),
    family_name: text(profile.familyName, 'name.familyName'),
    display_name: text(profile.displayName, 'displayName'),
    external_id: text(profile.externalId, 'externalId'),
    active: profile.active ?? true,
    scim: scimJson,
  };
}

const USER_EMAIL_UNIQUE = 'app_user_email_unique';

function emailTaken(email: unknown) {
  return conflict(`A user with userName "${String(email)}" already exists in this channel`, {
    scimType: 'uniqueness',
  });
}

/** Creates a user; the row and its audit event are written by one statement. */
export async function createUser(ctx: DomainContext, profile: UserProfile & { role?: Role }): Promise<UserRecord> {
  const c = columnsOf(profile);
  const role = profile.role ?? 'MEMBER';
  if (role !== 'ADMIN' && role !== 'MEMBER') throw badInput('role must be ADMIN or MEMBER');
  try {
    const [row] = await run(
      ctx.em,
      `with created as (
         insert into app_user (channel_id, email, email_type, given_name, family_name, display_name, external_id,
           active, role, scim)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
         returning *
       ), audit as (
         ${AUDIT_INSERT}
         select channel_id, ?, ?, ?, 'user.created', 'user', id::text,
           jsonb_build_object('email', email, 'active', active, 'externalId', external_id)
         from created
       )
       select * from created`,
      [
        ctx.channelId,
        c.email,
        c.email_type,
        c.given_name,
        c.family_name,
        c.display_name,
        c.external_id,
        c.active,
        role,
        c.scim,
        ...actorParams(ctx.actor),
      ],
    );
    return toUser(row);
  } catch (error) {
    if (isUniqueViolation(error, USER_EMAIL_UNIQUE)) throw emailTaken(c.email);
    throw error;
  }
}

/** Replaces the whole profile (SCIM PUT, and PATCH after applying its operations). */
export async function replaceUserProfile(
  ctx: DomainContext,
  id: string,
  profile: UserProfile,
  options: { ifVersion?: number } = {},
): Promise<UserRecord> {
  return changeUser(ctx, id, columnsOf(profile), options.ifVersion);
}

/**
 * Deactivation keeps the profile, memberships and content, and ends every session at once. The identity
 * provider's most frequent write, so it is one lean statement: the flip (skipped when already so), the end of
 * the sessions, the audit event; or, when nothing changes, the row as it is.
 */
export async function setUserActive(ctx: DomainContext, id: string, active: boolean): Promise<UserRecord> {
  if (typeof active !== 'boolean') throw badInput('active must be a boolean');
  if (!isUuid(id)) throw notFound('No such user in this channel');
  const [row] = await run(
    ctx.em,
    `with changed as (
       update app_user set active = ?, version = version + 1, updated_at = now()
       where id = ? and channel_id = ? and removed_at is null and active <> ?
       returning *
     ), ended as (
       delete from session s using changed
       where s.channel_id = changed.channel_id and s.user_id = changed.id and not changed.active
     ), audit as (
       ${AUDIT_INSERT}
       select channel_id, ?, ?, ?, case when active then 'user.reactivated' else 'user.deactivated' end, 'user',
         id::text, jsonb_build_object('email', email, 'changed', jsonb_build_object('active', jsonb_build_array(not active, active)))
       from changed
     )
     select * from changed
     union all
     select * from app_user
     where id = ? and channel_id = ? and removed_at is null and not exists (select 1 from changed)`,
    [active, id, ctx.channelId, active, ...actorParams(ctx.actor), id, ctx.channelId],
  );
  if (!row) throw notFound('No such user in this channel');
  return toUser(row);
}

export async function setUserRole(ctx: DomainContext, id: string, role: Role): Promise<UserRecord> {
  if (role !== 'ADMIN' && role !== 'MEMBER') throw badInput('role must be ADMIN or MEMBER');
  return changeUser(ctx, id, { role });
}

const CHANGEABLE = new Set([
  'email',
  'email_type',
  'given_name',
  'family_name',
  'display_name',
  'external_id',
  'active',
  'role',
  'scim',
]);

/**
 * Applies column changes to a live user in one statement: the row lock, the optimistic version check, the
 * update (skipped when nothing differs), the audit event with a compact diff, and the end of the user's
 * sessions when the user is now inactive.
 */
async function changeUser(
  ctx: DomainContext,
  id: string,
  columns: Record<string, unknown>,
  ifVersion?: number,
): Promise<UserRecord> {
  if (!isUuid(id)) throw notFound('No such user in this channel');
  const names = Object.keys(columns).filter((name) => CHANGEABLE.has(name));
  const cast = (name: string) => (name === 'scim' ? '?::jsonb' : '?');
  const assignments = names.map((name) => `${name} = ${cast(name)}`).join(', ');
  const differs = names.map((name) => `u.${name} is distinct from ${cast(name)}`).join(' or ');
  const values = names.map((name) => columns[name]);
  const version = ifVersion ?? null;
  // The audit diff, column by column for just the columns set (names come from CHANGEABLE, never from input):
  // [before, after] for each that changed; for the SCIM attributes, the names of the keys that changed.
  const pairs = names
    .filter((name) => name !== 'scim')
    .map((n) => `'${n}', case when old.${n} is distinct from new.${n} then jsonb_build_array(old.${n}, new.${n}) end`);
  const changed = pairs.length > 0 ? `jsonb_strip_nulls(jsonb_build_object(${pairs.join(', ')}))` : `'{}'::jsonb`;
  const scimChanged = names.includes('scim')
    ? `case when old.scim is distinct from new.scim then jsonb_build_object('scimChanged',
         (select jsonb_agg(k) from jsonb_object_keys(old.scim || new.scim) k where old.scim -> k is distinct from new.scim -> k))
       else '{}'::jsonb end`
    : `'{}'::jsonb`;

  let row: Record<string, any> | undefined;
  try {
    [row] = await run(
      ctx.em,
      `with old as (
         select * from app_user where id = ? and channel_id = ? and removed_at is null for update
       ), new as (
         update app_user u set ${assignments}, version = u.version + 1, updated_at = now()
         from old
         where u.id = old.id and (?::int is null or old.version = ?::int) and (${differs})
         returning u.*
       ), ended as (
         delete from session s using new where s.user_id = new.id and s.channel_id = new.channel_id and not new.active
       ), audit as (
         ${AUDIT_INSERT}
         select new.channel_id, ?, ?, ?,
           case when old.active and not new.active then 'user.deactivated'
                when not old.active and new.active then 'user.reactivated'
                else 'user.updated' end,
           'user', new.id::text,
           jsonb_build_object('email', new.email, 'changed', ${changed}) || ${scimChanged}
         from new, old
       )
       select coalesce(to_jsonb(new.*), to_jsonb(old.*)) as row,
              (?::int is null or old.version = ?::int) as version_ok
       from old left join new on true`,
      [id, ctx.channelId, ...values, version, version, ...values, ...actorParams(ctx.actor), version, version],
    );
  } catch (error) {
    if (isUniqueViolation(error, USER_EMAIL_UNIQUE)) throw emailTaken(columns.email);
    throw error;
  }
  if (!row) throw notFound('No such user in this channel');
  if (!row.version_ok) throw preconditionFailed('The user was changed since the version given (If-Match)');
  return toUser(row.row);
}

/**
 * SCIM DELETE: the user leaves provisioning. Sign-in is refused, the user leaves every group, and the
 * userName is free again; the row stays (inactive, removed) so that content remains attributed to it.
 */
export async function removeUser(ctx: DomainContext, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound('No such user in this channel');
  const [row] = await run(
    ctx.em,
    `with removed as (
       update app_user set removed_at = now(), active = false, version = version + 1, updated_at = now()
       where id = ? and channel_id = ? and removed_at is null
       returning *
     ), directory as (
       delete from directory_group_member m using removed where m.channel_id = removed.channel_id and m.user_id = removed.id
     ), channel_groups as (
       delete from channel_group_member m using removed where m.channel_id = removed.channel_id and m.user_id = removed.id
     ), sessions as (
       delete from session s using removed where s.channel_id = removed.channel_id and s.user_id = removed.id
     ), audit as (
       ${AUDIT_INSERT}
       select channel_id, ?, ?, ?, 'user.removed', 'user', id::text, jsonb_build_object('email', email) from removed
     )
     select id from removed`,
    [id, ctx.channelId, ...actorParams(ctx.actor)],
  );
  if (!row) throw notFound('No such user in this channel');
}

/** Permanent deletion (platform support only): the user, sessions, memberships and content go. */
export async function purgeUser(ctx: DomainContext, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound('No such user in this channel');
  const [row] = await run(
    ctx.em,
    `with purged as (
       delete from app_user where id = ? and channel_id = ? returning id, channel_id, email
     ), audit as (
       ${AUDIT_INSERT}
       select channel_id, ?, ?, ?, 'user.purged', 'user', id::text, jsonb_build_object('email', email) from purged
     )
     select id from purged`,
    [id, ctx.channelId, ...actorParams(ctx.actor)],
  );
  if (!row) throw notFound('No such user in this channel');
}

/** The channel a user belongs to, removed users included (platform support works across channels). */
export async function channelOfUser(em: SqlEntityManager, id: string): Promise<string | null> {
  if (!isUuid(id)) return null;
  const [row] = await em.execute('select channel_id from app_user where id = ?', [id]);
  return row?.channel_id ?? null;
}

/** A live (not removed) user of the channel, or null. */
export async function getUser(em: SqlEntityManager, channelId: string, id: string): Promise<UserRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await em.execute('select * from app_user where id = ? and channel_id = ? and removed_at is null', [
    id,
    channelId,
  ]);
  return row ? toUser(row) : null;
}

/** Users by id, removed ones included (content stays attributed to them); for batching loaders. */
export async function getUsersByIds(
  em: SqlEntityManager,
  channelId: string,
  ids: readonly string[],
): Promise<UserRecord[]> {
  const valid = ids.filter(isUuid);
  if (valid.length === 0) return [];
  const rows = await em.execute('select * from app_user where channel_id = ? and id = any(?::uuid[])', [
    channelId,
    pgArray(valid),
  ]);
  return rows.map(toUser);
}

export async function findUserByEmail(
  em: SqlEntityManager,
  channelId: string,
  email: string,
): Promise<UserRecord | null> {
  const [row] = await em.execute(
    'select * from app_user where channel_id = ? and lower(email) = lower(?) and removed_at is null',
    [channelId, email],
  );
  return row ? toUser(row) : null;
}

/** Replaces the group names from the user's latest SAML assertion; they feed matched channel groups. */
export async function setSamlGroupClaims(ctx: DomainContext, userId: string, names: string[]): Promise<void> {
  const normalized = [...new Set(names.map((n) => n.trim().toLowerCase()).filter(Boolean))].slice(0, 1000);
  await run(
    ctx.em,
    'update app_user set saml_groups = ?::text[] where id = ? and channel_id = ? and saml_groups <> ?::text[]',
    [pgArray(normalized), userId, ctx.channelId, pgArray(normalized)],
  );
}

export interface UserListQuery {
  channelId: string;
  /** Matches email, given, family or display name (case-insensitive substring). */
  search?: string | null;
  active?: boolean | null;
  after?: { createdAt: Date; id: string } | null;
  limit: number;
}

function userListWhere(q: Omit<UserListQuery, 'after' | 'limit'>): { where: string[]; params: unknown[] } {
  const where = ['channel_id = ?', 'removed_at is null'];
  const params: unknown[] = [q.channelId];
  if (q.active !== undefined && q.active !== null) {
    where.push('active = ?');
    params.push(q.active);
  }
  if (q.search) {
    const like = `%${q.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(
      "(email ilike ? or coalesce(given_name, '') ilike ? or coalesce(family_name, '') ilike ? or coalesce(display_name, '') ilike ?)",
    );
    params.push(like, like, like, like);
  }
  return { where, params };
}

export async function listUsers(em: SqlEntityManager, q: UserListQuery): Promise<UserRecord[]> {
  const { where, params } = userListWhere(q);
  if (q.after) {
    where.push('(created_at, id) > (?, ?)');
    params.push(q.after.createdAt, q.after.id);
  }
  params.push(q.limit);
  const rows = await em.execute(
    `select * from app_user where ${where.join(' and ')} order by created_at, id limit ?`,
    params,
  );
  return rows.map(toUser);
}

export async function countUsers(em: SqlEntityManager, q: Omit<UserListQuery, 'after' | 'limit'>): Promise<number> {
  const { where, params } = userListWhere(q);
  const [row] = await em.execute(`select count(*)::int as n from app_user where ${where.join(' and ')}`, params);
  return row.n;
}

export function toUser(row: Record<string, any>): UserRecord {
  return {
    id: row.id,
    channelId: row.channel_id,
    email: row.email,
    emailType: row.email_type,
    givenName: row.given_name,
    familyName: row.family_name,
    displayName: row.display_name,
    externalId: row.external_id,
    active: row.active,
    role: row.role,
    scim: row.scim ?? {},
    samlGroups: row.saml_groups ?? [],
    removedAt: row.removed_at ? new Date(row.removed_at) : null,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
