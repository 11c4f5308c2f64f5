import { useEffect, useId, useState, type FormEvent } from 'react';
import { graphql } from '../api/client';
import {
  ADD_GROUP_MEMBERS,
  CREATE_GROUP,
  DELETE_GROUP,
  GROUPS,
  GROUP_MEMBERS,
  REMOVE_GROUP_MEMBERS,
  UPDATE_GROUP,
  USERS,
  type DirectoryGroup,
  type Group,
  type Member,
} from '../api/operations';
import {
  Badge,
  ConfirmButton,
  ErrorNote,
  Link,
  Loading,
  Modal,
  Pager,
  Time,
  useMutation,
  usePager,
  useQuery,
} from '../components';
import { href, navigate } from '../router';

const GROUP_PAGE_SIZE = 25;
const MEMBER_PAGE_SIZE = 25;

export function GroupsPage({ groupId }: { groupId: string | null }) {
  useEffect(() => {
    document.title = 'Groups · Roster admin console';
  }, []);
  return groupId ? <GroupDetail groupId={groupId} /> : <GroupList />;
}

function GroupList() {
  const pager = usePager('groups');
  const groups = useQuery(GROUPS, { first: GROUP_PAGE_SIZE, after: pager.after });
  const list = groups.data?.channel.groups;
  const directoryGroups = groups.data?.channel.directoryGroups.nodes ?? [];

  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">Groups</h1>
      <p className="lead">
        Channel groups organise the people of your channel. A group <strong>matched</strong> to a SAML group gets its
        members from your identity provider (SCIM group pushes and the groups in each sign-in); an unmatched group’s
        members are managed here. Groups your identity provider pushes appear in Roster only through a matched group.
      </p>

      <section className="card" aria-labelledby="group-list-title">
        <h2 id="group-list-title">Channel groups</h2>
        <ErrorNote error={groups.error} title="Groups could not be loaded:" />
        {groups.loading && !list && <Loading />}
        {list && list.nodes.length === 0 && <p className="empty">No groups yet. Create the first one below.</p>}
        {list && list.nodes.length > 0 && (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col">SAML match</th>
                  <th scope="col">Members</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {list.nodes.map((group) => (
                  <tr key={group.id}>
                    <td>
                      <Link to={href(`/groups/${group.id}`)}>{group.name}</Link>
                    </td>
                    <td>
                      <SamlMatch group={group} />
                    </td>
                    <td>{group.members.totalCount}</td>
                    <td>
                      <Time value={group.createdAt} dateOnly />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list && list.totalCount > GROUP_PAGE_SIZE && (
          <Pager
            label="Groups"
            pager={pager}
            pageInfo={list.pageInfo}
            pageSize={GROUP_PAGE_SIZE}
            shown={list.nodes.length}
            totalCount={list.totalCount}
          />
        )}
      </section>

      <CreateGroupForm directoryGroups={directoryGroups} onCreated={(group) => navigate(href(`/groups/${group.id}`))} />

      <DirectoryGroupList directoryGroups={directoryGroups} total={groups.data?.channel.directoryGroups.totalCount} />
    </section>
  );
}

function SamlMatch({ group }: { group: Pick<Group, 'samlGroupName'> }) {
  return group.samlGroupName ? (
    <span>
      <Badge tone="info">SAML</Badge> <span className="mono">{group.samlGroupName}</span>
    </span>
  ) : (
    <span className="muted-text">Not matched</span>
  );
}

function DirectoryGroupList({ directoryGroups, total }: { directoryGroups: DirectoryGroup[]; total?: number }) {
  return (
    <section className="card" aria-labelledby="directory-groups-title">
      <h2 id="directory-groups-title">SAML groups pushed by your identity provider</h2>
      <p className="hint">
        The names a channel group can be matched to. In Okta: the app’s Push Groups tab.
        {total !== undefined && total > directoryGroups.length && ` Showing ${directoryGroups.length} of ${total}.`}
      </p>
      {directoryGroups.length === 0 ? (
        <p className="empty">Your identity provider has not pushed any groups yet.</p>
      ) : (
        <ul className="chips">
          {directoryGroups.map((group) => (
            <li key={group.id}>
              <span className="mono">{group.displayName}</span>{' '}
              <span className="muted-text">
                ({group.memberCount} member{group.memberCount === 1 ? '' : 's'})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A SAML group name: chosen from the pushed directory groups, or typed (for names that arrive by sign-in). */
function SamlGroupNameInput({
  id,
  value,
  onChange,
  directoryGroups,
  describedBy,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
  directoryGroups: DirectoryGroup[];
  describedBy?: string;
}) {
  return (
    <>
      <input
        id={id}
        className="mono"
        list={`${id}-options`}
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      <datalist id={`${id}-options`}>
        {directoryGroups.map((group) => (
          <option key={group.id} value={group.displayName} />
        ))}
      </datalist>
      {directoryGroups.length > 0 && (
        <div className="pick-list" role="group" aria-label="Pushed SAML groups">
          <span className="hint" aria-hidden="true">
            Pushed:
          </span>
          {directoryGroups.slice(0, 12).map((group) => (
            <button
              type="button"
              key={group.id}
              className={`chip-button${value === group.displayName ? ' selected' : ''}`}
              aria-pressed={value === group.displayName}
              onClick={() => onChange(group.displayName)}
            >
              {group.displayName}
            </button>
          ))}
        </div>
      )}
    </>
  );
}

function CreateGroupForm({
  directoryGroups,
  onCreated,
}: {
  directoryGroups: DirectoryGroup[];
  onCreated(group: Group): void;
}) {
  const [name, setName] = useState('');
  const [samlGroupName, setSamlGroupName] = useState('');
  const create = useMutation();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create.run(() =>
      graphql(CREATE_GROUP, { input: { name: name.trim(), samlGroupName: samlGroupName.trim() || null } }),
    );
    if (result) {
      setName('');
      setSamlGroupName('');
      onCreated(result.createGroup);
    }
  };
  return (
    <section className="card" aria-labelledby="create-group-title">
      <h2 id="create-group-title">Create a group</h2>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="new-group-name">Group name</label>
          <input
            id="new-group-name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.currentTarget.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="new-group-saml">Match to SAML group (optional)</label>
          <p className="hint" id="new-group-saml-hint">
            Choose a group your identity provider pushed, or type a group name it sends at sign-in. Leave empty to
            manage the members here.
          </p>
          <SamlGroupNameInput
            id="new-group-saml"
            value={samlGroupName}
            onChange={setSamlGroupName}
            directoryGroups={directoryGroups}
            describedBy="new-group-saml-hint"
          />
        </div>
        <ErrorNote error={create.error} title="Not created:" />
        <div>
          <button type="submit" className="button button-primary" disabled={create.busy || !name.trim()}>
            {create.busy ? 'Creating…' : 'Create group'}
          </button>
        </div>
      </form>
    </section>
  );
}

function GroupDetail({ groupId }: { groupId: string }) {
  const pager = usePager(groupId);
  const detail = useQuery(GROUP_MEMBERS, { id: groupId, first: MEMBER_PAGE_SIZE, after: pager.after });
  const reload = detail.reload;
  // The directory groups, for (re)matching.
  const groupsPage = useQuery(GROUPS, { first: 0 });
  const directoryGroups = groupsPage.data?.channel.directoryGroups.nodes ?? [];
  const group = detail.data?.channel.group;

  useEffect(() => {
    if (group) document.title = `${group.name} · Groups · Roster admin console`;
  }, [group]);

  return (
    <section aria-labelledby="group-title">
      <p className="breadcrumb">
        <Link to={href('/groups')}>← Groups</Link>
      </p>
      {detail.loading && !detail.data && <Loading />}
      <ErrorNote error={detail.error} title="The group could not be loaded:" />
      {detail.data && !group && (
        <>
          <h1 id="group-title">Group not found</h1>
          <p>This group does not exist in your channel (it may have been deleted).</p>
        </>
      )}
      {group && (
        <>
          <div className="title-row">
            <h1 id="group-title">{group.name}</h1>
            {group.isSamlManaged ? (
              <Badge tone="info">Matched to SAML</Badge>
            ) : (
              <Badge tone="neutral">Managed in Roster</Badge>
            )}
          </div>

          <MatchCard group={group} directoryGroups={directoryGroups} onChanged={reload} />

          <section className="card" aria-labelledby="members-title">
            <h2 id="members-title">Members</h2>
            {group.isSamlManaged ? (
              <p className="note note-info" id="read-only-reason">
                These members come from your identity provider: the users it puts in the SAML group{' '}
                <strong className="mono">{group.samlGroupName}</strong> (by SCIM group pushes, or in the groups of their
                latest sign-in). They are read-only here: change them in your identity provider, or unmatch the group.
              </p>
            ) : (
              <AddMembersForm groupId={group.id} onAdded={reload} />
            )}
            <MemberList
              groupId={group.id}
              readOnly={group.isSamlManaged}
              members={group.members}
              loading={detail.loading}
              onRemoved={reload}
              pager={pager}
            />
          </section>

          <section className="card danger-zone" aria-labelledby="delete-group-title">
            <h2 id="delete-group-title">Delete group</h2>
            <p className="hint">The group and its memberships are deleted. Users and SAML groups are not.</p>
            <ConfirmButton
              label="Delete group"
              title={`Delete the group “${group.name}”?`}
              confirmLabel="Delete group"
              message={<p>This cannot be undone. Users keep their accounts and content.</p>}
              onConfirm={async () => {
                await graphql(DELETE_GROUP, { id: group.id });
                navigate(href('/groups'));
              }}
            />
          </section>
        </>
      )}
    </section>
  );
}

function MatchCard({
  group,
  directoryGroups,
  onChanged,
}: {
  group: { id: string; name: string; samlGroupName: string | null; members: { totalCount: number } };
  directoryGroups: DirectoryGroup[];
  onChanged(): Promise<void>;
}) {
  const [editing, setEditing] = useState(false);
  const [samlGroupName, setSamlGroupName] = useState(group.samlGroupName ?? '');
  const [name, setName] = useState(group.name);
  const [confirming, setConfirming] = useState(false);
  const save = useMutation();
  const inputId = useId();

  useEffect(() => {
    setSamlGroupName(group.samlGroupName ?? '');
    setName(group.name);
  }, [group.samlGroupName, group.name]);

  const apply = async () => {
    const result = await save.run(() =>
      graphql(UPDATE_GROUP, {
        id: group.id,
        input: { name: name.trim(), samlGroupName: samlGroupName.trim() || null },
      }),
    );
    if (result) {
      await onChanged();
      setEditing(false);
      setConfirming(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Matching an unmatched group replaces the members kept in Roster: say so before doing it.
    if (!group.samlGroupName && samlGroupName.trim() && group.members.totalCount > 0) setConfirming(true);
    else void apply();
  };

  const pushed = directoryGroups.find(
    (d) => group.samlGroupName && d.displayName.toLowerCase() === group.samlGroupName.toLowerCase(),
  );

  return (
    <section className="card" aria-labelledby="match-title">
      <h2 id="match-title">SAML match</h2>
      {!editing ? (
        <>
          {group.samlGroupName ? (
            <p>
              Matched to the SAML group <strong className="mono">{group.samlGroupName}</strong>.{' '}
              {pushed
                ? `Your identity provider has pushed it (${pushed.memberCount} member${pushed.memberCount === 1 ? '' : 's'}).`
                : 'Your identity provider has not pushed a group of this name; members come from the groups users sign in with.'}
            </p>
          ) : (
            <p>Not matched: the members are managed here.</p>
          )}
          <div className="button-row">
            <button type="button" className="button" onClick={() => setEditing(true)}>
              {group.samlGroupName ? 'Change match or name' : 'Match to a SAML group'}
            </button>
            {group.samlGroupName && (
              <ConfirmButton
                label="Unmatch"
                className="button"
                title={`Unmatch “${group.name}”?`}
                confirmLabel="Unmatch"
                message={
                  <p>
                    The current members stay, as ordinary members you manage here. Changes in your identity provider no
                    longer reach this group.
                  </p>
                }
                onConfirm={async () => {
                  await graphql(UPDATE_GROUP, { id: group.id, input: { samlGroupName: null } });
                  await onChanged();
                }}
              />
            )}
          </div>
        </>
      ) : (
        <form onSubmit={submit} className="stack">
          <div className="field">
            <label htmlFor={`${inputId}-name`}>Group name</label>
            <input
              id={`${inputId}-name`}
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.currentTarget.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={inputId}>SAML group name</label>
            <p className="hint" id={`${inputId}-hint`}>
              Choose a pushed group or type the name (case does not matter). Leave empty to unmatch.
            </p>
            <SamlGroupNameInput
              id={inputId}
              value={samlGroupName}
              onChange={setSamlGroupName}
              directoryGroups={directoryGroups}
              describedBy={`${inputId}-hint`}
            />
          </div>
          <ErrorNote error={save.error} title="Not saved:" />
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={save.busy || !name.trim()}>
              {save.busy ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setEditing(false);
                save.clearError();
                setSamlGroupName(group.samlGroupName ?? '');
                setName(group.name);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      <Modal
        title="Replace the members with the SAML group’s?"
        open={confirming}
        onClose={() => setConfirming(false)}
        footer={
          <>
            <button type="button" className="button" onClick={() => setConfirming(false)} autoFocus>
              Cancel
            </button>
            <button type="button" className="button button-primary" disabled={save.busy} onClick={apply}>
              Match group
            </button>
          </>
        }
      >
        <p>
          “{group.name}” has {group.members.totalCount} member{group.members.totalCount === 1 ? '' : 's'} managed in
          Roster. Once matched to <strong className="mono">{samlGroupName.trim()}</strong>, its members are exactly the
          users your identity provider puts in that group; the members added here are removed.
        </p>
        <ErrorNote error={save.error} />
      </Modal>
    </section>
  );
}

function MemberList({
  groupId,
  readOnly,
  members,
  loading,
  onRemoved,
  pager,
}: {
  groupId: string;
  readOnly: boolean;
  members: {
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    nodes: Member[];
  };
  loading: boolean;
  onRemoved(): Promise<void>;
  pager: ReturnType<typeof usePager>;
}) {
  if (members.totalCount === 0) {
    return (
      <p className="empty">
        No members{readOnly ? ' yet: your identity provider has not put anyone in this group.' : ' yet.'}
      </p>
    );
  }
  return (
    <>
      <div className="table-wrap" aria-busy={loading}>
        <table>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Status</th>
              {!readOnly && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {members.nodes.map((member) => (
              <tr key={member.id} className={member.active ? undefined : 'inactive-row'}>
                <td>
                  <Link to={href(`/users/${member.id}`)}>{member.email}</Link>
                  {nameOf(member) && <span className="muted-text block">{nameOf(member)}</span>}
                </td>
                <td>{member.active ? <Badge tone="ok">Active</Badge> : <Badge tone="bad">Inactive user</Badge>}</td>
                {!readOnly && (
                  <td className="actions">
                    <ConfirmButton
                      label="Remove"
                      className="button button-small"
                      accessibleLabel={`Remove ${member.email} from the group`}
                      title="Remove from the group?"
                      confirmLabel="Remove"
                      message={<p>{member.email} leaves this group. The user is not changed otherwise.</p>}
                      onConfirm={async () => {
                        await graphql(REMOVE_GROUP_MEMBERS, { groupId, userIds: [member.id] });
                        await onRemoved();
                      }}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager
        label="Members"
        pager={pager}
        pageInfo={members.pageInfo}
        pageSize={MEMBER_PAGE_SIZE}
        shown={members.nodes.length}
        totalCount={members.totalCount}
      />
    </>
  );
}

function nameOf(user: Member): string {
  return user.displayName || [user.givenName, user.familyName].filter(Boolean).join(' ');
}

/** Finds users by name or email and adds the chosen one to an unmatched group. */
function AddMembersForm({ groupId, onAdded }: { groupId: string; onAdded(): Promise<void> }) {
  const [search, setSearch] = useState('');
  const [debounced, setDebounced] = useState('');
  const add = useMutation();
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const candidates = useQuery(USERS, { first: 8, query: debounced || null, active: null }, { skip: !debounced });
  const found = debounced ? (candidates.data?.channel.users.nodes ?? []) : [];

  return (
    <form className="stack add-members" onSubmit={(e) => e.preventDefault()} role="search" aria-label="Add members">
      <div className="field">
        <label htmlFor="member-search">Add a member</label>
        <input
          id="member-search"
          type="search"
          placeholder="Search users by name or email"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
      </div>
      <ErrorNote error={add.error ?? candidates.error} />
      {debounced && candidates.data && found.length === 0 && <p className="empty">No user matches “{debounced}”.</p>}
      {found.length > 0 && (
        <ul className="candidate-list" aria-label="Matching users">
          {found.map((user) => (
            <li key={user.id}>
              <span>
                {user.email}
                {!user.active && (
                  <>
                    {' '}
                    <Badge tone="bad">Inactive user</Badge>
                  </>
                )}
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={add.busy}
                aria-label={`Add ${user.email} to the group`}
                onClick={async () => {
                  const done = await add.run(() => graphql(ADD_GROUP_MEMBERS, { groupId, userIds: [user.id] }));
                  if (done) {
                    await onAdded();
                    setSearch('');
                    setDebounced('');
                  }
                }}
              >
                Add
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
