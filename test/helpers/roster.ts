import 'reflect-metadata';
import net from 'node:net';
import crypto from 'node:crypto';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { startRoster, type Roster } from '../../src/main';

export const PLATFORM_TOKEN = 'test-platform-token-0123456789abcdef';

export interface TestChannel {
  id: string;
  slug: string;
  adminApiKey: string;
}

export interface GraphQLResult<T = any> {
  status: number;
  data: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } }[];
}

export interface TestRoster {
  /** Where the server listens (loopback). */
  url: string;
  /** PUBLIC_URL of this Roster (same host and port as `url`, spelled `localhost`). */
  publicUrl: string;
  roster: Roster;
  close(): Promise<void>;
  graphql<T = any>(
    credential: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResult<T>>;
  /** Creates a channel through the platform API; slugs are unique per call. */
  createChannel(prefix?: string): Promise<TestChannel>;
}

/** How a Roster (in this process or another) reaches the test database that global-setup prepared. */
export function testDatabaseEnv(): Record<string, string> {
  const url = process.env.ROSTER_TEST_DATABASE_URL;
  if (!url) throw new Error('ROSTER_TEST_DATABASE_URL is not set: run the tests through jest (npm test)');
  const prepared = process.env.ROSTER_DB_PREPARED_STATEMENTS;
  return { DATABASE_URL: url, ...(prepared ? { ROSTER_DB_PREPARED_STATEMENTS: prepared } : {}) };
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function uniqueSlug(prefix = 'ch'): string {
  return `${prefix}-${crypto.randomBytes(5).toString('hex')}`;
}

/** A real Roster on the test database (see global-setup), driven over HTTP like any client. */
export async function startTestRoster(env: Record<string, string> = {}): Promise<TestRoster> {
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    ...testDatabaseEnv(),
    ROSTER_PLATFORM_TOKEN: PLATFORM_TOKEN,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const roster = await startRoster(config, {
    logger: createLogger(config.logLevel),
    migrate: false,
    bootstrapDemo: false,
  });

  const graphql: TestRoster['graphql'] = async (credential, query, variables) => {
    const response = await fetch(`${roster.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: any; errors?: GraphQLResult['errors'] };
    return { status: response.status, data: body.data, errors: body.errors };
  };

  return {
    url: roster.url,
    publicUrl: config.publicUrl,
    roster,
    close: () => roster.close(),
    graphql,
    async createChannel(prefix = 'ch') {
      const slug = uniqueSlug(prefix);
      const result = await graphql(
        PLATFORM_TOKEN,
        `
          mutation ($input: CreateChannelInput!) {
            createChannel(input: $input) {
              channel {
                id
                slug
              }
              adminApiKey
            }
          }
        `,
        { input: { slug, name: `Channel ${slug}` } },
      );
      if (result.errors) throw new Error(`createChannel failed: ${JSON.stringify(result.errors)}`);
      const { channel, adminApiKey } = result.data.createChannel;
      return { id: channel.id, slug: channel.slug, adminApiKey };
    },
  };
}
