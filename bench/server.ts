import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import inspector from 'node:inspector';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import { loadConfig } from '../src/config';
import { startRoster, type Roster } from '../src/main';
import { createChannel } from '../src/domain/channel/channels';
import { configureSaml } from '../src/domain/saml/saml-config';
import { issueScimToken } from '../src/domain/token/scim-tokens';
import { platformActor, type DomainContext } from '../src/domain/context';
import { floorRouter } from './floor';

/**
 * The server side of the benchmark, run as a child process so that the load generator does not share the
 * server's event loop: Roster with the floor route, plus the few things the load generator asks for by IPC
 * (a channel and SCIM token, the 100,000-member group built in SQL, per-phase CPU profiles, clean-up).
 */

export type ServerCommand =
  | { type: 'bootstrap' }
  | { type: 'buildBigGroup'; channelId: string; groupId: string; members: number }
  | { type: 'countMembers'; channelId: string; groupId: string }
  | { type: 'analyze' }
  | { type: 'profileStart' }
  | { type: 'profileStop'; file: string }
  | { type: 'queryStatsStart' }
  | { type: 'queryStatsStop' }
  | { type: 'cpuStart' }
  | { type: 'cpuStop' }
  | { type: 'cleanup'; channelId: string }
  | { type: 'stop' };

export interface Bootstrap {
  channelId: string;
  slug: string;
  token: string;
  postgres: string;
}

let roster: Roster;
let profiler: inspector.Session | undefined;

export interface QueryStat {
  sql: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

/**
 * Round-trip time of every statement the pool runs (from knex's query events: sent on a connection to answer
 * received), grouped by statement text; what the database costs each phase, without pg_stat_statements.
 */
class QueryStats {
  private readonly inFlight = new Map<string, { sql: string; at: number }>();
  private readonly stats = new Map<string, { calls: number; totalMs: number }>();
  private recording = false;

  attach(knex: { on(event: string, listener: (...args: any[]) => void): unknown }): void {
    knex.on('query', (query: { __knexQueryUid: string; sql: string }) => {
      if (this.recording) this.inFlight.set(query.__knexQueryUid, { sql: query.sql, at: performance.now() });
    });
    const done = (_result: unknown, query: { __knexQueryUid: string }) => {
      const started = this.inFlight.get(query.__knexQueryUid);
      if (!started) return;
      this.inFlight.delete(query.__knexQueryUid);
      // MikroORM inlines the parameters: fold literals back into placeholders so that one statement is one row.
      const key = started.sql
        .replace(/'(?:[^']|'')*'/g, '?')
        .replace(/\b\d+(?:\.\d+)?\b/g, '?')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 200);
      const stat = this.stats.get(key) ?? { calls: 0, totalMs: 0 };
      stat.calls++;
      stat.totalMs += performance.now() - started.at;
      this.stats.set(key, stat);
    };
    knex.on('query-response', done);
    knex.on('query-error', done);
  }

  start(): void {
    this.stats.clear();
    this.inFlight.clear();
    this.recording = true;
  }

  stop(): QueryStat[] {
    this.recording = false;
    return [...this.stats.entries()]
      .map(([sql, stat]) => ({
        sql,
        calls: stat.calls,
        totalMs: Math.round(stat.totalMs),
        meanMs: Math.round((stat.totalMs / stat.calls) * 100) / 100,
      }))
      .sort((a, b) => b.totalMs - a.totalMs);
  }
}

const queryStats = new QueryStats();

/** CPU seconds used by the server process and by the database's backends serving it, over a phase. */
export interface CpuUsage {
  serverMs: number;
  /** The kernel's share of serverMs (socket writes and reads to the clients and the database). */
  serverSystemMs: number;
  /** null when the database's processes cannot be seen (not on this machine, or embedded: then it is in serverMs). */
  postgresMs: number | null;
}

const TICK_MS = 10; // Linux USER_HZ is 100 on every mainstream build

/** utime + stime of each backend of this database, read from /proc (PostgreSQL on this machine only). */
async function backendTicks(): Promise<Map<number, number> | null> {
  if (!roster.config.databaseUrl) return null;
  const rows: { pid: number }[] = await fresh().execute(
    "select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'",
  );
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      return null;
    }
  }
  return ticks;
}

let cpuAtStart: { server: NodeJS.CpuUsage; backends: Map<number, number> | null } | undefined;

async function cpuStop(): Promise<CpuUsage> {
  const server = process.cpuUsage(cpuAtStart?.server);
  const before = cpuAtStart?.backends ?? null;
  const after = await backendTicks();
  let postgresMs: number | null = null;
  if (before && after) {
    postgresMs = 0;
    // A backend that appeared during the phase (a new pool connection) counts whole.
    for (const [pid, ticks] of after) postgresMs += (ticks - (before.get(pid) ?? 0)) * TICK_MS;
  }
  return {
    serverMs: Math.round((server.user + server.system) / 1000),
    serverSystemMs: Math.round(server.system / 1000),
    postgresMs,
  };
}

const fresh = (): SqlEntityManager => roster.orm.em.fork() as SqlEntityManager;

function post<T>(session: inspector.Session, method: string): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** A channel as an administrator sets it up for Okta: SAML first (SCIM tokens require it), then a SCIM token. */
async function bootstrap(): Promise<Bootstrap> {
  const slug = `bench-${crypto.randomBytes(4).toString('hex')}`;
  // configureSaml accepts an IdP public key in place of a certificate; no sign-in happens in the benchmark.
  const { publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const idpKey = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const result = await fresh().transactional(async (tem) => {
    const em = tem as SqlEntityManager;
    const { channel } = await createChannel(em, { slug, name: 'Benchmark' }, platformActor);
    const ctx: DomainContext = { em, channelId: channel.id, actor: platformActor };
    await configureSaml(ctx, {
      idpEntityId: `http://idp.bench.example/${slug}`,
      ssoUrl: `http://idp.bench.example/${slug}/sso`,
      certificates: [idpKey],
    });
    const token = await issueScimToken(ctx, 'benchmark');
    return { channelId: channel.id, slug, token: token.value };
  });
  const [row] = await fresh().execute('select version() as version');
  return { ...result, postgres: row.version };
}

/**
 * Gives the group `members` new users, in SQL: the benchmark times what a PATCH costs on a big group, not
 * 100,000 HTTP calls. Then ANALYZE, which autovacuum would do within a minute on a real server; without it the
 * planner would still believe these tables are nearly empty.
 */
async function buildBigGroup(channelId: string, groupId: string, members: number) {
  const started = performance.now();
  await fresh().transactional(async (em) => {
    await em.execute(
      `with new_user as (
         insert into app_user (channel_id, email, given_name, family_name, display_name, external_id)
         select ?, 'big.member.' || g || '@bench.example', 'Big', 'Member ' || g, 'Big Member ' || g, 'big-' || g
         from generate_series(1, ?) g
         returning channel_id, id
       )
       insert into directory_group_member (channel_id, directory_group_id, user_id)
       select channel_id, ?, id from new_user`,
      [channelId, members, groupId],
    );
  });
  await fresh().execute('analyze app_user, directory_group_member, directory_group');
  return { seconds: (performance.now() - started) / 1000 };
}

async function countMembers(channelId: string, groupId: string): Promise<number> {
  const [row] = await fresh().execute(
    `select count(*)::int as n from directory_group_member m
     join app_user u on u.channel_id = m.channel_id and u.id = m.user_id and u.removed_at is null
     where m.channel_id = ? and m.directory_group_id = ?`,
    [channelId, groupId],
  );
  return row.n;
}

/**
 * Deletes the benchmark's channel and its rows. Set-based, dependents first: a bare `delete from channel` cascades
 * row by row, and each cascade from a deleted user looks for its rows by sequential scan (no index leads with
 * user_id), which took minutes for 100,000 users. Emptied tables are vacuumed so that those scans stay short.
 */
async function deleteChannel(channelId: string) {
  const dependents = ['directory_group_member', 'channel_group_member', 'session', 'comment', 'video', 'audit_event'];
  for (const table of dependents) await fresh().execute(`delete from ${table} where channel_id = ?`, [channelId]);
  await fresh().execute(`vacuum ${dependents.join(', ')}`);
  await fresh().execute('delete from channel where id = ?', [channelId]);
}

async function handle(command: ServerCommand): Promise<unknown> {
  switch (command.type) {
    case 'bootstrap':
      return bootstrap();
    case 'buildBigGroup':
      return buildBigGroup(command.channelId, command.groupId, command.members);
    case 'countMembers':
      return countMembers(command.channelId, command.groupId);
    case 'analyze': {
      // What autovacuum does on a live database (this cluster runs with it off): the planner gets statistics.
      const [{ autovacuum }] = await fresh().execute('show autovacuum');
      await fresh().execute('analyze app_user, audit_event, directory_group, directory_group_member');
      return autovacuum as string;
    }
    case 'profileStart':
      profiler = new inspector.Session();
      profiler.connect();
      await post(profiler, 'Profiler.enable');
      await post(profiler, 'Profiler.start');
      return null;
    case 'profileStop': {
      if (!profiler) return null;
      const { profile } = await post<{ profile: unknown }>(profiler, 'Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      fs.writeFileSync(command.file, JSON.stringify(profile));
      return command.file;
    }
    case 'queryStatsStart':
      queryStats.start();
      return null;
    case 'queryStatsStop':
      return queryStats.stop();
    case 'cpuStart':
      cpuAtStart = { server: process.cpuUsage(), backends: await backendTicks() };
      return null;
    case 'cpuStop':
      return cpuStop();
    case 'cleanup':
      await deleteChannel(command.channelId);
      return null;
    case 'stop':
      await roster.close();
      setImmediate(() => process.exit(0));
      return null;
  }
}

async function main() {
  const config = loadConfig(process.env);
  roster = await startRoster(config, { bootstrapDemo: false, extraRoutes: () => floorRouter() });
  queryStats.attach((roster.orm.em as SqlEntityManager).getKnex());
  process.on('message', (message: { id: number; command: ServerCommand }) => {
    handle(message.command).then(
      (result) => process.send!({ id: message.id, result }),
      (error: Error) => process.send!({ id: message.id, error: error.stack ?? error.message }),
    );
  });
  process.send!({ ready: true, url: roster.url });
}

// The load generator going away takes the server with it.
process.on('disconnect', () => process.exit(0));

main().catch((error) => {
  process.stderr.write(`bench server: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
