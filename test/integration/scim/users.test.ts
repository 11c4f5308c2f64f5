import {
  ENTERPRISE,
  ERROR,
  LIST_RESPONSE,
  PATCH_OP,
  USER_SCHEMA,
  createUser,
  oktaUser,
  scimChannel,
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

describe('SCIM Users', () => {
  it('creates a user: 201, Location, absolute meta.location, weak ETag, scim+json, no password', async () => {
    const email = uniqueEmail('ada');
    const response = await channel.request('POST', '/Users', oktaUser(email));
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const user = response.body;
    expect(user.schemas).toEqual([USER_SCHEMA]);
    expect(user.userName).toBe(email);
    expect(user.emails).toEqual([{ value: email, type: 'work', primary: true }]);
    expect(user.password).toBeUndefined();
    expect(user.active).toBe(true);
    expect(user.meta.location).toBe(`${roster.publicUrl}/scim/v2/Users/${user.id}`);
    expect(response.headers.get('location')).toBe(user.meta.location);
    expect(user.meta).toMatchObject({ resourceType: 'User', version: 'W/"1"' });
    expect(response.headers.get('etag')).toBe('W/"1"');
    expect(response.text).not.toContain('Okta-Generated');
  });

  it('round-trips every stored attribute, the enterprise extension included', async () => {
    const email = uniqueEmail('full');
    const body = {
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: email,
      name: {
        formatted: 'Ms. Full Name III',
        givenName: 'Full',
        familyName: 'Name',
        middleName: 'M',
        honorificPrefix: 'Ms.',
        honorificSuffix: 'III',
      },
      displayName: 'Full Name',
      nickName: 'Fully',
      profileUrl: 'https://example.com/full',
      title: 'Engineer',
      userType: 'Employee',
      preferredLanguage: 'en-US',
      locale: 'en-US',
      timezone: 'Europe/Paris',
      emails: [
        { value: email, type: 'work', primary: true },
        { value: 'home@example.org', type: 'home' },
      ],
      phoneNumbers: [
        { value: '+1 555 0100', type: 'work' },
        { value: '+1 555 0101', type: 'mobile' },
      ],
      addresses: [
        {
          type: 'work',
          streetAddress: '1 Main St',
          locality: 'Springfield',
          region: 'IL',
          postalCode: '62701',
          country: 'US',
          formatted: '1 Main St',
          primary: true,
        },
      ],
      ims: [{ value: 'full', type: 'skype' }],
      photos: [{ value: 'https://example.com/p.jpg', type: 'photo' }],
      entitlements: [{ value: 'e1' }],
      roles: [{ value: 'r1', primary: true }],
      x509Certificates: [{ value: 'MIIB' }],
      [ENTERPRISE]: {
        employeeNumber: '701984',
        costCenter: '4130',
        organization: 'Universal',
        division: 'Theme Park',
        department: 'Tour Ops',
        manager: { value: 'm-1', displayName: 'ignored (readOnly)' },
      },
      shoeSize: 44,
    };
    const created = await channel.request('POST', '/Users', body);
    expect(created.status).toBe(201);
    const read = await channel.request('GET', `/Users/${created.body.id}`);
    const { shoeSize: _ignored, ...expected } = body;
    expect(read.body).toMatchObject({ ...expected, [ENTERPRISE]: { ...body[ENTERPRISE], manager: { value: 'm-1' } } });
    expect(read.body.shoeSize).toBeUndefined();
    expect(read.body.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
  });

  it('refuses userName and primary email that differ, with a detail that says why', async () => {
    const response = await channel.request(
      'POST',
      '/Users',
      oktaUser(uniqueEmail(), { emails: [{ value: uniqueEmail(), primary: true }] }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
    expect(response.body.detail).toMatch(/userName.*email/);
  });

  it('refuses a userName that is not an email address', async () => {
    const response = await channel.request('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'not an email' });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidValue');
  });

  it('answers 409 uniqueness for a duplicate userName in any letter case, inactive users included', async () => {
    const email = uniqueEmail('dup');
    const first = await createUser(channel, email, { active: false });
    const again = await channel.request('POST', '/Users', oktaUser(email.toUpperCase()));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect(first.active).toBe(false);
  });

  it('finds a user by userName in any letter case, with integer paging fields', async () => {
    const email = uniqueEmail('Case');
    const user = await createUser(channel, email);
    const found = await channel.request(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "${email.toUpperCase()}"`)}&startIndex=1&count=100`,
    );
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 1, itemsPerPage: 1, startIndex: 1 });
    expect(found.body.Resources[0].id).toBe(user.id);
  });

  it('PUT replaces the profile, ignoring id, meta and groups in the body (Okta profile update)', async () => {
    const user = await createUser(channel);
    const read = await channel.request('GET', `/Users/${user.id}`);
    const updated = { ...read.body, name: { givenName: 'New', familyName: 'Name' }, title: 'Boss', groups: [] };
    const put = await channel.request('PUT', `/Users/${user.id}`, updated);
    expect(put.status).toBe(200);
    expect(put.body.name).toEqual({ givenName: 'New', familyName: 'Name' });
    expect(put.body.title).toBe('Boss');
    expect(put.body.meta.version).toBe('W/"2"');
  });

  it('PUT that changes userName and email together moves the address; differing values are refused', async () => {
    const user = await createUser(channel);
    const moved = uniqueEmail('moved');
    const put = await channel.request('PUT', `/Users/${user.id}`, oktaUser(moved));
    expect(put.status).toBe(200);
    expect(put.body.userName).toBe(moved);
    const refused = await channel.request(
      'PUT',
      `/Users/${user.id}`,
      oktaUser(moved, { emails: [{ value: uniqueEmail(), primary: true }] }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.scimType).toBe('invalidValue');
  });

  it('deactivates and reactivates with a pathless replace (Okta)', async () => {
    const user = await createUser(channel);
    const off = await channel.request('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const on = await channel.request('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(on.body.active).toBe(true);
    const filtered = await channel.request(
      'GET',
      `/Users?filter=${encodeURIComponent(`active eq false and userName eq "${user.userName}"`)}`,
    );
    expect(filtered.body.totalResults).toBe(0);
  });

  it('PATCH changing userName carries the primary email along', async () => {
    const user = await createUser(channel);
    const moved = uniqueEmail('renamed');
    const response = await channel.request('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'userName', value: moved }],
    });
    expect(response.status).toBe(200);
    expect(response.body.userName).toBe(moved);
    expect(response.body.emails[0]).toMatchObject({ value: moved, primary: true });
  });

  it('PATCH is atomic: one bad operation changes nothing', async () => {
    const user = await createUser(channel);
    const response = await channel.request('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'title', value: 'Changed' },
        { op: 'replace', path: 'shoeSize', value: 1 },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.scimType).toBe('invalidPath');
    const read = await channel.request('GET', `/Users/${user.id}`);
    expect(read.body.title).toBeUndefined();
    expect(read.body.meta.version).toBe('W/"1"');
  });

  it('honours If-Match (412 on a stale version) and If-None-Match (304)', async () => {
    const user = await createUser(channel);
    const stale = await channel.request(
      'PATCH',
      `/Users/${user.id}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
      { 'if-match': 'W/"7"' },
    );
    expect(stale.status).toBe(412);
    const fresh = await channel.request(
      'PATCH',
      `/Users/${user.id}`,
      { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
      { 'if-match': 'W/"1"' },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('W/"2"');
    const cached = await channel.request('GET', `/Users/${user.id}`, undefined, { 'if-none-match': 'W/"2"' });
    expect(cached.status).toBe(304);
    const changed = await channel.request('GET', `/Users/${user.id}`, undefined, { 'if-none-match': 'W/"1"' });
    expect(changed.status).toBe(200);
  });

  it('DELETE: 204, then 404 everywhere, absent from lists, and the userName can be created again', async () => {
    const email = uniqueEmail('gone');
    const user = await createUser(channel, email);
    expect((await channel.request('DELETE', `/Users/${user.id}`)).status).toBe(204);
    for (const [method, body] of [
      ['GET'],
      ['PUT', oktaUser(email)],
      ['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }],
      ['DELETE'],
    ] as const) {
      const response = await channel.request(method, `/Users/${user.id}`, body);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '404' });
    }
    const listed = await channel.request('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    expect(listed.body.totalResults).toBe(0);
    const again = await channel.request('POST', '/Users', oktaUser(email));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(user.id);
  });

  it('answers 404 for unknown ids, including ones that are not UUIDs', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1']) {
      const response = await channel.request('GET', `/Users/${id}`);
      expect(response.status).toBe(404);
      expect(response.body.status).toBe('404');
    }
  });

  it('projects attributes and excludedAttributes; id is always returned', async () => {
    const user = await createUser(channel);
    const only = await channel.request('GET', `/Users/${user.id}?attributes=userName,name.givenName`);
    expect(Object.keys(only.body).sort()).toEqual(['id', 'name', 'schemas', 'userName']);
    expect(Object.keys(only.body.name)).toEqual(['givenName']);
    const without = await channel.request('GET', `/Users/${user.id}?excludedAttributes=emails,meta,id`);
    expect(without.body.emails).toBeUndefined();
    expect(without.body.meta).toBeUndefined();
    expect(without.body.id).toBe(user.id);
  });
});
