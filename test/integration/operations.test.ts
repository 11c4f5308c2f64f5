import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import {
  freePort,
  PLATFORM_TOKEN,
  startTestRoster,
  testDatabaseEnv,
  uniqueSlug,
  type TestRoster,
} from '../helpers/roster';
import { run, runToEnd } from '../helpers/process';

describe('start-up configuration', () => {
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/roster' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'https://roster.example.com/some/path' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['ROSTER_PLATFORM_TOKEN', { ROSTER_PLATFORM_TOKEN: 'short' }],
  ])('stops with one clear line naming %s when it is invalid', async (variable, env) => {
    const result = await runToEnd('main', [], { ...testDatabaseEnv(), ...env });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`invalid configuration: ${variable}:`);
  });
});

describe('a running Roster process', () => {
  it('logs JSON lines with a request id and without credentials', async () => {
    const port = await freePort();
    const server = run('main', [], {
      ...testDatabaseEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      ROSTER_PLATFORM_TOKEN: PLATFORM_TOKEN,
    });
    try {
      await server.waitFor('roster listening');
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${PLATFORM_TOKEN}`,
          'x-request-id': 'trace-42',
        },
        body: JSON.stringify({ query: '{ viewer { kind } }' }),
      });
      expect(response.headers.get('x-request-id')).toBe('trace-42');
      await server.waitFor('"reqId":"trace-42"');
      const lines = server
        .stdout()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(lines.find((l) => l.reqId === 'trace-42')).toMatchObject({
        method: 'POST',
        path: '/graphql',
        status: 200,
      });
      expect(server.stdout()).not.toContain(PLATFORM_TOKEN);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('finishes an in-flight request on SIGTERM, then exits cleanly', async () => {
    const port = await freePort();
    const server = run('main', [], {
      ...testDatabaseEnv(),
      PORT: String(port),
      HOST: '127.0.0.1',
      ROSTER_PLATFORM_TOKEN: PLATFORM_TOKEN,
      LOG_LEVEL: 'debug',
    });
    await server.waitFor('roster listening');
    const slug = uniqueSlug('drain');
    const body = JSON.stringify({
      query: `mutation { createChannel(input: { slug: "${slug}", name: "Drained" }) { channel { slug } } }`,
    });
    // The request is under way (headers read) but its body is still arriving when the signal comes.
    const request = http.request(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${PLATFORM_TOKEN}`,
        'x-request-id': 'in-flight',
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, text }));
      });
      request.on('error', reject);
    });
    request.write(body.slice(0, 10));
    await server.waitFor('"reqId":"in-flight"');
    server.child.kill('SIGTERM');
    await server.waitFor('shutting down');
    request.end(body.slice(10));

    const { status, text } = await answered;
    expect(status).toBe(200);
    expect(JSON.parse(text)).toEqual({ data: { createChannel: { channel: { slug } } } });
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain('roster stopped');
  });
});

describe('the embedded database', () => {
  it('creates the demo channel once, and keeps a second process off the same data directory', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-embedded-'));
    const env = (port: number) => ({ ROSTER_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
    try {
      const port = await freePort();
      const first = run('main', [], env(port));
      await first.waitFor('roster listening', 60_000);
      const key = /Admin API key\s+(rak_\S+)/.exec(first.stdout())?.[1];
      expect(key).toBeDefined();
      expect(first.stdout()).toContain(`/saml/demo/metadata`);

      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ viewer { channel { slug } } }' }),
      });
      expect(await response.json()).toEqual({ data: { viewer: { channel: { slug: 'demo' } } } });

      const second = await runToEnd('main', [], env(await freePort()));
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('in use by another Roster process');

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const again = run('main', [], env(await freePort()));
      await again.waitFor('roster listening', 60_000);
      expect(again.stdout()).not.toContain('Admin API key');
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('health checks', () => {
  let roster: TestRoster;
  beforeAll(async () => {
    roster = await startTestRoster();
  });
  afterAll(() => roster.close());

  it('answers liveness and readiness', async () => {
    expect(await (await fetch(`${roster.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${roster.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });
});
