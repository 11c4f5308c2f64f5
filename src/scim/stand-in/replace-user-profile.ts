import type { DomainContext } from '../../domain/context';
import { badInput, conflict, isUniqueViolation, isUuid, notFound, preconditionFailed } from '../../domain/errors';
import { toUser, type UserProfile, type UserRecord } from '../../domain/user/users';

/**
 * STAND-IN, to be deleted: `replaceUserProfile` of domain/user binds its parameters out of order (the
 * If-Match version before the new column values), so every profile change fails with a database error. Until
 * the foundation fixes `changeUser` there, SCIM PUT/PATCH write through this copy of it with the parameters in
 * statement order. Same checks, same single statement (row lock, version check, update, audit, end of sessions).
 */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

function text(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw badInput(`${field} must be a string`, { field });
  if (value.length > 1024) throw badInput(`${field} is longer than 1024 characters`, { field });
  return value;
}

export async function replaceUserProfile(
  ctx: DomainContext,
  id: string,
  profile: UserProfile,
  options: { ifVersion?: number } = {},
): Promise<UserRecord> {
  if (!isUuid(id)) throw notFound('No such user in this channel');
  const email = text(profile.email, 'email')?.trim();
  if (!email || !EMAIL.test(email)) {
    throw badInput('userName (the email address) must be an email address such as ada@example.com', { field: 'email' });
  }
  const scim = JSON.stringify(profile.scim ?? {});
  if (scim.length > 256 * 1024) throw badInput('The user resource is too large');
  const columns: [string, unknown][] = [
    ['email', email],
    ['email_type', text(profile.emailType, 'emails.type')],
    ['given_name', text(profile.givenName, 'name.givenName')],
    ['family_name', text(profile.familyName, 'name.familyName')],
    ['display_name', text(profile.displayName, 'displayName')],
    ['external_id', text(profile.externalId, 'externalId')],
    ['active', profile.active ?? true],
    ['scim', scim],
  ];
  const cast = (name: string) => (name === 'scim' ? '?::jsonb' : '?');
  const assignments = columns.map(([name]) => `${name} = ${cast(name)}`).join(', ');
  const differs = columns.map(([name]) => `u.${name} is distinct from ${cast(name)}`).join(' or ');
  const values = columns.map(([, value]) => value);
  const version = options.ifVersion ?? null;

  let row: Record<string, any> | undefined;
  try {
    [row] = await ctx.em.execute(
      `with old as (
         select * from app_user where id = ? and channel_id = ? and removed_at is null for update
       ), new as (
         update app_user u set ${assignments}, version = u.version + 1, updated_at = now()
         from old
         where u.id = old.id and (?::int is null or old.version = ?::int) and (${differs})
         returning u.*
       ), diff as (
         select coalesce(jsonb_object_agg(n.key, jsonb_build_array(o.value, n.value))
                  filter (where n.value is distinct from o.value), '{}'::jsonb) as changed,
                coalesce((select jsonb_agg(k) from old, new,
                  jsonb_object_keys(old.scim || new.scim) k where old.scim -> k is distinct from new.scim -> k),
                  '[]'::jsonb) as scim_changed
         from new, old,
           jsonb_each(to_jsonb(new.*) - 'version' - 'updated_at' - 'scim' - 'saml_groups') n
           join jsonb_each(to_jsonb(old.*)) o on o.key = n.key
       ), ended as (
         delete from session s using new where s.user_id = new.id and s.channel_id = new.channel_id and not new.active
       ), audit as (
         insert into audit_event (channel_id, actor_type, actor_id, actor_label, action, target_type, target_id, summary)
         select new.channel_id, ?, ?, ?,
           case when old.active and not new.active then 'user.deactivated'
                when not old.active and new.active then 'user.reactivated'
                else 'user.updated' end,
           'user', new.id::text,
           jsonb_build_object('email', new.email, 'changed', diff.changed)
             || case when diff.scim_changed <> '[]'::jsonb then jsonb_build_object('scimChanged', diff.scim_changed)
                     else '{}'::jsonb end
         from new, old, diff
       )
       select coalesce(to_jsonb(new.*), to_jsonb(old.*)) as row,
              (?::int is null or old.version = ?::int) as version_ok
       from old left join new on true`,
      [
        id,
        ctx.channelId,
        ...values,
        version,
        version,
        ...values,
        ctx.actor.type,
        ctx.actor.id,
        ctx.actor.label,
        version,
        version,
      ],
    );
  } catch (error) {
    if (isUniqueViolation(error, 'app_user_email_unique')) {
      throw conflict(`A user with userName "${email}" already exists in this channel`, { scimType: 'uniqueness' });
    }
    throw error;
  }
  if (!row) throw notFound('No such user in this channel');
  if (!row.version_ok) throw preconditionFailed('The user was changed since the version given (If-Match)');
  return toUser(row.row);
}
