import { gqlErrorCode, gqlOk } from '../helpers/admin';
import { PLATFORM_TOKEN, startTestRoster, type TestRoster } from '../helpers/roster';
import { createUser, oktaUser, scimChannel } from '../helpers/scim-client';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

const SET_ACTIVE = `mutation($id: ID!, $active: Boolean!) { setUserActive(id: $id, active: $active) { id active } }`;
const USER = `query($id: ID!) { channel { user(id: $id) { id email active role videos { title } comments { body } } } }`;

describe('users in the admin API', () => {
  it('deactivates and reactivates a user, keeping profile and content, and logs both', async () => {
    const channel = await scimChannel(roster);
    const ada = await createUser(channel);
    const video = await gqlOk(
      roster,
      channel.adminApiKey,
      `mutation($input: CreateVideoInput!) { createVideo(input: $input) { id title owner { email } } }`,
      { input: { title: 'Launch recap', ownerId: ada.id } },
    );
    await gqlOk(
      roster,
      channel.adminApiKey,
      `mutation($input: AddCommentInput!) { addComment(input: $input) { body author { email } video { title } } }`,
      { input: { videoId: video.createVideo.id, authorId: ada.id, body: 'Great work' } },
    );

    const off = await gqlOk(roster, channel.adminApiKey, SET_ACTIVE, { id: ada.id, active: false });
    expect(off.setUserActive.active).toBe(false);
    const inactive = (await gqlOk(roster, channel.adminApiKey, USER, { id: ada.id })).channel.user;
    expect(inactive).toMatchObject({
      active: false,
      videos: [{ title: 'Launch recap' }],
      comments: [{ body: 'Great work' }],
    });
    const listed = await gqlOk(roster, channel.adminApiKey, `{ channel { users(active: false) { nodes { id } } } }`);
    expect(listed.channel.users.nodes).toEqual([{ id: ada.id }]);

    await gqlOk(roster, channel.adminApiKey, SET_ACTIVE, { id: ada.id, active: true });
    const log = await gqlOk(
      roster,
      channel.adminApiKey,
      `query($t: ID) { channel { auditEvents(targetId: $t, action: "user") { nodes { action summary } } } }`,
      { t: ada.id },
    );
    expect(log.channel.auditEvents.nodes.map((e: { action: string }) => e.action)).toEqual([
      'user.reactivated',
      'user.deactivated',
      'user.created',
    ]);
    expect(log.channel.auditEvents.nodes[1].summary.changed.active).toEqual([true, false]);
  });

  it('records what a profile push changed, compactly', async () => {
    const channel = await scimChannel(roster);
    const ada = await createUser(channel);
    const pushed = oktaUser(ada.userName, { name: { givenName: 'Ada', familyName: 'Lovelace' }, title: 'Engineer' });
    expect((await channel.request('PUT', `/Users/${ada.id}`, { ...pushed, id: ada.id })).status).toBe(200);
    const log = await gqlOk(
      roster,
      channel.adminApiKey,
      `query($t: ID) { channel { auditEvents(targetId: $t, action: "user.updated") { nodes { actorType summary } } } }`,
      { t: ada.id },
    );
    const [event] = log.channel.auditEvents.nodes;
    expect(event.actorType).toBe('scim_token');
    expect(event.summary.changed.given_name[1]).toBe('Ada');
    expect(event.summary.changed.family_name).toEqual(['Tester', 'Lovelace']);
    expect(event.summary.changed.email).toBeUndefined();
    expect(event.summary.scimChanged).toContain('title');
  });

  it('changes roles', async () => {
    const channel = await scimChannel(roster);
    const ada = await createUser(channel);
    const result = await gqlOk(
      roster,
      channel.adminApiKey,
      `mutation($id: ID!) { setUserRole(id: $id, role: ADMIN) { role } }`,
      {
        id: ada.id,
      },
    );
    expect(result.setUserRole.role).toBe('ADMIN');
    expect(
      await gqlErrorCode(
        roster,
        channel.adminApiKey,
        `mutation($id: ID!) { setUserRole(id: $id, role: OWNER) { role } }`,
        {
          id: ada.id,
        },
      ),
    ).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('keeps content attributed to a user removed through SCIM', async () => {
    const channel = await scimChannel(roster);
    const ada = await createUser(channel);
    await gqlOk(
      roster,
      channel.adminApiKey,
      `mutation($o: ID) { createVideo(input: { title: "Q3", ownerId: $o }) { id } }`,
      {
        o: ada.id,
      },
    );
    expect((await channel.request('DELETE', `/Users/${ada.id}`)).status).toBe(204);
    const videos = await gqlOk(
      roster,
      channel.adminApiKey,
      `{ channel { videos { nodes { title owner { email active } } } } }`,
    );
    expect(videos.channel.videos.nodes).toEqual([{ title: 'Q3', owner: { email: ada.userName, active: false } }]);
    // Removed users are gone from the user list and cannot be found by id.
    expect((await gqlOk(roster, channel.adminApiKey, USER, { id: ada.id })).channel.user).toBeNull();
  });

  it('purges a user and their content with the platform token only', async () => {
    const channel = await scimChannel(roster);
    const ada = await createUser(channel);
    await gqlOk(
      roster,
      channel.adminApiKey,
      `mutation($o: ID) { createVideo(input: { title: "Gone", ownerId: $o }) { id } }`,
      {
        o: ada.id,
      },
    );
    const purge = `mutation($id: ID!) { purgeUser(id: $id) }`;
    expect(await gqlErrorCode(roster, channel.adminApiKey, purge, { id: ada.id })).toBe('FORBIDDEN');
    expect((await gqlOk(roster, PLATFORM_TOKEN, purge, { id: ada.id })).purgeUser).toBe(true);
    const after = await gqlOk(
      roster,
      channel.adminApiKey,
      `{ channel { videos { totalCount } users { totalCount } } }`,
    );
    expect(after.channel).toEqual({ videos: { totalCount: 0 }, users: { totalCount: 0 } });
    expect((await channel.request('GET', `/Users/${ada.id}`)).status).toBe(404);
    expect(await gqlErrorCode(roster, PLATFORM_TOKEN, purge, { id: ada.id })).toBe('NOT_FOUND');
  });

  it('searches and pages through users with stable cursors', async () => {
    const channel = await scimChannel(roster);
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createUser(channel, `pager${i}.${channel.slug}@example.com`));
    const page = `query($after: String) { channel { users(first: 2, after: $after, query: "PAGER") {
      totalCount pageInfo { hasNextPage endCursor } nodes { email } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const data: any = await gqlOk(roster, channel.adminApiKey, page, { after });
      expect(data.channel.users.totalCount).toBe(5);
      seen.push(...data.channel.users.nodes.map((n: { email: string }) => n.email));
      after = data.channel.users.pageInfo.endCursor;
      expect(data.channel.users.pageInfo.hasNextPage).toBe(i < 2);
    }
    expect(seen).toEqual(created.map((u) => u.userName));
    expect(await gqlErrorCode(roster, channel.adminApiKey, page, { after: 'garbage' })).toBe('BAD_USER_INPUT');
  });
});
