#!/usr/bin/env node
import 'reflect-metadata';
import fs from 'node:fs';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../log';
import { migrate } from '../db/orm';
import { DataDirLockedError } from '../db/embedded';
import { openDatabase } from '../main';
import { createChannel, getChannelBySlug } from '../domain/channel/channels';
import type { Actor } from '../domain/context';
import { DomainError } from '../domain/errors';
import { matchGroups } from '../domain/group/groups';
import { issueCredential } from '../domain/token/credentials';
import { issueScimToken } from '../domain/token/scim-tokens';
import { parseGroupMatches } from './group-matches';

const USAGE = `Usage: roster <command> [arguments]

Commands:
  migrate                                   apply pending database migrations
  create-channel <slug> [--name NAME]       create a channel; prints its admin API key (shown once)
  create-admin-key <slug> [--description D] create another admin API key for a channel
  issue-scim-token <slug> [--description D] issue a SCIM token (SAML must be configured first)
  match-groups <slug> <file.json|file.csv>  match channel groups to SAML group names
                                            (rows of groupName,samlGroupName; missing groups are created)

The database is DATABASE_URL, or the embedded one in ROSTER_DATA_DIR (stop the server first).`;

const cliActor: Actor = { type: 'system', id: null, label: 'cli' };

class UsageError extends Error {}

function option(args: string[], name: string): string | null {
  const i = args.indexOf(name);
  if (i === -1) return null;
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  args.splice(i, 2);
  return value;
}

function positional(args: string[], count: number): string[] {
  if (args.length !== count || args.some((a) => a.startsWith('--'))) throw new UsageError(USAGE);
  return args;
}

async function channelId(orm: MikroORM, slug: string): Promise<string> {
  const channel = await getChannelBySlug(orm.em.fork(), slug);
  if (!channel) throw new DomainError('NOT_FOUND', `No channel with slug "${slug}"`);
  return channel.id;
}

/** Runs one command; returns what to print. */
async function runCommand(orm: MikroORM, argv: string[]): Promise<string> {
  const [command, ...rest] = argv;
  const args = [...rest];
  const em = orm.em.fork();
  switch (command) {
    case 'migrate': {
      positional(args, 0);
      const applied = await migrate(orm);
      return applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.';
    }
    case 'create-channel': {
      const name = option(args, '--name');
      const [slug] = positional(args, 1);
      const { channel, adminApiKey } = await em.transactional((tem) =>
        createChannel(tem, { slug, name: name ?? slug }, cliActor),
      );
      return `Created channel "${channel.slug}" (${channel.id}).\nAdmin API key (shown only this once):\n${adminApiKey}`;
    }
    case 'create-admin-key':
    case 'issue-scim-token': {
      const description = option(args, '--description');
      const [slug] = positional(args, 1);
      const id = await channelId(orm, slug);
      const issued = await em.transactional((tem) => {
        const ctx = { em: tem, channelId: id, actor: cliActor };
        return command === 'issue-scim-token'
          ? issueScimToken(ctx, description)
          : issueCredential(ctx, 'admin_api_key', description);
      });
      const what = command === 'issue-scim-token' ? 'SCIM token' : 'Admin API key';
      return `${what} ${issued.record.prefix} (shown only this once):\n${issued.value}`;
    }
    case 'match-groups': {
      const [slug, file] = positional(args, 2);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        throw new UsageError(`Cannot read ${file}`);
      }
      let matches;
      try {
        matches = parseGroupMatches(text, file);
      } catch (error) {
        throw new UsageError(`${file}: ${(error as Error).message}`);
      }
      const id = await channelId(orm, slug);
      const results = await em.transactional((tem) =>
        matchGroups({ em: tem, channelId: id, actor: cliActor }, matches),
      );
      return results
        .map((r) => `${r.outcome.padEnd(9)} ${r.groupName} -> ${r.samlGroupName ?? '(unmatched)'}`)
        .join('\n');
    }
    default:
      throw new UsageError(USAGE);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  let orm: MikroORM | undefined;
  let stop: (() => Promise<void>) | undefined;
  try {
    const config = loadConfig();
    const opened = await openDatabase(config, createLogger('warn'));
    orm = opened.orm;
    stop = opened.embedded?.stop;
    if (argv[0] !== 'migrate') await migrate(orm);
    process.stdout.write(`${await runCommand(orm, argv)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) process.stderr.write(`${error.message}\n`);
    else if (error instanceof ConfigError) process.stderr.write(`roster: invalid configuration: ${error.message}\n`);
    else if (error instanceof DomainError || error instanceof DataDirLockedError) {
      process.stderr.write(`roster: ${error.message}\n`);
    } else process.stderr.write(`roster: ${(error as Error).stack ?? error}\n`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await orm?.close();
    await stop?.();
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
