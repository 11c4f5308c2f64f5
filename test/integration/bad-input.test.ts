import { gqlErrorCode, gqlOk } from '../helpers/admin';
import { startTestRoster, type TestChannel, type TestRoster } from '../helpers/roster';

let roster: TestRoster;
let channel: TestChannel;
beforeAll(async () => {
  roster = await startTestRoster();
  channel = await roster.createChannel('bad');
});
afterAll(() => roster.close());

const MISSING = '00000000-0000-4000-8000-000000000000';
const long = (n: number) => 'x'.repeat(n);

describe('bad input to the admin API', () => {
  it('answers 400 to a body that is not JSON and 413 to one over 1 MB', async () => {
    const post = (body: string) =>
      fetch(`${roster.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${channel.adminApiKey}` },
        body,
      });
    const malformed = await post('{"query": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'The request body is not valid JSON' });
    expect((await post(JSON.stringify({ query: `{ viewer { kind } }`, pad: long(1_100_000) }))).status).toBe(413);
  });

  it('refuses cross-site form posts (CSRF) before doing anything', async () => {
    const response = await fetch(`${roster.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { deleteGroup(id: "x") }' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).toContain('Cross-Site Request Forgery');
  });

  it.each([
    ['createGroup with an empty name', `mutation { createGroup(input: { name: "  " }) { id } }`, 'BAD_USER_INPUT'],
    [
      'createGroup with a 10,000-character name',
      `mutation { createGroup(input: { name: "${long(10_000)}" }) { id } }`,
      'BAD_USER_INPUT',
    ],
    [
      'createGroup with a wrong type',
      `mutation { createGroup(input: { name: 42 }) { id } }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'updateGroup of a group that does not exist',
      `mutation { updateGroup(id: "${MISSING}", input: { name: "a" }) { id } }`,
      'NOT_FOUND',
    ],
    [
      'updateGroup with an id that is not a uuid',
      `mutation { updateGroup(id: "1 or 1=1", input: { name: "a" }) { id } }`,
      'NOT_FOUND',
    ],
    ['deleteGroup of a group that does not exist', `mutation { deleteGroup(id: "${MISSING}") }`, 'NOT_FOUND'],
    [
      'addGroupMembers to a group that does not exist',
      `mutation { addGroupMembers(groupId: "${MISSING}", userIds: []) { id } }`,
      'NOT_FOUND',
    ],
    [
      'removeGroupMembers from a group that does not exist',
      `mutation { removeGroupMembers(groupId: "${MISSING}", userIds: []) { id } }`,
      'NOT_FOUND',
    ],
    [
      'setUserActive of a user that does not exist',
      `mutation { setUserActive(id: "${MISSING}", active: false) { id } }`,
      'NOT_FOUND',
    ],
    [
      'setUserRole with an unknown role',
      `mutation { setUserRole(id: "${MISSING}", role: ROOT) { id } }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'revokeScimToken of a token that does not exist',
      `mutation { revokeScimToken(id: "${MISSING}") { id } }`,
      'NOT_FOUND',
    ],
    [
      'revokeAdminApiKey of a key that does not exist',
      `mutation { revokeAdminApiKey(id: "nope") { id } }`,
      'NOT_FOUND',
    ],
    [
      'createAdminApiKey with a 500-character description',
      `mutation { createAdminApiKey(input: { description: "${long(500)}" }) { key } }`,
      'BAD_USER_INPUT',
    ],
    ['issueScimToken before SAML', `mutation { issueScimToken { token } }`, 'SAML_NOT_CONFIGURED'],
    [
      'configureSaml with both metadata and fields',
      `mutation { configureSaml(input: { metadataXml: "<x/>", idpEntityId: "a" }) { ssoUrl } }`,
      'BAD_USER_INPUT',
    ],
    [
      'configureSaml with metadata that is not XML',
      `mutation { configureSaml(input: { metadataXml: "hello" }) { ssoUrl } }`,
      'BAD_USER_INPUT',
    ],
    [
      'configureSaml with a DOCTYPE',
      `mutation { configureSaml(input: { metadataXml: "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>" }) { ssoUrl } }`,
      'BAD_USER_INPUT',
    ],
    [
      'createVideo with an empty title',
      `mutation { createVideo(input: { title: "", ownerId: "${MISSING}" }) { id } }`,
      'BAD_USER_INPUT',
    ],
    [
      'createVideo for a user that does not exist',
      `mutation { createVideo(input: { title: "a", ownerId: "${MISSING}" }) { id } }`,
      'NOT_FOUND',
    ],
    [
      'createVideo without an owner for a key caller',
      `mutation { createVideo(input: { title: "a" }) { id } }`,
      'BAD_USER_INPUT',
    ],
    [
      'addComment on a video that does not exist',
      `mutation { addComment(input: { videoId: "${MISSING}", authorId: "${MISSING}", body: "hi" }) { id } }`,
      'NOT_FOUND',
    ],
    ['a page size over the maximum', `{ channel { users(first: 100000) { totalCount } } }`, 'BAD_USER_INPUT'],
    ['a negative page size', `{ channel { groups(first: -1) { totalCount } } }`, 'BAD_USER_INPUT'],
    ['a field that does not exist', `{ channel { password } }`, 'GRAPHQL_VALIDATION_FAILED'],
  ])('answers %s with %s', async (_what, operation, code) => {
    expect(await gqlErrorCode(roster, channel.adminApiKey, operation)).toBe(code);
  });

  it('answers a variable of the wrong type with BAD_USER_INPUT', async () => {
    const code = await gqlErrorCode(
      roster,
      channel.adminApiKey,
      `mutation($a: Boolean!) { setUserActive(id: "x", active: $a) { id } }`,
      {
        a: 'yes',
      },
    );
    expect(code).toBe('BAD_USER_INPUT');
  });

  it('leaves no trace of refused mutations', async () => {
    const data = await gqlOk(
      roster,
      channel.adminApiKey,
      `{ channel { groups { totalCount } videos { totalCount } adminApiKeys { id } } }`,
    );
    expect(data.channel).toEqual({
      groups: { totalCount: 0 },
      videos: { totalCount: 0 },
      adminApiKeys: [expect.any(Object)],
    });
  });
});
