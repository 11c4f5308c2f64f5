import { Migration } from '@mikro-orm/migrations';

/**
 * The whole initial schema. Every table carries `channel_id` and every unique key includes it, so the
 * schema can be distributed by channel (Citus) without redesign; `channel` itself is the reference table.
 * Creation times are kept to the millisecond, the precision of the keyset cursors that page by them.
 * References between tenant rows carry `channel_id` too: a cascade (purge, a group's deletion) then finds
 * the referencing rows through the indexes, which all lead with `channel_id`, instead of scanning a table.
 */
export class Migration20261204000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table channel (
        id uuid primary key default gen_random_uuid(),
        slug text not null,
        name text not null,
        created_at timestamptz(3) not null default now(),
        constraint channel_slug_unique unique (slug)
      );

      create table app_user (
        id uuid primary key default gen_random_uuid(),
        channel_id uuid not null references channel (id) on delete cascade,
        email text not null,
        email_type text,
        given_name text,
        family_name text,
        display_name text,
        external_id text,
        active boolean not null default true,
        role text not null default 'MEMBER' check (role in ('ADMIN', 'MEMBER')),
        scim jsonb not null default '{}'::jsonb,
        saml_groups text[] not null default '{}',
        removed_at timestamptz,
        version integer not null default 1,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        constraint app_user_channel_id unique (channel_id, id)
      );
      create unique index app_user_email_unique on app_user (channel_id, lower(email)) where removed_at is null;
      create index app_user_channel_created on app_user (channel_id, created_at, id) where removed_at is null;
      create index app_user_saml_groups on app_user using gin (saml_groups);

      create table directory_group (
        id uuid primary key default gen_random_uuid(),
        channel_id uuid not null references channel (id) on delete cascade,
        display_name text not null,
        external_id text,
        scim jsonb not null default '{}'::jsonb,
        version integer not null default 1,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        constraint directory_group_channel_id unique (channel_id, id)
      );
      create unique index directory_group_name_unique on directory_group (channel_id, lower(display_name));
      create index directory_group_channel_created on directory_group (channel_id, created_at, id);

      create table directory_group_member (
        channel_id uuid not null,
        directory_group_id uuid not null,
        user_id uuid not null,
        created_at timestamptz(3) not null default now(),
        primary key (channel_id, directory_group_id, user_id),
        foreign key (channel_id, directory_group_id) references directory_group (channel_id, id) on delete cascade,
        foreign key (channel_id, user_id) references app_user (channel_id, id) on delete cascade
      );
      create index directory_group_member_user on directory_group_member (channel_id, user_id);

      create table channel_group (
        id uuid primary key default gen_random_uuid(),
        channel_id uuid not null references channel (id) on delete cascade,
        name text not null,
        saml_group_name text,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        constraint channel_group_channel_id unique (channel_id, id)
      );
      create unique index channel_group_name_unique on channel_group (channel_id, lower(name));
      create index channel_group_saml_name on channel_group (channel_id, lower(saml_group_name));

      create table channel_group_member (
        channel_id uuid not null,
        group_id uuid not null,
        user_id uuid not null,
        created_at timestamptz(3) not null default now(),
        primary key (channel_id, group_id, user_id),
        foreign key (channel_id, group_id) references channel_group (channel_id, id) on delete cascade,
        foreign key (channel_id, user_id) references app_user (channel_id, id) on delete cascade
      );
      create index channel_group_member_user on channel_group_member (channel_id, user_id);

      create table scim_token (
        id uuid primary key default gen_random_uuid(),
        channel_id uuid not null references channel (id) on delete cascade,
        prefix text not null,
        secret_hash bytea not null,
        description text,
        created_at timestamptz(3) not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      create unique index scim_token_prefix on scim_token (prefix);

      create table admin_api_key (
        id uuid primary key default gen_random_uuid(),
        channel_id uuid not null references channel (id) on delete cascade,
        prefix text not null,
        secret_hash bytea not null,
        description text,
        created_at timestamptz(3) not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      create unique index admin_api_key_prefix on admin_api_key (prefix);

      create table saml_config (
        channel_id uuid primary key references channel (id) on delete cascade,
        idp_entity_id text not null,
        sso_url text not null,
        certificates text[] not null,
        groups_attribute text not null default 'groups',
        allow_idp_initiated boolean not null default false,
        jit_provisioning boolean not null default false,
        allow_sha1 boolean not null default false,
        updated_at timestamptz(3) not null default now()
      );

      create table saml_request (
        channel_id uuid not null references channel (id) on delete cascade,
        id text not null,
        return_to text,
        expires_at timestamptz not null,
        primary key (channel_id, id)
      );

      create table saml_replay (
        channel_id uuid not null references channel (id) on delete cascade,
        issuer text not null,
        assertion_id text not null,
        expires_at timestamptz not null,
        primary key (channel_id, issuer, assertion_id)
      );

      create table session (
        id_hash bytea primary key,
        channel_id uuid not null references channel (id) on delete cascade,
        user_id uuid not null,
        created_at timestamptz(3) not null default now(),
        last_seen_at timestamptz not null default now(),
        expires_at timestamptz not null,
        foreign key (channel_id, user_id) references app_user (channel_id, id) on delete cascade
      );
      create index session_by_user on session (channel_id, user_id);

      create table video (
        id uuid primary key default gen_random_uuid(),
        channel_id uuid not null references channel (id) on delete cascade,
        owner_id uuid not null,
        title text not null,
        created_at timestamptz(3) not null default now(),
        constraint video_channel_id unique (channel_id, id),
        foreign key (channel_id, owner_id) references app_user (channel_id, id) on delete cascade
      );
      create index video_owner on video (channel_id, owner_id);
      create index video_channel_created on video (channel_id, created_at, id);

      create table comment (
        id uuid primary key default gen_random_uuid(),
        channel_id uuid not null references channel (id) on delete cascade,
        video_id uuid not null,
        author_id uuid not null,
        body text not null,
        created_at timestamptz(3) not null default now(),
        foreign key (channel_id, video_id) references video (channel_id, id) on delete cascade,
        foreign key (channel_id, author_id) references app_user (channel_id, id) on delete cascade
      );
      create index comment_video on comment (channel_id, video_id, created_at);
      create index comment_author on comment (channel_id, author_id);

      create table audit_event (
        id bigint generated always as identity primary key,
        channel_id uuid references channel (id) on delete cascade,
        at timestamptz not null default now(),
        actor_type text not null,
        actor_id text,
        actor_label text,
        action text not null,
        target_type text,
        target_id text,
        summary jsonb not null default '{}'::jsonb
      );
      create index audit_event_channel on audit_event (channel_id, id desc);
      create index audit_event_target on audit_event (channel_id, target_id, id desc);
    `);
  }
}
