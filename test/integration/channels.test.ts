import { PLATFORM_TOKEN, startTestRoster, uniqueSlug, type TestRoster } from '../helpers/roster';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

describe('channels and the viewer', () => {
  it('creates a channel with the platform token and returns its admin API key once', async () => {
    const slug = uniqueSlug('acme');
    const created = await roster.graphql(
      PLATFORM_TOKEN,
      `mutation($input: CreateChannelInput!) { createChannel(input: $input) { channel { id slug name } adminApiKey } }`,
      { input: { slug, name: 'Acme' } },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createChannel.channel).toMatchObject({ slug, name: 'Acme' });
    const key = created.data.createChannel.adminApiKey as string;
    expect(key).toMatch(/^rak_/);

    const viewer = await roster.graphql(key, '{ viewer { kind channel { slug } user { id } } }');
    expect(viewer.data.viewer).toEqual({ kind: 'ADMIN_KEY', channel: { slug }, user: null });

    const keys = await roster.graphql(key, '{ channel { adminApiKeys { prefix } } }');
    expect(JSON.stringify(keys.data)).not.toContain(key);
    expect(keys.data.channel.adminApiKeys).toHaveLength(1);
    expect(key.startsWith(keys.data.channel.adminApiKeys[0].prefix)).toBe(true);
  });

  it('refuses a duplicate slug with CONFLICT and a malformed one with BAD_USER_INPUT', async () => {
    const channel = await roster.createChannel();
    const mutation = `mutation($input: CreateChannelInput!) { createChannel(input: $input) { channel { id } } }`;
    const duplicate = await roster.graphql(PLATFORM_TOKEN, mutation, { input: { slug: channel.slug, name: 'x' } });
    expect(duplicate.errors?.[0].extensions?.code).toBe('CONFLICT');
    const malformed = await roster.graphql(PLATFORM_TOKEN, mutation, { input: { slug: 'Not A Slug', name: 'x' } });
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lets only the platform create channels', async () => {
    const channel = await roster.createChannel();
    const result = await roster.graphql(
      channel.adminApiKey,
      `mutation { createChannel(input: { slug: "${uniqueSlug()}", name: "x" }) { adminApiKey } }`,
    );
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('answers UNAUTHENTICATED without credentials and with a wrong or revoked key', async () => {
    const anonymous = await roster.graphql(null, '{ viewer { kind } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await roster.graphql('rak_AAAAAAAA.not-the-secret', '{ viewer { kind } }');
    expect(wrong.status).toBe(401);
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const channel = await roster.createChannel();
    const second = await roster.graphql(
      channel.adminApiKey,
      'mutation { createAdminApiKey(input: { description: "script" }) { key adminApiKey { id } } }',
    );
    const { key, adminApiKey } = second.data.createAdminApiKey;
    expect((await roster.graphql(key, '{ viewer { kind } }')).data.viewer.kind).toBe('ADMIN_KEY');
    await roster.graphql(channel.adminApiKey, `mutation { revokeAdminApiKey(id: "${adminApiKey.id}") { revokedAt } }`);
    const revoked = await roster.graphql(key, '{ viewer { kind } }');
    expect(revoked.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // The other key of the channel still works: several may be active at once.
    expect((await roster.graphql(channel.adminApiKey, '{ viewer { kind } }')).data.viewer.kind).toBe('ADMIN_KEY');
  });

  it('shows the platform token no channel, and any channel by slug', async () => {
    const channel = await roster.createChannel();
    const viewer = await roster.graphql(PLATFORM_TOKEN, '{ viewer { kind channel { id } } }');
    expect(viewer.data.viewer).toEqual({ kind: 'PLATFORM', channel: null });
    const bySlug = await roster.graphql(PLATFORM_TOKEN, `{ channel(slug: "${channel.slug}") { id } }`);
    expect(bySlug.data.channel.id).toBe(channel.id);
  });
});
