import {
  ERROR,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  PATCH_OP,
  USER_SCHEMA,
  createGroup,
  createUser,
  oktaUser,
  scimChannel,
  scimRequest,
  startTestRoster,
  uniqueEmail,
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

const q = (filter: string) => encodeURIComponent(filter);

describe('SCIM lists and filters', () => {
  let tag: string;
  let ids: string[];
  beforeAll(async () => {
    tag = `list${Date.now()}`;
    ids = [];
    for (const [i, title] of ['Beta', 'alpha', 'Gamma', 'delta', '50% off'].entries()) {
      const user = await createUser(channel, `${tag}.${i}@example.com`, {
        title,
        active: i !== 3,
        phoneNumbers: [{ value: `+1 555 010${i}`, type: i % 2 ? 'mobile' : 'work' }],
        emails: [
          { value: `${tag}.${i}@example.com`, type: 'work', primary: true },
          { value: `${tag}.${i}@home.example.org`, type: 'home' },
        ],
      });
      ids.push(user.id);
    }
  });

  const list = async (query: string) => {
    const response = await channel.request('GET', `/Users?${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('pages with startIndex/count in a stable order, with integer fields', async () => {
    const first = await list(`filter=${q(`userName sw "${tag}"`)}&startIndex=1&count=2`);
    const second = await list(`filter=${q(`userName sw "${tag}"`)}&startIndex=3&count=2`);
    const third = await list(`filter=${q(`userName sw "${tag}"`)}&startIndex=5&count=2`);
    expect(first).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 5, itemsPerPage: 2, startIndex: 1 });
    expect(third).toMatchObject({ totalResults: 5, itemsPerPage: 1, startIndex: 5 });
    expect([...first.Resources, ...second.Resources, ...third.Resources].map((u: { id: string }) => u.id)).toEqual(ids);
  });

  it('sorts by sortBy/sortOrder, case-insensitively for case-insensitive attributes', async () => {
    const ascending = await list(`filter=${q(`userName sw "${tag}"`)}&sortBy=title&sortOrder=ascending`);
    expect(ascending.Resources.map((u: { title: string }) => u.title)).toEqual([
      '50% off',
      'alpha',
      'Beta',
      'delta',
      'Gamma',
    ]);
    const descending = await list(`filter=${q(`userName sw "${tag}"`)}&sortBy=title&sortOrder=descending`);
    expect(descending.Resources.map((u: { title: string }) => u.title)).toEqual([
      'Gamma',
      'delta',
      'Beta',
      'alpha',
      '50% off',
    ]);
  });

  it('pages with RFC 9865 cursors until there is no nextCursor', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = await list(`filter=${q(`userName sw "${tag}"`)}&count=2&cursor=${cursor}`);
      expect(page.totalResults).toBe(5);
      expect(page.startIndex).toBeUndefined();
      seen.push(...page.Resources.map((u: { id: string }) => u.id));
      if (!page.nextCursor) break;
      cursor = encodeURIComponent(page.nextCursor);
    }
    expect(seen).toEqual(ids);
    const bad = await channel.request('GET', `/Users?cursor=garbage`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidCursor');
  });

  it.each([
    ['title eq "ALPHA"', [1]],
    ['title co "%"', [4]],
    ['title sw "g" or title ew "TA"', [0, 2, 3]],
    ['not (title eq "alpha") and active eq true', [0, 2, 4]],
    ['active eq false', [3]],
    ['phoneNumbers[type eq "mobile" and value ew "3"]', [3]],
    ['emails[type eq "home" and value co "home.example"] and title eq "beta"', [0]],
    ['emails.value eq "TAG.2@HOME.EXAMPLE.ORG"', [2]],
    ['title gt "Beta" and title lt "Gamma"', [3]],
    ['meta.created ge "2000-01-01T00:00:00Z" and title pr and title eq "Gamma"', [2]],
    ['urn:ietf:params:scim:schemas:core:2.0:User:title eq "delta"', [3]],
    ['TITLE EQ "gamma"', [2]],
    ['title eq Gamma', [2]],
  ])('filters %s', async (filter, expected) => {
    const result = await list(`filter=${q(`userName sw "${tag}" and (${filter.replace('TAG', tag)})`)}`);
    expect(result.Resources.map((u: { id: string }) => ids.indexOf(u.id)).sort()).toEqual(expected);
  });

  it('searches with POST /Users/.search and POST /.search', async () => {
    const body = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: `userName sw "${tag}" and title eq "alpha"`,
      attributes: ['userName'],
      startIndex: 1,
      count: 10,
    };
    const users = await channel.request('POST', '/Users/.search', body);
    expect(users.status).toBe(200);
    expect(users.body.Resources).toEqual([{ schemas: [USER_SCHEMA], id: ids[1], userName: `${tag}.1@example.com` }]);
    const root = await channel.request('POST', '/.search', body);
    expect(root.status).toBe(200);
    expect(root.body.totalResults).toBe(1);
  });

  it('lowers an absurd count to the advertised maximum and reads startIndex < 1 as 1', async () => {
    const result = await list(`filter=${q(`userName sw "${tag}"`)}&count=100000000&startIndex=-5`);
    expect(result).toMatchObject({ startIndex: 1, itemsPerPage: 5 });
    const none = await list(`filter=${q(`userName sw "${tag}"`)}&count=0`);
    expect(none).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
  });
});

describe('SCIM errors and limits', () => {
  it.each([
    ['filter=userName eq', 'invalidFilter'],
    ['filter=shoeSize eq "9"', 'invalidFilter'],
    ['filter=' + '('.repeat(200) + 'userName pr' + ')'.repeat(200), 'invalidFilter'],
    ['filter=' + Array.from({ length: 500 }, (_, i) => `title eq "${i}"`).join(' or '), 'invalidFilter'],
    ['filter=meta.created gt "soon"', 'invalidFilter'],
    ['count=ten', 'invalidValue'],
    ['startIndex=1e400', 'invalidValue'],
    ['sortBy=nope', 'invalidValue'],
    ['sortOrder=sideways', 'invalidValue'],
  ])('GET /Users with bad parameters (case %#) is 400', async (query, scimType) => {
    const response = await channel.request('GET', `/Users?${query.replace(/ /g, '%20').replace(/"/g, '%22')}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
    expect(typeof response.body.detail).toBe('string');
  });

  it.each([
    ['not JSON', '{"schemas": [', 'invalidSyntax'],
    ['an empty body', '', 'invalidSyntax'],
    ['a JSON array', '[]', 'invalidSyntax'],
    ['no schemas', JSON.stringify({ userName: 'a@example.com' }), 'invalidSyntax'],
    ['a Group schema', JSON.stringify({ schemas: [GROUP_SCHEMA], userName: 'a@example.com' }), 'invalidSyntax'],
    [
      'a wrong type',
      JSON.stringify({ schemas: [USER_SCHEMA], userName: 'a@example.com', active: 'sometimes' }),
      'invalidValue',
    ],
    [
      'a list for a string',
      JSON.stringify({ schemas: [USER_SCHEMA], userName: ['a@example.com', 'b@example.com'] }),
      'invalidValue',
    ],
    [
      'an object for name',
      JSON.stringify({ schemas: [USER_SCHEMA], userName: 'a@example.com', name: 'A' }),
      'invalidValue',
    ],
    ['no userName', JSON.stringify({ schemas: [USER_SCHEMA], name: { givenName: 'A' } }), 'invalidValue'],
  ])('POST /Users with %s is 400 and creates nothing', async (_what, body, scimType) => {
    const response = await channel.request('POST', '/Users', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
  });

  it('answers 400, never 500, to malformed PATCH bodies', async () => {
    const user = await createUser(channel);
    for (const body of [
      {},
      { schemas: [PATCH_OP] },
      { schemas: [PATCH_OP], Operations: 'replace' },
      { schemas: [PATCH_OP], Operations: [null] },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name', value: [1, 2] }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'add', value: 'not an object' }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'userName' }] },
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'meta.created', value: 'x' }] },
    ]) {
      const response = await channel.request('PATCH', `/Users/${user.id}`, body);
      expect([response.status, body]).toEqual([400, body]);
      expect(response.body.schemas).toEqual([ERROR]);
    }
    const group = await createGroup(channel, `Bad patches ${user.id}`);
    for (const Operations of [
      [{ op: 'add', path: 'members', value: [{ display: 'no value' }] }],
      [{ op: 'remove', path: 'members[display eq "x"]' }],
      [{ op: 'remove', path: 'displayName' }],
      [{ op: 'replace', path: 'members.value', value: 'x' }],
    ]) {
      const response = await channel.request('PATCH', `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations });
      expect([response.status, Operations]).toEqual([400, Operations]);
    }
    const nameless = await channel.request('PUT', `/Groups/${group.id}`, { schemas: [GROUP_SCHEMA], members: [] });
    expect(nameless.status).toBe(400);
    expect(nameless.body.scimType).toBe('invalidValue');
  });

  it('answers 401 in the SCIM error format with WWW-Authenticate, for no, wrong and revoked tokens', async () => {
    for (const authorization of [
      undefined,
      'non-token',
      'Bearer nope',
      `Basic ${Buffer.from('a:b').toString('base64')}`,
    ]) {
      const response = await scimRequest(
        `${channel.base}/Users`,
        'GET',
        null,
        undefined,
        authorization ? { authorization } : {},
      );
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '401' });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const other = await scimChannel(roster, 'revoked');
    expect((await other.request('GET', '/Users')).status).toBe(200);
    const revoked = await roster.graphql(other.adminApiKey, `mutation($id: ID!) { revokeScimToken(id: $id) { id } }`, {
      id: other.tokenId,
    });
    expect(revoked.errors).toBeUndefined();
    expect((await other.request('GET', '/Users')).status).toBe(401);
  });

  it('answers 413 for bodies over 8 MB, and accepts a large body under it', async () => {
    const big = JSON.stringify({ schemas: [USER_SCHEMA], userName: uniqueEmail(), title: 'x'.repeat(9 * 1024 * 1024) });
    const response = await channel.request('POST', '/Users', big);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ schemas: [ERROR], status: '413' });
    const members = Array.from({ length: 50_000 }, (_, i) => ({
      value: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      display: `Member number ${i}`,
    }));
    const put = await channel.request('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Huge ${Date.now()}`,
      members,
    });
    expect(put.status).toBe(201);
  });

  it('accepts application/json as well as application/scim+json, and answers scim+json', async () => {
    const response = await channel.request('POST', '/Users', oktaUser(), { 'content-type': 'application/json' });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  });

  it('serves paths built from a base URL with a trailing slash ("//Users")', async () => {
    const response = await channel.request('GET', '//Users?count=1');
    expect(response.status).toBe(200);
    expect(response.body.schemas).toEqual([LIST_RESPONSE]);
  });

  it('answers 404 in the SCIM format for unknown endpoints', async () => {
    const response = await channel.request('GET', '/Widgets');
    expect(response.status).toBe(404);
    expect(response.body.schemas).toEqual([ERROR]);
  });

  it('limits requests per token with 429 and Retry-After', async () => {
    const limited = await startTestRoster({ ROSTER_SCIM_RATE_LIMIT: '5' });
    try {
      const small = await scimChannel(limited, 'limited');
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 8; i++) {
        const response = await small.request('GET', '/ServiceProviderConfig');
        statuses.push(response.status);
        if (response.status === 429) {
          retryAfter = response.headers.get('retry-after');
          expect(response.body).toMatchObject({ schemas: [ERROR], status: '429' });
        }
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});

describe('SCIM discovery', () => {
  it('advertises PATCH, filter, sort, ETags, both paging methods and the maximum page size', async () => {
    const response = await channel.request('GET', '/ServiceProviderConfig');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 1000 },
      sort: { supported: true },
      etag: { supported: true },
      pagination: { cursor: true, index: true, maxPageSize: 1000 },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
    });
  });

  it('lists the resource types and schemas, generated from the declarations', async () => {
    const types = await channel.request('GET', '/ResourceTypes');
    expect(types.body.Resources.map((t: { id: string }) => t.id)).toEqual(['User', 'Group']);
    expect(types.body.Resources[0].schemaExtensions).toEqual([
      { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
    ]);
    const schemas = await channel.request('GET', '/Schemas');
    expect(schemas.body.totalResults).toBe(3);
    const user = await channel.request('GET', `/Schemas/${USER_SCHEMA}`);
    const userName = user.body.attributes.find((a: { name: string }) => a.name === 'userName');
    expect(userName).toMatchObject({
      type: 'string',
      required: true,
      caseExact: false,
      uniqueness: 'server',
      mutability: 'readWrite',
    });
    const emails = user.body.attributes.find((a: { name: string }) => a.name === 'emails');
    expect(emails.subAttributes.map((a: { name: string }) => a.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect((await channel.request('GET', '/ResourceTypes/Group')).body.endpoint).toBe('/Groups');
    expect((await channel.request('GET', '/Schemas/urn:nope')).status).toBe(404);
  });
});
