import 'reflect-metadata';
import net from 'node:net';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/log';
import { startRoster, type Roster } from '../../../src/main';
import { consoleRouter } from '../../../src/http/console';
import { PLATFORM_TOKEN, uniqueSlug, type GraphQLResult, type TestChannel } from '../../helpers/roster';

/**
 * A real Roster on the test database, like test/helpers/roster.ts's, with the console mounted at /admin.
 * (Until src/app.ts mounts consoleRouter itself, the test mounts it through startRoster's extraRoutes.)
 */
export interface ConsoleRoster {
  /** PUBLIC_URL (http://localhost:<port>): what the browser opens, and what SAML and SCIM URLs use. */
  url: string;
  roster: Roster;
  close(): Promise<void>;
  graphql<T = any>(
    credential: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResult<T>>;
  createChannel(prefix?: string): Promise<TestChannel>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startConsoleRoster(): Promise<ConsoleRoster> {
  const databaseUrl = process.env.ROSTER_TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error('ROSTER_TEST_DATABASE_URL is not set: run the tests through jest');
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    DATABASE_URL: databaseUrl,
    ROSTER_PLATFORM_TOKEN: PLATFORM_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  });
  const roster = await startRoster(config, {
    logger: createLogger(config.logLevel),
    migrate: false,
    bootstrapDemo: false,
    extraRoutes: () => consoleRouter(),
  });

  const graphql: ConsoleRoster['graphql'] = async (credential, query, variables) => {
    const response = await fetch(`${roster.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: any; errors?: GraphQLResult['errors'] };
    return { status: response.status, data: body.data, errors: body.errors };
  };

  return {
    url: config.publicUrl,
    roster,
    close: () => roster.close(),
    graphql,
    async createChannel(prefix = 'console') {
      const slug = uniqueSlug(prefix);
      const result = await graphql(
        PLATFORM_TOKEN,
        'mutation($input: CreateChannelInput!) { createChannel(input: $input) { channel { id slug } adminApiKey } }',
        { input: { slug, name: `Acme ${slug}` } },
      );
      if (result.errors) throw new Error(`createChannel failed: ${JSON.stringify(result.errors)}`);
      const { channel, adminApiKey } = result.data.createChannel;
      return { id: channel.id, slug: channel.slug, adminApiKey };
    },
  };
}
