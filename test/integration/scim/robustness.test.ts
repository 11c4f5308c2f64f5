/**
 * Never a 500 on client input: generated malformed filters, paths, values and bodies (a fixed seed, so that a
 * failure reproduces) all get a 2xx or a 4xx in the SCIM error format, and nothing else.
 */
import {
  ERROR,
  GROUP_SCHEMA,
  PATCH_OP,
  USER_SCHEMA,
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
  channel = await scimChannel(roster, 'fuzz');
});
afterAll(() => roster.close());

jest.setTimeout(120_000);

function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return {
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

const ATOMS = [
  'userName',
  'emails',
  'emails.value',
  'name.givenName',
  'meta.created',
  'meta.lastModified',
  'active',
  'id',
  'groups',
  'members',
  'members.value',
  'title',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
  'urn:ietf:params:scim:schemas:core:2.0:User:userName',
  'x',
  '$ref',
  'name',
  'phoneNumbers.type',
  'displayName',
  'eq',
  'ne',
  'co',
  'sw',
  'ew',
  'gt',
  'ge',
  'lt',
  'le',
  'pr',
  'and',
  'or',
  'not',
  '(',
  ')',
  '[',
  ']',
  '"a"',
  '"%_\\\\"',
  '"2026-01-01T00:00:00Z"',
  'true',
  'false',
  'null',
  '12',
  '-1.5e3',
  '"\\u0000"',
  '"',
  '.',
  'emails[type',
  'eq"x"',
  "'x'",
];

async function expectNoServerError(method: string, path: string, body?: unknown) {
  const response = await channel.request(method, path, body);
  if (response.status >= 500 || (response.status >= 400 && response.body?.schemas?.[0] !== ERROR)) {
    throw new Error(
      `${method} ${path} ${JSON.stringify(body)?.slice(0, 300)} -> ${response.status} ${response.text.slice(0, 300)}`,
    );
  }
  return response;
}

describe('SCIM robustness', () => {
  it('answers every generated filter with 200 or 400, on users and groups', async () => {
    const { pick, chance } = random(7);
    for (let i = 0; i < 400; i++) {
      const length = 1 + (i % 9);
      const filter = Array.from({ length }, () => pick(ATOMS)).join(chance(0.2) ? '' : ' ');
      const resource = i % 3 === 0 ? 'Groups' : 'Users';
      await expectNoServerError(
        'GET',
        `/${resource}?filter=${encodeURIComponent(filter)}&sortBy=${encodeURIComponent(pick(ATOMS))}`,
      );
    }
  });

  it('answers every generated PATCH with 200/204 or 400, and malformed values of every attribute with 400', async () => {
    const { pick, chance } = random(11);
    const user = await createUser(channel);
    const group = await createGroup(channel, `Fuzz ${user.id}`, [user.id]);
    const values: unknown[] = [
      null,
      true,
      'False',
      0,
      -1,
      1e308,
      '',
      'x',
      [],
      [null],
      [{}],
      {},
      { value: 1 },
      [{ value: user.id }],
      [[['deep']]],
      { a: { b: { c: 1 } } },
    ];
    for (let i = 0; i < 300; i++) {
      const path = chance(0.15)
        ? undefined
        : Array.from({ length: 1 + (i % 4) }, () => pick(ATOMS)).join(chance(0.5) ? '' : ' ');
      const operation: Record<string, unknown> = { op: pick(['add', 'replace', 'remove', 'Replace', 'ADD', 'move']) };
      if (path !== undefined) operation.path = path;
      if (chance(0.9))
        operation.value = chance(0.3) && path === undefined ? { [pick(ATOMS)]: pick(values) } : pick(values);
      const target = i % 2 ? `/Users/${user.id}` : `/Groups/${group.id}`;
      await expectNoServerError('PATCH', target, { schemas: [PATCH_OP], Operations: [operation] });
    }
    const read = await expectNoServerError('GET', `/Users/${user.id}`);
    expect(read.status).toBe(200);
  });

  it('answers POST and PUT bodies with wrong types in every attribute with 201/200 or 400', async () => {
    const { pick } = random(13);
    const user = await createUser(channel);
    const attributes = [
      'userName',
      'name',
      'displayName',
      'emails',
      'phoneNumbers',
      'addresses',
      'active',
      'externalId',
      'groups',
      'roles',
      'x509Certificates',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
      'schemas',
      'meta',
      'id',
    ];
    const values: unknown[] = [
      null,
      true,
      'True',
      42,
      '',
      'not-an-email',
      [],
      [1, 2],
      [{ value: [] }],
      {},
      { value: {} },
      { givenName: ['a'] },
      [{ primary: 'yes' }],
      { manager: 7 },
      { employeeNumber: { x: 1 } },
    ];
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = { schemas: [USER_SCHEMA], userName: `fuzz.${i}@example.com` };
      body[pick(attributes)] = pick(values);
      await expectNoServerError(i % 2 ? 'POST' : 'PUT', i % 2 ? '/Users' : `/Users/${user.id}`, body);
      await expectNoServerError('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: pick(values),
        members: pick(values),
      });
    }
  });

  it('refuses what PostgreSQL cannot store or compare with a 4xx: NUL characters, forged cursors, huge versions, huge names', async () => {
    const user = await createUser(channel);
    const nul = 'a\u0000b';
    for (const [method, path, body] of [
      ['GET', `/Users?filter=${encodeURIComponent('userName eq "a\\u0000b"')}`],
      ['GET', `/Users?filter=${encodeURIComponent(`title co "${nul}"`)}&attributes=${encodeURIComponent(nul)}`],
      ['POST', '/Users', { schemas: [USER_SCHEMA], userName: `${nul}@example.com` }],
      ['POST', '/Users', { schemas: [USER_SCHEMA], userName: `nul.${user.id}@example.com`, title: nul }],
      [
        'PATCH',
        `/Users/${user.id}`,
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: nul }] },
      ],
      ['POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: nul }],
      ['POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: '\u{1F600}'.repeat(700) }],
      ['GET', `/Users?cursor=${Buffer.from(`9999-99-99T99:99:99Z|${user.id}`).toString('base64url')}`],
    ] as const) {
      const response = await expectNoServerError(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 400]);
    }
    const stale = await channel.request(
      'PATCH',
      `/Users/${user.id}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
      { 'if-match': 'W/"99999999999"' },
    );
    expect(stale.status).toBe(412);
  });
});
