import crypto from 'node:crypto';
import {
  GROUP_SCHEMA,
  PATCH_OP,
  createGroup,
  createUser,
  oktaUser,
  scimChannel,
  startTestRoster,
  type ScimChannel,
} from '../../helpers/scim-client';
import type { TestRoster } from '../../helpers/roster';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

jest.setTimeout(120_000);

/** Runs `work` for each item with at most `width` in flight. */
async function inParallel<T, R>(items: T[], width: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

/** An IdP provisioning its directory: users created then patched, groups created and members pushed, all interleaved. */
async function provision(channel: ScimChannel, tag: string) {
  const users = await inParallel(
    Array.from({ length: 80 }, (_, i) => i),
    8,
    async (i) => {
      const user = await createUser(channel, `${tag}.${i}@example.com`, { title: tag });
      const patched = await channel.request('PATCH', `/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'nickName', value: `${tag}-${i}` }],
      });
      if (patched.status !== 200) throw new Error(`PATCH: ${patched.status} ${patched.text}`);
      return user;
    },
  );
  const groups = await inParallel(
    Array.from({ length: 6 }, (_, i) => i),
    3,
    (i) => createGroup(channel, `${tag} group ${i}`),
  );
  await inParallel(users, 8, async (user, i) => {
    const response = await channel.request('PATCH', `/Groups/${groups[i % groups.length].id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }],
    });
    if (response.status !== 204) throw new Error(`group PATCH: ${response.status} ${response.text}`);
  });
  return { users, groups };
}

describe('SCIM tenant isolation under concurrency', () => {
  it('provisions two channels at once; every resource stays in its own channel and is invisible to the other', async () => {
    const [a, b] = await Promise.all([scimChannel(roster, 'iso-a'), scimChannel(roster, 'iso-b')]);
    const tagA = `a${crypto.randomBytes(3).toString('hex')}`;
    const tagB = `b${crypto.randomBytes(3).toString('hex')}`;
    const [provA, provB] = await Promise.all([provision(a, tagA), provision(b, tagB)]);

    for (const [channel, own, other, tag] of [
      [a, provA, provB, tagA],
      [b, provB, provA, tagB],
    ] as const) {
      const all = await channel.request('GET', '/Users?count=1000');
      expect(all.body.totalResults).toBe(80);
      expect(
        all.body.Resources.every(
          (u: { title: string; userName: string }) => u.title === tag && u.userName.startsWith(tag),
        ),
      ).toBe(true);
      const groups = await channel.request('GET', '/Groups?count=1000');
      expect(groups.body.totalResults).toBe(6);
      const memberIds = groups.body.Resources.flatMap((g: { members?: { value: string }[] }) =>
        (g.members ?? []).map((m) => m.value),
      ).sort();
      expect(memberIds).toEqual(own.users.map((u) => u.id).sort());

      // The other channel's ids are simply not there, for every operation.
      const foreignUser = other.users[0].id;
      const foreignGroup = other.groups[0].id;
      expect((await channel.request('GET', `/Users/${foreignUser}`)).status).toBe(404);
      expect((await channel.request('PUT', `/Users/${foreignUser}`, oktaUser())).status).toBe(404);
      expect(
        (
          await channel.request('PATCH', `/Users/${foreignUser}`, {
            schemas: [PATCH_OP],
            Operations: [{ op: 'replace', value: { active: false } }],
          })
        ).status,
      ).toBe(404);
      expect((await channel.request('DELETE', `/Users/${foreignUser}`)).status).toBe(404);
      expect((await channel.request('GET', `/Groups/${foreignGroup}`)).status).toBe(404);
      expect(
        (
          await channel.request('PATCH', `/Groups/${foreignGroup}`, {
            schemas: [PATCH_OP],
            Operations: [{ op: 'add', path: 'members', value: [{ value: own.users[0].id }] }],
          })
        ).status,
      ).toBe(404);
      expect((await channel.request('DELETE', `/Groups/${foreignGroup}`)).status).toBe(404);
      const byFilter = await channel.request(
        'GET',
        `/Users?filter=${encodeURIComponent(`id eq "${foreignUser}" or userName sw "${tag === tagA ? tagB : tagA}"`)}`,
      );
      expect(byFilter.body.totalResults).toBe(0);
      // A foreign user id pushed into one's own group is skipped like an unknown id.
      const push = await channel.request('PATCH', `/Groups/${own.groups[0].id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'add', path: 'members', value: [{ value: foreignUser }] }],
      });
      expect(push.status).toBe(204);
      const group = await channel.request('GET', `/Groups/${own.groups[0].id}`);
      expect(group.body.members.map((m: { value: string }) => m.value)).not.toContain(foreignUser);
    }
    // The same userName may exist in both channels.
    const shared = `shared.${tagA}@example.com`;
    expect((await a.request('POST', '/Users', oktaUser(shared))).status).toBe(201);
    expect((await b.request('POST', '/Users', oktaUser(shared))).status).toBe(201);
  });

  it('loses no member when many PATCHes change one group at once', async () => {
    const channel = await scimChannel(roster, 'iso-group');
    const users = await inParallel(
      Array.from({ length: 60 }, (_, i) => i),
      8,
      () => createUser(channel),
    );
    const group = await createGroup(channel, `Concurrent ${Date.now()}`);
    const statuses = await Promise.all(
      users.map((user) =>
        channel.request('PATCH', `/Groups/${group.id}`, {
          schemas: [PATCH_OP],
          Operations: [{ op: 'add', path: 'members', value: [{ value: user.id }] }],
        }),
      ),
    );
    expect(statuses.every((r) => r.status === 204)).toBe(true);
    const read = await channel.request('GET', `/Groups/${group.id}`);
    expect(read.body.members).toHaveLength(60);
    expect(read.body.meta.version).toBe('W/"61"');
  });

  it('gives exactly one 201 for concurrent POSTs of one userName (and of one group name)', async () => {
    const channel = await scimChannel(roster, 'iso-dup');
    const email = `race.${crypto.randomBytes(4).toString('hex')}@example.com`;
    const users = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        channel.request('POST', '/Users', oktaUser(i % 2 ? email : email.toUpperCase())),
      ),
    );
    expect(users.filter((r) => r.status === 201)).toHaveLength(1);
    expect(users.filter((r) => r.status === 409)).toHaveLength(11);
    const name = `Race ${Date.now()}`;
    const groups = await Promise.all(
      Array.from({ length: 8 }, () =>
        channel.request('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: name }),
      ),
    );
    expect(groups.filter((r) => r.status === 201)).toHaveLength(1);
    expect(groups.filter((r) => r.status === 409)).toHaveLength(7);
  });
});
