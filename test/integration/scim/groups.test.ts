import {
  GROUP_SCHEMA,
  PATCH_OP,
  createGroup,
  createUser,
  scimChannel,
  startTestRoster,
  type ScimChannel,
} from '../../helpers/scim-client';
import type { TestRoster } from '../../helpers/roster';

let roster: TestRoster;
let channel: ScimChannel;
beforeAll(async () => {
  roster = await startTestRoster();
  channel = await scimChannel(roster);
});
afterAll(() => roster.close());

const patch = (id: string, Operations: unknown[], query = '') =>
  channel.request('PATCH', `/Groups/${id}${query}`, { schemas: [PATCH_OP], Operations });

async function memberIds(groupId: string): Promise<string[]> {
  const read = await channel.request('GET', `/Groups/${groupId}`);
  return (read.body.members ?? []).map((member: { value: string }) => member.value).sort();
}

describe('SCIM Groups', () => {
  it('creates a group with members: 201, Location, members with $ref; unknown ids skipped', async () => {
    const [a, b] = [await createUser(channel), await createUser(channel)];
    const response = await channel.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Engineering ${a.id.slice(0, 6)}`,
      members: [
        { value: a.id },
        { value: b.id, display: 'B' },
        { value: '00000000-0000-4000-8000-000000000000' },
        { value: 'nope' },
      ],
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`${roster.publicUrl}/scim/v2/Groups/${response.body.id}`);
    expect(response.body.meta).toMatchObject({
      resourceType: 'Group',
      location: response.headers.get('location'),
      version: 'W/"1"',
    });
    expect(response.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, b.id].sort());
    expect(response.body.members[0].$ref).toMatch(/\/scim\/v2\/Users\//);
  });

  it('refuses a duplicate displayName in any letter case with 409 uniqueness', async () => {
    const name = `Sales ${Date.now()}`;
    await createGroup(channel, name);
    const again = await channel.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: name.toUpperCase(),
    });
    expect(again.status).toBe(409);
    expect(again.body.scimType).toBe('uniqueness');
  });

  it('adds and removes members in one PATCH and answers 204 (Okta)', async () => {
    const [a, b, c] = [await createUser(channel), await createUser(channel), await createUser(channel)];
    const group = await createGroup(channel, `Okta push ${a.id}`, [a.id, b.id]);
    const response = await patch(group.id, [
      { op: 'remove', path: `members[value eq "${a.id}"]` },
      { op: 'add', path: 'members', value: [{ value: c.id, display: 'c' }] },
    ]);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await memberIds(group.id)).toEqual([b.id, c.id].sort());
  });

  it('removes only the listed members with Entra\'s path "members" + value list', async () => {
    const [a, b, c] = [await createUser(channel), await createUser(channel), await createUser(channel)];
    const group = await createGroup(channel, `Entra ${a.id}`, [a.id, b.id, c.id]);
    const response = await patch(group.id, [{ op: 'Remove', path: 'members', value: [{ value: b.id }] }]);
    expect(response.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([a.id, c.id].sort());
  });

  it('replaces the whole member list (PATCH replace and PUT)', async () => {
    const [a, b, c] = [await createUser(channel), await createUser(channel), await createUser(channel)];
    const group = await createGroup(channel, `Replace ${a.id}`, [a.id, b.id]);
    expect((await patch(group.id, [{ op: 'replace', path: 'members', value: [{ value: c.id }] }])).status).toBe(204);
    expect(await memberIds(group.id)).toEqual([c.id]);
    const put = await channel.request('PUT', `/Groups/${group.id}`, {
      schemas: [GROUP_SCHEMA],
      displayName: group.displayName,
      members: [{ value: a.id }, { value: b.id }],
    });
    expect(put.status).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, b.id].sort());
  });

  it('renames with a pathless replace whose value carries the id (Okta), and answers 200 when attributes are asked for', async () => {
    const group = await createGroup(channel, `Old name ${Date.now()}`);
    const response = await patch(
      group.id,
      [{ op: 'replace', value: { id: group.id, displayName: 'New name ' + group.id } }],
      '?attributes=displayName',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ schemas: [GROUP_SCHEMA], id: group.id, displayName: 'New name ' + group.id });
  });

  it('skips unknown member ids and succeeds for the rest', async () => {
    const a = await createUser(channel);
    const group = await createGroup(channel, `Skip ${a.id}`);
    const response = await patch(group.id, [
      {
        op: 'add',
        path: 'members',
        value: [{ value: 'ghost' }, { value: a.id }, { value: '11111111-1111-4111-8111-111111111111' }],
      },
    ]);
    expect(response.status).toBe(204);
    expect(await memberIds(group.id)).toEqual([a.id]);
  });

  it('never returns members with excludedAttributes=members, and finds a group by displayName in any case', async () => {
    const a = await createUser(channel);
    const name = `Lookup ${a.id}`;
    const group = await createGroup(channel, name, [a.id]);
    const read = await channel.request('GET', `/Groups/${group.id}?excludedAttributes=members`);
    expect(read.body.members).toBeUndefined();
    expect(read.body.displayName).toBe(name);
    const found = await channel.request(
      'GET',
      `/Groups?filter=${encodeURIComponent(`displayName eq "${name.toUpperCase()}"`)}&excludedAttributes=members`,
    );
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].members).toBeUndefined();
  });

  it('DELETE answers 204 and then 404', async () => {
    const group = await createGroup(channel, `Doomed ${Date.now()}`);
    expect((await channel.request('DELETE', `/Groups/${group.id}`)).status).toBe(204);
    expect((await channel.request('GET', `/Groups/${group.id}`)).status).toBe(404);
    expect((await channel.request('DELETE', `/Groups/${group.id}`)).status).toBe(404);
  });

  it("shows a user's groups on the user, and a removed user leaves every group", async () => {
    const a = await createUser(channel);
    const group = await createGroup(channel, `Membership ${a.id}`, [a.id]);
    const user = await channel.request('GET', `/Users/${a.id}`);
    expect(user.body.groups).toEqual([
      {
        value: group.id,
        display: group.displayName,
        $ref: `${roster.publicUrl}/scim/v2/Groups/${group.id}`,
        type: 'direct',
      },
    ]);
    const byGroup = await channel.request(
      'GET',
      `/Users?filter=${encodeURIComponent(`groups[value eq "${group.id}"]`)}`,
    );
    expect(byGroup.body.Resources.map((u: { id: string }) => u.id)).toEqual([a.id]);
    await channel.request('DELETE', `/Users/${a.id}`);
    expect(await memberIds(group.id)).toEqual([]);
  });

  it('renames matched channel groups when the pushed group is renamed', async () => {
    const name = `Matched ${Date.now()}`;
    const group = await createGroup(channel, name);
    const created = await roster.graphql(
      channel.adminApiKey,
      `mutation($input: CreateGroupInput!) { createGroup(input: $input) { id samlGroupName } }`,
      {
        input: { name: `App ${name}`, samlGroupName: name.toLowerCase() },
      },
    );
    expect(created.errors).toBeUndefined();
    expect((await patch(group.id, [{ op: 'replace', path: 'displayName', value: `${name} renamed` }])).status).toBe(
      204,
    );
    const after = await roster.graphql(
      channel.adminApiKey,
      `query($id: ID!) { channel { group(id: $id) { samlGroupName } } }`,
      { id: created.data.createGroup.id },
    );
    expect(after.data.channel.group.samlGroupName).toBe(`${name} renamed`);
  });

  it('records every change in the audit log, in the same statement as the change', async () => {
    const [a, b] = [await createUser(channel), await createUser(channel)];
    const group = await createGroup(channel, `Audited ${a.id}`, [a.id]);
    await patch(group.id, [{ op: 'add', path: 'members', value: [{ value: b.id }] }]);
    await patch(group.id, [{ op: 'add', path: 'members', value: [{ value: b.id }] }]); // no change: no event
    await patch(group.id, [{ op: 'replace', path: 'displayName', value: `Audited ${a.id} renamed` }]);
    await channel.request('DELETE', `/Groups/${group.id}`);
    const log = await roster.graphql(
      channel.adminApiKey,
      `query($t: ID) { channel { auditEvents(first: 10, targetId: $t) { nodes { action actorType actorId summary } } } }`,
      { t: group.id },
    );
    const events = log.data.channel.auditEvents.nodes;
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'directoryGroup.deleted',
      'directoryGroup.updated',
      'directoryGroup.membersChanged',
      'directoryGroup.created',
    ]);
    expect(
      events.every(
        (e: { actorType: string; actorId: string }) => e.actorType === 'scim_token' && e.actorId === channel.tokenId,
      ),
    ).toBe(true);
    expect(events[2].summary).toMatchObject({ membersAdded: 1, added: [b.id] });
    expect(events[1].summary).toMatchObject({ previousDisplayName: `Audited ${a.id}` });
  });
});
