import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PLATFORM_TOKEN, startTestRoster, testDatabaseEnv, type TestRoster } from '../../helpers/roster';
import { SamlChannel, sessionCookieOf } from './support/saml-channel';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

/** Another Roster in its own OS process, on the same database and with the same PUBLIC_URL. */
async function startSecondProcess(
  publicUrl: string,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'support', 'second-roster.js')], {
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      ...testDatabaseEnv(),
      ROSTER_PLATFORM_TOKEN: PLATFORM_TOKEN,
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d) => (errors += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line).url);
    });
    child.once('exit', (code) => reject(new Error(`second Roster exited with ${code}: ${errors}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('replay', () => {
  it('accepts a response once and refuses it the second time', async () => {
    const saml = await SamlChannel.create(roster, { allowIdpInitiated: true });
    await saml.provisionUser('una@corp.test');
    const response = saml.response({ nameId: 'una@corp.test' });
    expect((await saml.post(response)).status).toBe(303);
    const again = await saml.post(response);
    expect(again.status).toBe(400);
    expect(sessionCookieOf(again)).toBeNull();
    expect(await again.text()).toContain('already used');
    expect((await saml.audit('saml.signInRefused', 1))[0].summary.reason).toBe('REPLAYED');
  });

  it('refuses an SP-initiated response replayed with its request ID as already used', async () => {
    const saml = await SamlChannel.create(roster);
    await saml.provisionUser('vic@corp.test');
    const { requestId } = await saml.login();
    const response = saml.response({ nameId: 'vic@corp.test', inResponseTo: requestId });
    expect((await saml.post(response)).status).toBe(303);
    expect((await saml.post(response)).status).toBe(400);
    expect((await saml.audit('saml.signInRefused', 1))[0].summary.reason).toBe('REPLAYED');
  });

  it('refuses a replay through another Roster process on the same database', async () => {
    const saml = await SamlChannel.create(roster, { allowIdpInitiated: true });
    await saml.provisionUser('wes@corp.test');
    const second = await startSecondProcess(roster.publicUrl);
    try {
      const elsewhere = saml.via(second.url);

      // Used here, replayed there.
      const first = saml.response({ nameId: 'wes@corp.test' });
      expect((await saml.post(first)).status).toBe(303);
      expect((await elsewhere.post(first)).status).toBe(400);

      // Used there, replayed here.
      const other = saml.response({ nameId: 'wes@corp.test' });
      expect((await elsewhere.post(other)).status).toBe(303);
      expect((await saml.post(other)).status).toBe(400);

      // An SP-initiated request issued by one process is answered once, at either.
      const { requestId } = await saml.login();
      expect((await elsewhere.post(saml.response({ nameId: 'wes@corp.test', inResponseTo: requestId }))).status).toBe(
        303,
      );
      expect((await saml.post(saml.response({ nameId: 'wes@corp.test', inResponseTo: requestId }))).status).toBe(400);
    } finally {
      await second.stop();
    }
  });

  it('lets exactly one of two simultaneous posts of the same response through, across processes', async () => {
    const saml = await SamlChannel.create(roster, { allowIdpInitiated: true });
    await saml.provisionUser('xia@corp.test');
    const second = await startSecondProcess(roster.publicUrl);
    try {
      const elsewhere = saml.via(second.url);
      for (let round = 0; round < 3; round++) {
        const response = saml.response({ nameId: 'xia@corp.test' });
        const statuses = (
          await Promise.all([
            saml.post(response),
            elsewhere.post(response),
            saml.post(response),
            elsewhere.post(response),
          ])
        ).map((r) => r.status);
        expect(statuses.filter((s) => s === 303)).toHaveLength(1);
        expect(statuses.filter((s) => s === 400)).toHaveLength(3);
      }
    } finally {
      await second.stop();
    }
  });
});
