import { GROUP_FIELDS, gqlErrorCode, gqlOk } from '../helpers/admin';
import { startTestRoster, type TestRoster } from '../helpers/roster';
import { createGroup as pushGroup, createUser, PATCH_OP, scimChannel, type ScimChannel } from '../helpers/scim-client';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

const CREATE = `mutation($input: CreateGroupInput!) { createGroup(input: $input) { ${GROUP_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateGroupInput!) { updateGroup(id: $id, input: $input) { ${GROUP_FIELDS} } }`;
const ADD = `mutation($g: ID!, $u: [ID!]!) { addGroupMembers(groupId: $g, userIds: $u) { ${GROUP_FIELDS} } }`;
const REMOVE = `mutation($g: ID!, $u: [ID!]!) { removeGroupMembers(groupId: $g, userIds: $u) { ${GROUP_FIELDS} } }`;
const GROUP = `query($id: ID!) { channel { group(id: $id) { ${GROUP_FIELDS} } } }`;

async function group(channel: ScimChannel, id: string) {
  return (await gqlOk(roster, channel.adminApiKey, GROUP, { id })).channel.group;
}

const emails = (g: { members: { nodes: { email: string }[] } }) => g.members.nodes.map((n) => n.email).sort();

describe('channel groups that are not matched', () => {
  it('are managed in Roster: members are added and removed through the admin API', async () => {
    const channel = await scimChannel(roster);
    const [ada, bob] = [await createUser(channel), await createUser(channel)];
    const created = (await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Editors' } })).createGroup;
    expect(created).toMatchObject({ name: 'Editors', samlGroupName: null, isSamlManaged: false });

    const added = (await gqlOk(roster, channel.adminApiKey, ADD, { g: created.id, u: [ada.id, bob.id] }))
      .addGroupMembers;
    expect(added.members.totalCount).toBe(2);
    const removed = (await gqlOk(roster, channel.adminApiKey, REMOVE, { g: created.id, u: [bob.id] }))
      .removeGroupMembers;
    expect(emails(removed)).toEqual([ada.userName]);

    const log = await gqlOk(
      roster,
      channel.adminApiKey,
      `query($t: ID) { channel { auditEvents(targetId: $t) { nodes { action actorType summary } } } }`,
      { t: created.id },
    );
    expect(log.channel.auditEvents.nodes.map((e: { action: string }) => e.action)).toEqual([
      'group.membersRemoved',
      'group.membersAdded',
      'group.created',
    ]);
    expect(log.channel.auditEvents.nodes[0].actorType).toBe('admin_key');
  });

  it('refuses unknown or foreign user ids and then changes nothing', async () => {
    const [mine, theirs] = [await scimChannel(roster), await scimChannel(roster)];
    const ada = await createUser(mine);
    const stranger = await createUser(theirs);
    const g = (await gqlOk(roster, mine.adminApiKey, CREATE, { input: { name: 'Team' } })).createGroup;
    expect(await gqlErrorCode(roster, mine.adminApiKey, ADD, { g: g.id, u: [ada.id, stranger.id] })).toBe('NOT_FOUND');
    expect(await gqlErrorCode(roster, mine.adminApiKey, ADD, { g: g.id, u: ['not-a-uuid'] })).toBe('NOT_FOUND');
    expect((await group(mine, g.id)).members.totalCount).toBe(0);
  });

  it('refuses a second group with the same name in any letter case', async () => {
    const channel = await scimChannel(roster);
    await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Sales' } });
    expect(await gqlErrorCode(roster, channel.adminApiKey, CREATE, { input: { name: 'SALES' } })).toBe('CONFLICT');
  });
});

describe('channel groups matched to a SAML group', () => {
  it('show the membership the IdP already pushed as soon as they are matched', async () => {
    const channel = await scimChannel(roster);
    const [ada, bob, eve] = [await createUser(channel), await createUser(channel), await createUser(channel)];
    await pushGroup(channel, 'Engineering', [ada.id, bob.id]);

    const g = (await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Engineers' } })).createGroup;
    await gqlOk(roster, channel.adminApiKey, ADD, { g: g.id, u: [eve.id] });
    // Case-insensitive match on the pushed group's name; Roster-kept members give way to the IdP's.
    const matched = (
      await gqlOk(roster, channel.adminApiKey, UPDATE, { id: g.id, input: { samlGroupName: 'engineering' } })
    ).updateGroup;
    expect(matched.isSamlManaged).toBe(true);
    expect(emails(matched)).toEqual([ada.userName, bob.userName].sort());
  });

  it('are read-only in Roster: adding or removing members is refused with SAML_MANAGED_GROUP', async () => {
    const channel = await scimChannel(roster);
    const ada = await createUser(channel);
    await pushGroup(channel, 'Design', [ada.id]);
    const g = (await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Design', samlGroupName: 'Design' } }))
      .createGroup;
    const other = await createUser(channel);
    expect(await gqlErrorCode(roster, channel.adminApiKey, ADD, { g: g.id, u: [other.id] })).toBe('SAML_MANAGED_GROUP');
    expect(await gqlErrorCode(roster, channel.adminApiKey, REMOVE, { g: g.id, u: [ada.id] })).toBe(
      'SAML_MANAGED_GROUP',
    );
    expect(emails(await group(channel, g.id))).toEqual([ada.userName]);
  });

  it('follow SCIM membership pushes and a rename of the pushed group', async () => {
    const channel = await scimChannel(roster);
    const [ada, bob] = [await createUser(channel), await createUser(channel)];
    const pushed = await pushGroup(channel, 'Support', [ada.id]);
    const g = (
      await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Support', samlGroupName: 'Support' } })
    ).createGroup;

    const patch = await channel.request('PATCH', `/Groups/${pushed.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: bob.id }] },
        { op: 'remove', path: `members[value eq "${ada.id}"]` },
      ],
    });
    expect(patch.status).toBeLessThan(300);
    expect(emails(await group(channel, g.id))).toEqual([bob.userName]);

    const rename = await channel.request('PATCH', `/Groups/${pushed.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id: pushed.id, displayName: 'Customer Support' } }],
    });
    expect(rename.status).toBeLessThan(300);
    const after = await group(channel, g.id);
    expect(after.samlGroupName).toBe('Customer Support');
    expect(emails(after)).toEqual([bob.userName]);
  });

  it('keep their members as ordinary members when unmatched, and become editable', async () => {
    const channel = await scimChannel(roster);
    const [ada, bob] = [await createUser(channel), await createUser(channel)];
    await pushGroup(channel, 'Finance', [ada.id, bob.id]);
    const g = (
      await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Finance', samlGroupName: 'Finance' } })
    ).createGroup;
    const unmatched = (await gqlOk(roster, channel.adminApiKey, UPDATE, { id: g.id, input: { samlGroupName: null } }))
      .updateGroup;
    expect(unmatched).toMatchObject({ samlGroupName: null, isSamlManaged: false });
    expect(emails(unmatched)).toEqual([ada.userName, bob.userName].sort());
    const edited = (await gqlOk(roster, channel.adminApiKey, REMOVE, { g: g.id, u: [ada.id] })).removeGroupMembers;
    expect(emails(edited)).toEqual([bob.userName]);
  });

  it('list deactivated members as inactive, and drop members deleted through SCIM', async () => {
    const channel = await scimChannel(roster);
    const [ada, bob] = [await createUser(channel), await createUser(channel)];
    await pushGroup(channel, 'Ops', [ada.id, bob.id]);
    const g = (await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Ops', samlGroupName: 'Ops' } }))
      .createGroup;
    const deactivate = await channel.request('PATCH', `/Users/${ada.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivate.status).toBe(200);
    expect((await channel.request('DELETE', `/Users/${bob.id}`)).status).toBe(204);
    const after = await group(channel, g.id);
    expect(after.members.nodes).toEqual([{ id: ada.id, email: ada.userName, active: false }]);
  });
});

describe('user groups', () => {
  it('list stored and IdP-given memberships together, in one batch for a whole page of users', async () => {
    const channel = await scimChannel(roster);
    const users: { id: string; userName: string }[] = [];
    for (let i = 0; i < 6; i++) users.push(await createUser(channel));
    await pushGroup(
      channel,
      'Everyone',
      users.map((u) => u.id),
    );
    await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Everyone', samlGroupName: 'everyone' } });
    const manual = (await gqlOk(roster, channel.adminApiKey, CREATE, { input: { name: 'Pilots' } })).createGroup;
    await gqlOk(roster, channel.adminApiKey, ADD, { g: manual.id, u: [users[0].id] });

    const query = `query($n: Int) { channel { users(first: $n) { nodes { email groups { name } videos { id } comments { id } } } } }`;
    const { countQueries } = await import('../helpers/admin');
    const few = await countQueries(roster, () => gqlOk(roster, channel.adminApiKey, query, { n: 2 }));
    const many = await countQueries(roster, () => gqlOk(roster, channel.adminApiKey, query, { n: 6 }));
    expect(many).toBe(few);

    const data = await gqlOk(roster, channel.adminApiKey, query, { n: 6 });
    const first = data.channel.users.nodes.find((n: { email: string }) => n.email === users[0].userName);
    expect(first.groups.map((g: { name: string }) => g.name).sort()).toEqual(['Everyone', 'Pilots']);
  });
});
