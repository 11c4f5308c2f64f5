import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gqlOk } from '../helpers/admin';
import { runToEnd } from '../helpers/process';
import { startTestRoster, testDatabaseEnv, uniqueSlug, type TestRoster } from '../helpers/roster';
import { createGroup as pushGroup, createUser, scimRequest } from '../helpers/scim-client';
import { generateSigningKey } from '../helpers/test-idp';

let roster: TestRoster;
beforeAll(async () => {
  roster = await startTestRoster();
});
afterAll(() => roster.close());

const cli = (...args: string[]) => runToEnd('cli', args, testDatabaseEnv());

describe('the roster command', () => {
  it('says the database is up to date when there is nothing to migrate', async () => {
    const result = await cli('migrate');
    expect(result).toMatchObject({ code: 0, stdout: 'The database is up to date.\n' });
  });

  it('creates a channel and prints an admin API key that works', async () => {
    const slug = uniqueSlug('cli');
    const result = await cli('create-channel', slug, '--name', 'From the CLI');
    expect(result.code).toBe(0);
    const key = /^(rak_\S+)$/m.exec(result.stdout)?.[1];
    expect(key).toBeDefined();
    const data = await gqlOk(roster, key!, '{ channel { slug name } }');
    expect(data.channel).toEqual({ slug, name: 'From the CLI' });

    const another = await cli('create-admin-key', slug, '--description', 'backup script');
    expect(another.code).toBe(0);
    const keys = await gqlOk(roster, key!, '{ channel { adminApiKeys { description } } }');
    expect(keys.channel.adminApiKeys.map((k: { description: string }) => k.description)).toContain('backup script');
  });

  it('issues a SCIM token only once SAML is configured', async () => {
    const channel = await roster.createChannel('cli');
    const refused = await cli('issue-scim-token', channel.slug);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Configure SAML');

    await gqlOk(
      roster,
      channel.adminApiKey,
      `mutation($c: String!) { configureSaml(input: { idpEntityId: "http://idp", ssoUrl: "https://idp/sso", certificates: [$c] }) { ssoUrl } }`,
      { c: generateSigningKey().certificatePem },
    );
    const issued = await cli('issue-scim-token', channel.slug, '--description', 'Okta');
    expect(issued.code).toBe(0);
    const token = /^(rsc_\S+)$/m.exec(issued.stdout)?.[1];
    expect((await scimRequest(`${roster.url}/scim/v2/Users`, 'GET', token!)).status).toBe(200);
  });

  it('matches groups from a CSV or a JSON file, creating missing ones', async () => {
    const channel = await roster.createChannel('cli');
    await gqlOk(
      roster,
      channel.adminApiKey,
      `mutation($c: String!) { configureSaml(input: { idpEntityId: "http://idp", ssoUrl: "https://idp/sso", certificates: [$c] }) { ssoUrl } }`,
      { c: generateSigningKey().certificatePem },
    );
    const issued = await gqlOk(roster, channel.adminApiKey, 'mutation { issueScimToken { token } }');
    const scim = {
      ...channel,
      token: issued.issueScimToken.token,
      tokenId: '',
      base: `${roster.url}/scim/v2`,
      request: (method: string, p: string, body?: unknown) =>
        scimRequest(`${roster.url}/scim/v2${p}`, method, issued.issueScimToken.token, body),
    };
    const ada = await createUser(scim);
    await pushGroup(scim, 'okta-engineering', [ada.id]);
    await gqlOk(roster, channel.adminApiKey, 'mutation { createGroup(input: { name: "Engineering" }) { id } }');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-cli-'));
    const csv = path.join(dir, 'matches.csv');
    fs.writeFileSync(csv, 'groupName,samlGroupName\nEngineering,okta-engineering\n"Sales, EMEA",okta-sales\n');
    const result = await cli('match-groups', channel.slug, csv);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('matched   Engineering -> okta-engineering');
    expect(result.stdout).toContain('created   Sales, EMEA -> okta-sales');

    const json = path.join(dir, 'matches.json');
    fs.writeFileSync(json, JSON.stringify([{ groupName: 'Engineering', samlGroupName: null }]));
    expect((await cli('match-groups', channel.slug, json)).stdout).toContain('matched   Engineering -> (unmatched)');

    const groups = await gqlOk(
      roster,
      channel.adminApiKey,
      '{ channel { groups { nodes { name samlGroupName members { nodes { email } } } } } }',
    );
    expect(groups.channel.groups.nodes).toEqual([
      { name: 'Engineering', samlGroupName: null, members: { nodes: [{ email: ada.userName }] } },
      { name: 'Sales, EMEA', samlGroupName: 'okta-sales', members: { nodes: [] } },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('explains its usage, and refuses bad files and unknown channels', async () => {
    const usage = await cli('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: roster <command>');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-cli-'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"not": "an array"}');
    const channel = await roster.createChannel('cli');
    const refused = await cli('match-groups', channel.slug, bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('JSON must be an array');
    const unknown = await cli('create-admin-key', 'no-such-channel-here');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No channel with slug "no-such-channel-here"');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
