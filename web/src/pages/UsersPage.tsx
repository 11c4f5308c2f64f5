import { useEffect, useState } from 'react';
import { graphql } from '../api/client';
import { SET_USER_ACTIVE, SET_USER_ROLE, USERS, USER_DETAIL, type Role, type UserDetail } from '../api/operations';
import {
  Badge,
  ConfirmButton,
  ErrorNote,
  Link,
  Loading,
  Pager,
  Time,
  useMutation,
  usePager,
  useQuery,
} from '../components';
import { href, useQueryState } from '../router';

const USER_PAGE_SIZE = 25;

export function UsersPage({ userId }: { userId: string | null }) {
  useEffect(() => {
    document.title = 'Users · Roster admin console';
  }, []);
  return userId ? <UserDetailView userId={userId} /> : <UserList />;
}

type StatusFilter = 'all' | 'active' | 'inactive';

function UserList() {
  const [params, setParams] = useQueryState();
  const query = params.get('q') ?? '';
  const status = (params.get('status') ?? 'all') as StatusFilter;
  const [search, setSearch] = useState(query);
  // Typing updates the list after a short pause, not at every key.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (search.trim() !== query) setParams({ q: search.trim() || null });
    }, 300);
    return () => clearTimeout(timer);
  }, [search, query, setParams]);

  const pager = usePager(`${query}|${status}`);
  const users = useQuery(USERS, {
    first: USER_PAGE_SIZE,
    after: pager.after,
    query: query || null,
    active: status === 'all' ? null : status === 'active',
  });
  const list = users.data?.channel.users;

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <p className="lead">
        People in your channel, created by your identity provider over SCIM or at their first sign-in. An{' '}
        <strong>inactive user</strong> cannot sign in; their profile, groups and content remain.
      </p>
      <section className="card">
        <form className="filters" role="search" aria-label="Filter users" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="user-search">Search by name or email</label>
            <input id="user-search" type="search" value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
          </div>
          <div className="field">
            <label htmlFor="user-status">Status</label>
            <select
              id="user-status"
              value={status}
              onChange={(e) => setParams({ status: e.currentTarget.value === 'all' ? null : e.currentTarget.value })}
            >
              <option value="all">All users</option>
              <option value="active">Active</option>
              <option value="inactive">Inactive</option>
            </select>
          </div>
        </form>
        <ErrorNote error={users.error} title="Users could not be loaded:" />
        {users.loading && !list && <Loading />}
        {list && list.nodes.length === 0 && (
          <p className="empty">
            {query || status !== 'all'
              ? 'No user matches these filters.'
              : 'No users yet. Assign people to the app in your identity provider, and it creates them here.'}
          </p>
        )}
        {list && list.nodes.length > 0 && (
          <div className="table-wrap" aria-busy={users.loading}>
            <table>
              <thead>
                <tr>
                  <th scope="col">User</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="hide-narrow">
                    Role
                  </th>
                  <th scope="col" className="hide-narrow">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.nodes.map((user) => (
                  <tr key={user.id} className={user.active ? undefined : 'inactive-row'}>
                    <td>
                      <Link to={href(`/users/${user.id}`)}>{user.email}</Link>
                      {nameOf(user) && <span className="muted-text block">{nameOf(user)}</span>}
                      {/* On phones the Role column is hidden; the role shows here instead. */}
                      <span className="muted-text block show-narrow">{user.role === 'ADMIN' ? 'Admin' : 'Member'}</span>
                    </td>
                    <td>{user.active ? <Badge tone="ok">Active</Badge> : <Badge tone="bad">Inactive user</Badge>}</td>
                    <td className="hide-narrow">{user.role === 'ADMIN' ? 'Admin' : 'Member'}</td>
                    <td className="hide-narrow">
                      <Time value={user.createdAt} dateOnly />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list && (
          <Pager
            label="Users"
            pager={pager}
            pageInfo={list.pageInfo}
            pageSize={USER_PAGE_SIZE}
            shown={list.nodes.length}
            totalCount={list.totalCount}
          />
        )}
      </section>
    </section>
  );
}

function nameOf(user: { displayName: string | null; givenName: string | null; familyName: string | null }): string {
  return user.displayName || [user.givenName, user.familyName].filter(Boolean).join(' ');
}

function UserDetailView({ userId }: { userId: string }) {
  const detail = useQuery(USER_DETAIL, { id: userId });
  const [user, setUser] = useState<UserDetail | null>(null);
  useEffect(() => setUser(detail.data?.channel.user ?? null), [detail.data]);
  useEffect(() => {
    if (user) document.title = `${user.email} · Users · Roster admin console`;
  }, [user]);

  return (
    <section aria-labelledby="user-title">
      <p className="breadcrumb">
        <Link to={href('/users')}>← Users</Link>
      </p>
      {detail.loading && !detail.data && <Loading />}
      <ErrorNote error={detail.error} title="The user could not be loaded:" />
      {detail.data && !detail.data.channel.user && (
        <>
          <h1 id="user-title">User not found</h1>
          <p>No such user in your channel (a user removed through SCIM is no longer listed).</p>
        </>
      )}
      {user && (
        <>
          <div className="title-row">
            <h1 id="user-title" className="break">
              {user.email}
            </h1>
            {user.active ? <Badge tone="ok">Active</Badge> : <Badge tone="bad">Inactive user</Badge>}
          </div>
          <section className="card" aria-labelledby="profile-title">
            <h2 id="profile-title">Profile</h2>
            <dl className="facts">
              <dt>Name</dt>
              <dd>{nameOf(user) || '—'}</dd>
              <dt>Email (SCIM userName)</dt>
              <dd className="mono break">{user.email}</dd>
              <dt>External ID</dt>
              <dd className="mono break">{user.externalId ?? '—'}</dd>
              <dt>Created</dt>
              <dd>
                <Time value={user.createdAt} />
              </dd>
              <dt>Last changed</dt>
              <dd>
                <Time value={user.updatedAt} />
              </dd>
            </dl>
            <p>
              <Link to={href('/log', { target: user.id })}>See this user’s events in the provisioning log</Link>
            </p>
          </section>
          <StatusCard user={user} onChanged={setUser} />
          <RoleCard user={user} onChanged={setUser} />
          <section className="card" aria-labelledby="user-groups-title">
            <h2 id="user-groups-title">Groups</h2>
            {user.groups.length === 0 ? (
              <p className="empty">Not in any channel group.</p>
            ) : (
              <ul className="plain-list">
                {user.groups.map((group) => (
                  <li key={group.id}>
                    <Link to={href(`/groups/${group.id}`)}>{group.name}</Link>{' '}
                    {group.isSamlManaged && <Badge tone="info">SAML</Badge>}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="card" aria-labelledby="user-videos-title">
            <h2 id="user-videos-title">Videos</h2>
            {user.videos.length === 0 ? (
              <p className="empty">No videos.</p>
            ) : (
              <ul className="plain-list">
                {user.videos.map((video) => (
                  <li key={video.id}>
                    {video.title}{' '}
                    <span className="muted-text">
                      · <Time value={video.createdAt} dateOnly />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}

function StatusCard({ user, onChanged }: { user: UserDetail; onChanged(user: UserDetail): void }) {
  const reactivate = useMutation();
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">Status</h2>
      {user.active ? (
        <>
          <p>Active: can sign in with single sign-on.</p>
          <ConfirmButton
            label="Deactivate user"
            title={`Deactivate ${user.email}?`}
            confirmLabel="Deactivate"
            message={
              <p>
                The user can no longer sign in, and their open sessions end at once. Their profile, groups and content
                (videos, comments) remain. If your identity provider manages this user, it may reactivate them at its
                next push: deactivate them there instead.
              </p>
            }
            onConfirm={async () => {
              const result = await graphql(SET_USER_ACTIVE, { id: user.id, active: false });
              onChanged(result.setUserActive);
            }}
          />
        </>
      ) : (
        <>
          <p>Inactive user: sign-in is refused. Profile, groups and content are kept.</p>
          <ErrorNote error={reactivate.error} title="Not reactivated:" />
          <button
            type="button"
            className="button button-primary"
            disabled={reactivate.busy}
            onClick={async () => {
              const result = await reactivate.run(() => graphql(SET_USER_ACTIVE, { id: user.id, active: true }));
              if (result) onChanged(result.setUserActive);
            }}
          >
            {reactivate.busy ? 'Reactivating…' : 'Reactivate user'}
          </button>
        </>
      )}
    </section>
  );
}

function RoleCard({ user, onChanged }: { user: UserDetail; onChanged(user: UserDetail): void }) {
  const [role, setRole] = useState<Role>(user.role);
  const save = useMutation();
  const [saved, setSaved] = useState(false);
  useEffect(() => setRole(user.role), [user.role]);
  return (
    <section className="card" aria-labelledby="role-title">
      <h2 id="role-title">Role</h2>
      <form
        className="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setSaved(false);
          const result = await save.run(() => graphql(SET_USER_ROLE, { id: user.id, role }));
          if (result) {
            onChanged(result.setUserRole);
            setSaved(true);
          }
        }}
      >
        <div className="field">
          <label htmlFor="user-role">Role in this channel</label>
          <p className="hint" id="user-role-hint">
            Admins may use this console after signing in with single sign-on.
          </p>
          <select
            id="user-role"
            value={role}
            aria-describedby="user-role-hint"
            onChange={(e) => setRole(e.currentTarget.value as Role)}
          >
            <option value="MEMBER">Member</option>
            <option value="ADMIN">Admin</option>
          </select>
        </div>
        <button type="submit" className="button" disabled={save.busy || role === user.role}>
          {save.busy ? 'Saving…' : 'Save role'}
        </button>
      </form>
      <ErrorNote error={save.error} title="Not saved:" />
      {saved && (
        <p className="note note-ok" role="status">
          Role saved.
        </p>
      )}
    </section>
  );
}
