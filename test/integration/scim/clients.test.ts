/**
 * Each identity provider's requests, as that client sends them (headers, bodies, order), and what it needs back.
 * Includes Okta's published "SCIM 2.0 Spec Test" and "CRUD Test" cases and Microsoft's SCIM validator cases,
 * transcribed as our own tests.
 */
import crypto from 'node:crypto';
import {
  ENTERPRISE,
  ERROR,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  PATCH_OP,
  USER_SCHEMA,
  createUser,
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
  channel = await scimChannel(roster, 'idp');
});
afterAll(() => roster.close());

const okta = (method: string, path: string, body?: unknown) =>
  scimRequest(`${channel.base}${path}`, method, channel.token, body, {
    'user-agent': 'Okta SCIM Client 1.0.0',
    accept: 'application/scim+json',
    ...(body ? { 'content-type': 'application/scim+json; charset=utf-8' } : {}),
  });
const entra = (method: string, path: string, body?: unknown) =>
  scimRequest(`${channel.base}${path}`, method, channel.token, body, {
    'user-agent': 'Microsoft.Identity.Provisioning',
    accept: 'application/scim+json',
    ...(body ? { 'content-type': 'application/scim+json' } : {}),
  });
const plainJson = (method: string, path: string, body?: unknown) =>
  scimRequest(`${channel.base}${path}`, method, channel.token, body, {
    accept: 'application/json',
    ...(body ? { 'content-type': 'application/json' } : {}),
  });

const filter = (text: string) => `filter=${encodeURIComponent(text)}`;

describe('Okta', () => {
  it('provisions a user: lookup, create with a password, read, PUT profile update, deactivate, reactivate', async () => {
    const email = uniqueEmail('okta.user');
    const lookup = await okta('GET', `/Users?${filter(`userName eq "${email}"`)}&startIndex=1&count=100`);
    expect(lookup.status).toBe(200);
    expect(lookup.body).toEqual({
      schemas: [LIST_RESPONSE],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });

    const created = await okta('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: email,
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: email, type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    expect(created.status).toBe(201);
    expect(created.body.password).toBeUndefined();
    const id = created.body.id;

    const read = await okta('GET', `/Users/${id}`);
    expect(read.body).toMatchObject({
      id,
      userName: email,
      active: true,
      name: { givenName: 'Test', familyName: 'User' },
    });

    // Okta's profile push: GET, then PUT of the whole resource as it read it (id, meta, groups: [] included).
    const put = await okta('PUT', `/Users/${id}`, {
      ...read.body,
      name: { givenName: 'Tested', familyName: 'User' },
      groups: [],
      password: 'x1',
    });
    expect(put.status).toBe(200);
    expect(put.body.name.givenName).toBe('Tested');

    const off = await okta('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const on = await okta('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(on.body.active).toBe(true);

    const events = await roster.graphql(
      channel.adminApiKey,
      `query($t: ID) { channel { auditEvents(first: 20, targetId: $t) { nodes { action actorType } } } }`,
      { t: id },
    );
    expect(events.data.channel.auditEvents.nodes.map((e: { action: string }) => e.action)).toEqual([
      'user.reactivated',
      'user.deactivated',
      'user.updated',
      'user.created',
    ]);
    expect(
      events.data.channel.auditEvents.nodes.every((e: { actorType: string }) => e.actorType === 'scim_token'),
    ).toBe(true);
  });

  it('pushes a group: link by displayName, create, rename with the id in the value, member add/remove, full replace, delete', async () => {
    const users = await Promise.all([createUser(channel), createUser(channel), createUser(channel)]);
    const name = `Test SCIMv2 ${crypto.randomBytes(3).toString('hex')}`;
    const lookup = await okta('GET', `/Groups?${filter(`displayName eq "${name}"`)}&startIndex=1&count=100`);
    expect(lookup.body.totalResults).toBe(0);

    const created = await okta('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: name, members: [] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (await okta('GET', `/Groups?${filter(`displayName eq "${name}"`)}&startIndex=1&count=100`)).body.Resources[0].id,
    ).toBe(id);

    const renamed = await okta('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { id, displayName: `${name} v2` } }],
    });
    expect(renamed.status).toBe(204);

    const add = await okta('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: users.map((u) => ({ value: u.id, display: u.userName })) }],
    });
    expect(add.status).toBe(204);
    const both = await okta('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'remove', path: `members[value eq "${users[0].id}"]` },
        { op: 'add', path: 'members', value: [{ value: users[0].id, display: users[0].userName }] },
        { op: 'remove', path: `members[value eq "${users[1].id}"]` },
      ],
    });
    expect(both.status).toBe(204);
    let read = await okta('GET', `/Groups/${id}`);
    expect(read.body.displayName).toBe(`${name} v2`);
    expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual([users[0].id, users[2].id].sort());

    const replace = await okta('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'members', value: [{ value: users[1].id }] }],
    });
    expect(replace.status).toBe(204);
    read = await okta('GET', `/Groups/${id}`);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([users[1].id]);

    expect((await okta('DELETE', `/Groups/${id}`)).status).toBe(204);
    expect((await okta('GET', `/Groups/${id}`)).status).toBe(404);
  });

  it('pushes up to 1000 member changes in one PATCH', async () => {
    const users = [];
    for (let i = 0; i < 40; i++) users.push(await createUser(channel));
    const created = await okta('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `Bulk ${Date.now()}`,
      members: [],
    });
    const ghosts = Array.from({ length: 960 }, () => ({ value: crypto.randomUUID() }));
    const response = await okta('PATCH', `/Groups/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [...users.map((u) => ({ value: u.id })), ...ghosts] }],
    });
    expect(response.status).toBe(204);
    const read = await okta('GET', `/Groups/${created.body.id}`);
    expect(read.body.members).toHaveLength(40);
  });

  describe('SCIM 2.0 Spec Test', () => {
    let specUser: { id: string; userName: string };
    beforeAll(async () => {
      specUser = await createUser(channel, uniqueEmail('spec'));
    });

    it('Test Users endpoint: GET /Users?count=1&startIndex=1 returns a user with names and an email', async () => {
      const response = await okta('GET', '/Users?count=1&startIndex=1');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/application\/(scim\+)?json/);
      expect(response.body.schemas).toEqual([LIST_RESPONSE]);
      expect(Number.isInteger(response.body.totalResults)).toBe(true);
      expect(response.body.Resources).toHaveLength(1);
      const user = response.body.Resources[0];
      expect(user.id).toBeTruthy();
      expect(user.name.familyName).toBeTruthy();
      expect(user.name.givenName).toBeTruthy();
      expect(user.userName).toBeTruthy();
      expect(typeof user.active).toBe('boolean');
      expect(user.emails[0].value).toBeTruthy();
    });

    it('Get Users/{{id}}', async () => {
      const response = await okta('GET', `/Users/${specUser.id}`);
      expect(response.status).toBe(200);
      expect(response.body.id).toBe(specUser.id);
    });

    it('Test invalid User by username', async () => {
      const response = await okta(
        'GET',
        `/Users?${filter(`userName eq "invalid-${crypto.randomUUID()}@example.com"`)}`,
      );
      expect(response.status).toBe(200);
      expect(response.body.totalResults).toBe(0);
    });

    it('Test invalid User by ID', async () => {
      const response = await okta('GET', `/Users/${crypto.randomUUID()}`);
      expect(response.status).toBe(404);
      expect(response.body.schemas).toEqual([ERROR]);
      expect(response.body.detail).toBeTruthy();
    });

    it('Make sure random user does not exist, create it with realistic values, verify, and expect 409 when recreating', async () => {
      const email = uniqueEmail('random');
      expect((await okta('GET', `/Users?${filter(`userName eq "${email}"`)}`)).body.totalResults).toBe(0);
      const body = {
        schemas: [USER_SCHEMA],
        userName: email,
        name: { givenName: 'Random', familyName: 'Person' },
        emails: [{ primary: true, value: email, type: 'work' }],
        displayName: 'Random Person',
        active: true,
      };
      const created = await okta('POST', '/Users', body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        userName: email,
        active: true,
        name: body.name,
        displayName: body.displayName,
      });
      const verify = await okta('GET', `/Users?${filter(`userName eq "${email}"`)}`);
      expect(verify.body.Resources[0].id).toBe(created.body.id);
      const again = await okta('POST', '/Users', body);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ schemas: [ERROR], status: '409', scimType: 'uniqueness' });
    });

    it('Username Case Sensitivity Check', async () => {
      const response = await okta('GET', `/Users?${filter(`userName eq "${specUser.userName.toUpperCase()}"`)}`);
      expect(response.body.totalResults).toBe(1);
    });

    it('Optional Test: Verify Groups endpoint', async () => {
      const response = await okta('GET', '/Groups?count=1&startIndex=1');
      expect(response.status).toBe(200);
      expect(response.body.schemas).toEqual([LIST_RESPONSE]);
    });

    it('Check status 401', async () => {
      const response = await scimRequest(`${channel.base}/Users`, 'GET', null, undefined, {
        authorization: 'non-token',
      });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ schemas: [ERROR], status: '401' });
    });
  });

  describe('CRUD Test', () => {
    it('creates, reads, updates, deactivates and reads back a user; creates, updates and deletes a group', async () => {
      const email = uniqueEmail('crud');
      const created = await okta('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: email,
        name: { givenName: 'Crud', familyName: 'Test' },
        emails: [{ primary: true, value: email, type: 'work' }],
        active: true,
        password: 'P@ssw0rd!',
      });
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect((await okta('GET', `/Users/${id}`)).body.userName).toBe(email);
      const updated = await okta('PUT', `/Users/${id}`, {
        ...created.body,
        name: { givenName: 'Crudder', familyName: 'Test' },
      });
      expect(updated.body.name.givenName).toBe('Crudder');
      const deactivated = await okta('PATCH', `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', value: { active: false } }],
      });
      expect(deactivated.body.active).toBe(false);
      expect((await okta('GET', `/Users/${id}`)).body.active).toBe(false);

      const group = await okta('POST', '/Groups', {
        schemas: [GROUP_SCHEMA],
        displayName: `CRUD group ${id}`,
        members: [{ value: id }],
      });
      expect(group.status).toBe(201);
      const renamed = await okta('PUT', `/Groups/${group.body.id}`, {
        ...group.body,
        displayName: `CRUD group ${id} renamed`,
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.displayName).toBe(`CRUD group ${id} renamed`);
      expect(renamed.body.members.map((m: { value: string }) => m.value)).toEqual([id]);
      expect((await okta('DELETE', `/Groups/${group.body.id}`)).status).toBe(204);
    });
  });
});

describe('Microsoft Entra ID', () => {
  const entraUser = (userName: string) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: crypto.randomUUID(),
    userName,
    active: true,
    displayName: 'Test User',
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    roles: [],
    [ENTERPRISE]: { employeeNumber: '1', department: 'Dept' },
  });

  it('validator: create, filter (also in another case and for a non-existing user), get, duplicate', async () => {
    const userName = `Test_User_${crypto.randomUUID()}@contoso.com`;
    const created = await entra('POST', '/Users', entraUser(userName));
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE]).toEqual({ employeeNumber: '1', department: 'Dept' });
    const found = await entra('GET', `/Users?${filter(`userName eq "${userName}"`)}`);
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    expect((await entra('GET', `/Users?${filter(`userName eq "${userName.toUpperCase()}"`)}`)).body.totalResults).toBe(
      1,
    );
    expect(
      (await entra('GET', `/Users?${filter(`userName eq "Test_User_${crypto.randomUUID()}@contoso.com"`)}`)).body
        .totalResults,
    ).toBe(0);
    expect(
      (await entra('GET', `/Users?${filter(`externalId eq "${created.body.externalId}"`)}`)).body.totalResults,
    ).toBe(1);
    expect((await entra('GET', `/Users/${created.body.id}`)).body.userName).toBe(userName);
    const duplicate = await entra('POST', '/Users', entraUser(userName));
    expect(duplicate.status).toBe(409);
  });

  it('validator: PATCH replace attributes with capitalized ops, dotted and URN paths, string booleans', async () => {
    const userName = `Test_User_${crypto.randomUUID()}@contoso.com`;
    const { body: user } = await entra('POST', '/Users', entraUser(userName));
    const response = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'displayName', value: 'Updated Name' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        { op: 'Replace', path: 'title', value: 'Manager' },
        { op: 'Replace', path: 'preferredLanguage', value: 'fr-FR' },
        { op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: '1 Rue' },
        { op: 'Replace', path: 'addresses[type eq "work"].locality', value: 'Paris' },
        { op: 'Replace', path: 'phoneNumbers[type eq "work"].value', value: '+33 1' },
        { op: 'Replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+33 6' },
        { op: 'Add', path: `${ENTERPRISE}:employeeNumber`, value: '42' },
        { op: 'Replace', value: { 'name.givenName': 'updatedGivenName', [`${ENTERPRISE}:department`]: 'Sales' } },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      displayName: 'Updated Name',
      name: { familyName: 'updatedFamilyName', givenName: 'updatedGivenName' },
      title: 'Manager',
      preferredLanguage: 'fr-FR',
      addresses: [{ type: 'work', streetAddress: '1 Rue', locality: 'Paris' }],
      phoneNumbers: [
        { type: 'work', value: '+33 1' },
        { type: 'mobile', value: '+33 6' },
      ],
      [ENTERPRISE]: { employeeNumber: '42', department: 'Sales' },
    });
  });

  it('validator: update userName, and the work email with emails[type eq "work"].value', async () => {
    const { body: user } = await entra('POST', '/Users', entraUser(`Test_User_${crypto.randomUUID()}@contoso.com`));
    const renamed = `Renamed_${crypto.randomUUID()}@contoso.com`;
    const byUserName = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'userName', value: renamed }],
    });
    expect(byUserName.body.userName).toBe(renamed);
    expect(byUserName.body.emails).toEqual([{ value: renamed, type: 'work', primary: true }]);
    const moved = `Moved_${crypto.randomUUID()}@contoso.com`;
    const byEmail = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'emails[type eq "work"].value', value: moved }],
    });
    expect(byEmail.body.userName).toBe(moved);
  });

  it('creates the work email when a user has none yet (emails[type eq "work"].value)', async () => {
    const userName = `NoWork_${crypto.randomUUID()}@contoso.com`;
    const { body: user } = await entra('POST', '/Users', {
      ...entraUser(userName),
      emails: [{ primary: true, type: 'home', value: userName }],
    });
    const response = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'emails[type eq "work"].value', value: `work.${userName}` }],
    });
    expect(response.status).toBe(200);
    expect(response.body.emails).toEqual([
      { value: userName, type: 'home', primary: true },
      { type: 'work', value: `work.${userName}` },
    ]);
  });

  it('validator: disable with "False", add, replace and remove the manager given as a bare id', async () => {
    const { body: user } = await entra('POST', '/Users', entraUser(`Test_User_${crypto.randomUUID()}@contoso.com`));
    const { body: boss } = await entra('POST', '/Users', entraUser(`Boss_${crypto.randomUUID()}@contoso.com`));
    const disabled = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(disabled.body.active).toBe(false);
    const enabled = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', value: { active: 'True' } }],
    });
    expect(enabled.body.active).toBe(true);
    const manager = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: boss.id }],
    });
    expect(manager.body[ENTERPRISE].manager).toEqual({ value: boss.id });
    const other = crypto.randomUUID();
    const replaced = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: other } }],
    });
    expect(replaced.body[ENTERPRISE].manager).toEqual({ value: other });
    const removed = await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: `${ENTERPRISE}:manager` }],
    });
    expect(removed.body[ENTERPRISE].manager).toBeUndefined();
  });

  it('validator: soft delete (active False) then DELETE; the user is then 404', async () => {
    const { body: user } = await entra('POST', '/Users', entraUser(`Test_User_${crypto.randomUUID()}@contoso.com`));
    await entra('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect((await entra('DELETE', `/Users/${user.id}`)).status).toBe(204);
    expect((await entra('GET', `/Users/${user.id}`)).status).toBe(404);
  });

  it('validator: groups with extra schema URNs, excludedAttributes=members, members added and removed, renamed, duplicates, deleted', async () => {
    const members = await Promise.all([createUser(channel), createUser(channel), createUser(channel)]);
    const name = `Group_${crypto.randomUUID()}`;
    const created = await entra('POST', '/Groups', {
      schemas: [GROUP_SCHEMA, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: crypto.randomUUID(),
      displayName: name,
      meta: { resourceType: 'Group' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const byId = await entra('GET', `/Groups/${id}?excludedAttributes=members`);
    expect(byId.body).toMatchObject({ id, displayName: name });
    expect(byId.body.members).toBeUndefined();
    const byName = await entra(
      'GET',
      `/Groups?excludedAttributes=members&${filter(`displayName eq "${name.toLowerCase()}"`)}`,
    );
    expect(byName.body.Resources.map((g: { id: string }) => g.id)).toEqual([id]);
    expect(
      (await entra('GET', `/Groups?excludedAttributes=members&${filter(`displayName eq "nope-${name}"`)}`)).body
        .totalResults,
    ).toBe(0);

    const add = await entra('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Add', path: 'members', value: members.map((m) => ({ value: m.id })) }],
    });
    expect(add.status).toBe(204);
    const remove = await entra('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: members[1].id }] }],
    });
    expect(remove.status).toBe(204);
    const rename = await entra('PATCH', `/Groups/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'displayName', value: `${name}updatedDisplayName` }],
    });
    expect(rename.status).toBe(204);
    const read = await entra('GET', `/Groups/${id}`);
    expect(read.body.displayName).toBe(`${name}updatedDisplayName`);
    expect(read.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [members[0].id, members[2].id].sort(),
    );

    const duplicate = await entra('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `${name}updatedDisplayName`,
    });
    expect(duplicate.status).toBe(409);
    expect((await entra('DELETE', `/Groups/${id}`)).status).toBe(204);
    expect((await entra('GET', `/Groups/${id}`)).status).toBe(404);
  });
});

describe('OneLogin and JumpCloud', () => {
  it('update and deactivate users with PUT, with application/json', async () => {
    const email = uniqueEmail('onelogin');
    const body = {
      schemas: [USER_SCHEMA],
      userName: email,
      externalId: '123456',
      name: { givenName: 'One', familyName: 'Login' },
      emails: [{ value: email, primary: true }],
      active: true,
    };
    const created = await plainJson('POST', '/Users', body);
    expect(created.status).toBe(201);
    const updated = await plainJson('PUT', `/Users/${created.body.id}`, { ...body, title: 'Analyst' });
    expect(updated.status).toBe(200);
    expect(updated.body.title).toBe('Analyst');
    const deactivated = await plainJson('PUT', `/Users/${created.body.id}`, {
      ...body,
      title: 'Analyst',
      active: false,
    });
    expect(deactivated.body.active).toBe(false);
    expect((await plainJson('GET', `/Users/${created.body.id}`)).body.active).toBe(false);
  });

  it('JumpCloud: group with members, Entra-style removal of one member', async () => {
    const users = await Promise.all([createUser(channel), createUser(channel)]);
    const created = await plainJson('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: `JumpCloud ${Date.now()}`,
      members: users.map((u) => ({ value: u.id, display: u.userName })),
    });
    expect(created.status).toBe(201);
    const removed = await plainJson('PATCH', `/Groups/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members', value: [{ value: users[0].id }] }],
    });
    expect(removed.status).toBe(204);
    const read = await plainJson('GET', `/Groups/${created.body.id}`);
    expect(read.body.members.map((m: { value: string }) => m.value)).toEqual([users[1].id]);
  });
});
