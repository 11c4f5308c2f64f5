import { useEffect, useState } from 'react';
import { AUDIT_EVENTS, AUDIT_NAMES, USERS, USER_DETAIL, type AuditEvent } from '../api/operations';
import { Badge, ErrorNote, Link, Loading, Pager, Time, usePager, useQuery } from '../components';
import { href, useQueryState } from '../router';

const EVENT_PAGE_SIZE = 50;

/** The actions an administrator filters by; a family (`user`) takes in all of its actions. */
const ACTION_FILTERS: { label: string; options: { value: string; label: string }[] }[] = [
  {
    label: 'Users',
    options: [
      { value: 'user', label: 'All user events' },
      { value: 'user.created', label: 'User created' },
      { value: 'user.updated', label: 'User updated' },
      { value: 'user.deactivated', label: 'User deactivated' },
      { value: 'user.reactivated', label: 'User reactivated' },
      { value: 'user.removed', label: 'User removed (SCIM DELETE)' },
      { value: 'user.purged', label: 'User permanently deleted' },
    ],
  },
  {
    label: 'SAML groups (pushed)',
    options: [
      { value: 'directoryGroup', label: 'All SAML group events' },
      { value: 'directoryGroup.created', label: 'SAML group pushed' },
      { value: 'directoryGroup.updated', label: 'SAML group updated' },
      { value: 'directoryGroup.membersChanged', label: 'SAML group members changed' },
      { value: 'directoryGroup.deleted', label: 'SAML group deleted' },
    ],
  },
  {
    label: 'Channel groups',
    options: [
      { value: 'group', label: 'All channel group events' },
      { value: 'group.created', label: 'Group created' },
      { value: 'group.matched', label: 'Group matched' },
      { value: 'group.unmatched', label: 'Group unmatched' },
      { value: 'group.updated', label: 'Group renamed' },
      { value: 'group.membersAdded', label: 'Members added' },
      { value: 'group.membersRemoved', label: 'Members removed' },
      { value: 'group.deleted', label: 'Group deleted' },
    ],
  },
  {
    label: 'Sign-in and credentials',
    options: [
      { value: 'saml', label: 'All SAML events' },
      { value: 'saml.signIn', label: 'Signed in' },
      { value: 'saml.signInRefused', label: 'Sign-in refused' },
      { value: 'saml.configured', label: 'SAML configured' },
      { value: 'scimToken', label: 'SCIM token issued or revoked' },
      { value: 'adminApiKey', label: 'Admin API key created or revoked' },
    ],
  },
];

const ACTION_LABELS = new Map([
  ...ACTION_FILTERS.flatMap((g) => g.options.map((o) => [o.value, o.label] as const)),
  ['scimToken.issued', 'SCIM token issued'],
  ['scimToken.revoked', 'SCIM token revoked'],
  ['adminApiKey.issued', 'Admin API key created'],
  ['adminApiKey.revoked', 'Admin API key revoked'],
  ['channel.created', 'Channel created'],
  ['video.created', 'Video created'],
  ['comment.created', 'Comment added'],
]);

/** Summary keys that hold user ids, shown as the users' emails. */
const USER_ID_KEYS = new Set(['userIds', 'members', 'membersAdded', 'membersRemoved', 'added', 'removed']);

export function ProvisioningLogPage() {
  useEffect(() => {
    document.title = 'Provisioning log · Roster admin console';
  }, []);
  const [params, setParams] = useQueryState();
  const action = params.get('action') ?? '';
  const target = params.get('target') ?? '';
  const pager = usePager(`${action}|${target}`);
  const events = useQuery(AUDIT_EVENTS, {
    first: EVENT_PAGE_SIZE,
    after: pager.after,
    action: action || null,
    targetId: target || null,
  });
  const list = events.data?.channel.auditEvents;
  const names = useNames(list?.nodes ?? []);

  return (
    <section aria-labelledby="log-title">
      <h1 id="log-title">Provisioning log</h1>
      <p className="lead">
        Every change made by your identity provider (SCIM), by sign-ins and by administrators, newest first. When Okta
        reports a provisioning error, look here for what Roster received and did.
      </p>
      <section className="card">
        <form
          className="filters"
          role="search"
          aria-label="Filter the provisioning log"
          onSubmit={(e) => e.preventDefault()}
        >
          <div className="field">
            <label htmlFor="log-action">Action</label>
            <select
              id="log-action"
              value={action}
              onChange={(e) => setParams({ action: e.currentTarget.value || null })}
            >
              <option value="">All actions</option>
              {ACTION_FILTERS.map((group) => (
                <optgroup key={group.label} label={group.label}>
                  {group.options.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <TargetUserFilter target={target} onChange={(id) => setParams({ target: id })} />
        </form>
        <ErrorNote error={events.error} title="The log could not be loaded:" />
        {events.loading && !list && <Loading />}
        {list && list.nodes.length === 0 && <p className="empty">No events match these filters.</p>}
        {list && list.nodes.length > 0 && (
          <div className="table-wrap" aria-busy={events.loading}>
            <table className="log-table stack-on-phone">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Actor</th>
                  <th scope="col">What changed</th>
                </tr>
              </thead>
              <tbody>
                {list.nodes.map((event) => (
                  <EventRow
                    key={event.id}
                    event={event}
                    names={names}
                    onFilterTarget={(id) => setParams({ target: id })}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list && (
          <Pager
            label="Events"
            pager={pager}
            pageInfo={list.pageInfo}
            pageSize={EVENT_PAGE_SIZE}
            shown={list.nodes.length}
            totalCount={list.totalCount}
          />
        )}
      </section>
    </section>
  );
}

/** The user filter: search by email or name, pick one; an id from a link is shown as the user's email. */
function TargetUserFilter({ target, onChange }: { target: string; onChange(id: string | null): void }) {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const candidates = useQuery(USERS, { first: 6, query: debounced || null, active: null }, { skip: !debounced });
  const chosen = useQuery(USER_DETAIL, { id: target }, { skip: !target });
  const chosenEmail = target ? chosen.data?.channel.user?.email : undefined;

  if (target) {
    return (
      <div className="field">
        <span className="label" id="log-target-label">
          User
        </span>
        <div className="chip-row" aria-labelledby="log-target-label">
          <span className="chip mono">{chosenEmail ?? (chosen.loading ? '…' : target)}</span>
          <button type="button" className="button button-small" onClick={() => onChange(null)}>
            Clear user filter
          </button>
        </div>
      </div>
    );
  }
  const found = debounced ? (candidates.data?.channel.users.nodes ?? []) : [];
  return (
    <div className="field target-filter">
      <label htmlFor="log-target">User</label>
      <input
        id="log-target"
        type="search"
        placeholder="Email or name"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      {found.length > 0 && (
        <ul className="candidate-list" aria-label="Show events about">
          {found.map((user) => (
            <li key={user.id}>
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setSearch('');
                  onChange(user.id);
                }}
              >
                {user.email}
              </button>
            </li>
          ))}
        </ul>
      )}
      {debounced && candidates.data && found.length === 0 && <p className="hint">No user matches “{debounced}”.</p>}
    </div>
  );
}

/** Emails of the users and names of the groups an event names by id, fetched in one request per page. */
interface Names {
  users: Map<string, string>;
  groups: Map<string, string>;
}

function useNames(events: AuditEvent[]): Names {
  const userIds = new Set<string>();
  for (const event of events) {
    if (event.targetType === 'user' && event.targetId && typeof event.summary.email !== 'string')
      userIds.add(event.targetId);
    for (const [key, value] of Object.entries(event.summary)) {
      if (USER_ID_KEYS.has(key) && Array.isArray(value)) value.forEach((v) => typeof v === 'string' && userIds.add(v));
    }
  }
  const ids = [...userIds].filter((id) => UUID.test(id)).slice(0, 100);
  const lookup = useQuery(AUDIT_NAMES(ids.length), Object.fromEntries(ids.map((id, i) => [`u${i}`, id])), {
    skip: events.length === 0,
  });
  const users = new Map<string, string>();
  const groups = new Map<string, string>();
  if (lookup.data) {
    const { channel } = lookup.data;
    ids.forEach((id, i) => {
      const user = channel[`u${i}`] as { email: string } | null | undefined;
      if (user) users.set(id, user.email);
    });
    for (const group of (channel.groups as { nodes: { id: string; name: string }[] }).nodes)
      groups.set(group.id, group.name);
  }
  return { users, groups };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function EventRow({
  event,
  names,
  onFilterTarget,
}: {
  event: AuditEvent;
  names: Names;
  onFilterTarget(id: string): void;
}) {
  const refused = event.action === 'saml.signInRefused';
  return (
    <tr>
      <td className="nowrap">
        <Time value={event.at} />
      </td>
      <td>
        <span className="action-label">{ACTION_LABELS.get(event.action) ?? event.action}</span>
        {refused && (
          <>
            {' '}
            <Badge tone="bad">Refused</Badge>
          </>
        )}
        <span className="mono small muted-text block">{event.action}</span>
      </td>
      <td data-label="Actor">
        <Actor event={event} />
      </td>
      <td data-label="What changed">
        <Target event={event} names={names} onFilterTarget={onFilterTarget} />
        <Summary summary={event.summary} names={names} />
      </td>
    </tr>
  );
}

const ACTOR_KINDS: Record<string, string> = {
  scim_token: 'SCIM token',
  admin_key: 'Admin API key',
  user: 'Administrator',
  platform: 'Platform support',
  system: 'Roster',
};

function Actor({ event }: { event: AuditEvent }) {
  const kind = ACTOR_KINDS[event.actorType] ?? event.actorType;
  const isCredential = event.actorType === 'scim_token' || event.actorType === 'admin_key';
  const label = event.actorLabel && event.actorLabel !== event.actorType ? event.actorLabel : null;
  return (
    <span>
      {kind}
      {label && (
        <span className={`block small ${isCredential ? 'mono' : ''}`}>
          {label}
          {isCredential ? '…' : ''}
        </span>
      )}
    </span>
  );
}

function Target({
  event,
  names,
  onFilterTarget,
}: {
  event: AuditEvent;
  names: Names;
  onFilterTarget(id: string): void;
}) {
  if (!event.targetId) return null;
  const email =
    typeof event.summary.email === 'string' ? event.summary.email : (names.users.get(event.targetId) ?? null);
  if (event.targetType === 'user') {
    return (
      <span className="block target">
        User{' '}
        <Link to={href(`/users/${event.targetId}`)} className="mono">
          {email ?? event.targetId}
        </Link>{' '}
        <button
          type="button"
          className="link-button small"
          aria-label={`Show only events about ${email ?? 'this user'}`}
          onClick={() => onFilterTarget(event.targetId!)}
        >
          (only this user)
        </button>
      </span>
    );
  }
  if (event.targetType === 'group') {
    return (
      <span className="block target">
        Group{' '}
        <Link to={href(`/groups/${event.targetId}`)}>
          {names.groups.get(event.targetId) ??
            (typeof event.summary.name === 'string' ? event.summary.name : 'a deleted group')}
        </Link>
      </span>
    );
  }
  return null;
}

/** Keys whose array value is a [before, after] pair rather than a list. */
const PAIR_KEYS = new Set(['name', 'samlGroupName', 'displayName']);

/** The summary as short "key: value" lines; changes read "before → after". */
function Summary({ summary, names }: { summary: Record<string, unknown>; names: Names }) {
  const lines: [string, string][] = [];
  for (const [key, value] of Object.entries(summary)) {
    // The email or name of the target is already shown as the target.
    if ((key === 'email' || key === 'name') && typeof value === 'string') continue;
    if (key === 'changed' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [field, change] of Object.entries(value as Record<string, unknown>)) {
        lines.push([field, Array.isArray(change) && change.length === 2 ? pair(change) : describe(change)]);
      }
      continue;
    }
    if (USER_ID_KEYS.has(key) && Array.isArray(value)) {
      lines.push([key, describe(value.map((id) => (typeof id === 'string' ? (names.users.get(id) ?? id) : id)))]);
      continue;
    }
    lines.push([key, PAIR_KEYS.has(key) && Array.isArray(value) && value.length === 2 ? pair(value) : describe(value)]);
  }
  if (lines.length === 0) return null;
  return (
    <dl className="summary">
      {lines.map(([key, text]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>{text}</dd>
        </div>
      ))}
    </dl>
  );
}

function pair([before, after]: unknown[]): string {
  return `${describe(before)} → ${describe(after)}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    const shown = value.slice(0, 5).map(describe).join(', ');
    return value.length > 5 ? `${shown} and ${value.length - 5} more` : shown;
  }
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${describe(v)}`);
    return parts.length ? parts.join('; ') : '—';
  }
  return String(value);
}
