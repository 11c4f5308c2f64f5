import { gqlErrorCode, gqlOk } from '../helpers/admin';
import { startTestRoster, type TestRoster } from '../helpers/roster';
import { createGroup as pushGroup, createUser, scimChannel, type ScimChannel } from '../helpers/scim-client';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

describe("one channel's credentials and another channel's ids", () => {
  let mine: ScimChannel;
  let theirs: ScimChannel;
  let theirUser: { id: string };
  let theirGroup: { id: string };
  let theirTokenId: string;

  beforeAll(async () => {
    [mine, theirs] = [await scimChannel(roster, 'mine'), await scimChannel(roster, 'theirs')];
    theirUser = await createUser(theirs);
    theirGroup = (await gqlOk(roster, theirs.adminApiKey, `mutation { createGroup(input: { name: "Secret" }) { id } }`))
      .createGroup;
    theirTokenId = theirs.tokenId;
    await pushGroup(theirs, 'Hidden', [theirUser.id]);
  });

  it('reads nothing of the other channel', async () => {
    const data = await gqlOk(
      roster,
      mine.adminApiKey,
      `query($u: ID!, $g: ID!) { channel { user(id: $u) { id } group(id: $g) { id }
        users { totalCount } directoryGroups { totalCount } scimTokens { id } } }`,
      { u: theirUser.id, g: theirGroup.id },
    );
    expect(data.channel.user).toBeNull();
    expect(data.channel.group).toBeNull();
    expect(data.channel.users.totalCount).toBe(0);
    expect(data.channel.directoryGroups.totalCount).toBe(0);
    expect(data.channel.scimTokens.map((t: { id: string }) => t.id)).not.toContain(theirTokenId);
    expect(await gqlErrorCode(roster, mine.adminApiKey, `{ channel(slug: "${theirs.slug}") { id } }`)).toBe(
      'NOT_FOUND',
    );
  });

  it.each([
    ['setUserActive', `mutation($id: ID!) { setUserActive(id: $id, active: false) { id } }`, () => theirUser.id],
    ['setUserRole', `mutation($id: ID!) { setUserRole(id: $id, role: ADMIN) { id } }`, () => theirUser.id],
    ['updateGroup', `mutation($id: ID!) { updateGroup(id: $id, input: { name: "x" }) { id } }`, () => theirGroup.id],
    ['deleteGroup', `mutation($id: ID!) { deleteGroup(id: $id) }`, () => theirGroup.id],
    ['revokeScimToken', `mutation($id: ID!) { revokeScimToken(id: $id) { id } }`, () => theirTokenId],
    [
      'addGroupMembers',
      `mutation($id: ID!) { addGroupMembers(groupId: $id, userIds: []) { id } }`,
      () => theirGroup.id,
    ],
  ])('answers NOT_FOUND to %s with an id of the other channel, and changes nothing', async (_name, mutation, id) => {
    expect(await gqlErrorCode(roster, mine.adminApiKey, mutation, { id: id() })).toBe('NOT_FOUND');
    const still = await gqlOk(
      roster,
      theirs.adminApiKey,
      `query($u: ID!, $g: ID!) { channel { user(id: $u) { active role } group(id: $g) { name } } }`,
      { u: theirUser.id, g: theirGroup.id },
    );
    expect(still.channel).toEqual({ user: { active: true, role: 'MEMBER' }, group: { name: 'Secret' } });
    expect((await theirs.request('GET', '/Users?count=1')).status).toBe(200);
  });

  it('stays isolated when both channels are administered at the same time', async () => {
    const work = (channel: ScimChannel, prefix: string) =>
      Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          gqlOk(roster, channel.adminApiKey, `mutation($n: String!) { createGroup(input: { name: $n }) { id } }`, {
            n: `${prefix}-${i}`,
          }),
        ),
      );
    await Promise.all([work(mine, 'mine'), work(theirs, 'theirs')]);
    const names = async (channel: ScimChannel) =>
      (
        await gqlOk(roster, channel.adminApiKey, `{ channel { groups(first: 100) { nodes { name } } } }`)
      ).channel.groups.nodes.map((n: { name: string }) => n.name);
    expect((await names(mine)).every((n: string) => n.startsWith('mine-'))).toBe(true);
    expect((await names(theirs)).filter((n: string) => n.startsWith('mine-'))).toEqual([]);
  });
});
