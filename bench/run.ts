import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BenchClient } from './client';
import type { Bootstrap, CpuUsage, QueryStat, ServerCommand } from './server';
import { formatTable, median, PhaseRecorder, round, type PhaseResult } from './stats';
import {
  bigGroupPhase,
  createPhase,
  deactivatePhase,
  floorPhase,
  groupPushPhase,
  importPhase,
  lookupPhase,
  updatePhase,
  warmUp,
  type BigGroupReport,
  type ImportReport,
  type Workload,
} from './workload';

const USAGE = `npm run bench -- [options]

  --requests N            requests per phase (default 2000)
  --concurrency N         concurrent keep-alive connections (default 16)
  --json FILE             also write the results as JSON
  --max-seconds N         wall-clock bound of each phase (default 300)
  --timeout-ms N          a request without an answer by then is an error (default 30000)
  --big-group-members N   members of the big group, inserted in SQL (default 100000)
  --big-group-samples N   single-member add+remove rounds, and GETs, on the big and small groups (default 100)
  --profile DIR           write a V8 CPU profile of the server per phase (<phase>.cpuprofile) into DIR
  --log-level LEVEL       the server's log level; its logs go to /dev/null (default info, as in production)
  --keep-data             keep the benchmark's channel (default: delete it and all its rows at the end)

The database is DATABASE_URL when set, otherwise an embedded one in a temporary directory removed afterwards.`;

/** Targets on the reference machine, as fractions of the floor's throughput. */
const FLOOR_TARGETS: Record<string, number> = { lookup: 0.6, deactivate: 0.45, create: 0.4, update: 0.35 };
const BIG_GROUP_RATIO_TARGET = 1.3;
const CURSOR_RATIO_TARGET = 1.5;

function options() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '16' },
      json: { type: 'string' },
      'max-seconds': { type: 'string', default: '300' },
      'timeout-ms': { type: 'string', default: '30000' },
      'big-group-members': { type: 'string', default: '100000' },
      'big-group-samples': { type: 'string', default: '100' },
      profile: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
      'keep-data': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const positive = (name: keyof typeof values, max: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1 || value > max)
      throw new Error(`--${name} must be a whole number from 1 to ${max}`);
    return value;
  };
  return {
    requests: positive('requests', 1_000_000),
    concurrency: positive('concurrency', 1024),
    maxSeconds: positive('max-seconds', 86_400),
    timeoutMs: positive('timeout-ms', 600_000),
    bigGroupMembers: positive('big-group-members', 10_000_000),
    bigGroupSamples: positive('big-group-samples', 100_000),
    pageSamples: 9,
    json: values.json,
    profileDir: values.profile ? path.resolve(values.profile) : undefined,
    logLevel: values['log-level']!,
    keepData: values['keep-data']!,
  };
}

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The Roster child process and a request/answer channel to it. */
class BenchServer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
  }

  static async start(env: NodeJS.ProcessEnv): Promise<BenchServer> {
    const child = fork(path.join(__dirname, 'server.js'), [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not start within 120 s')), 120_000);
      child.once('exit', (code) => reject(new Error(`the server exited during start-up (code ${code})`)));
      child.once('message', (message: { ready?: boolean; url?: string }) => {
        clearTimeout(timer);
        if (message.ready && message.url) resolve(message.url);
      });
    });
    return new BenchServer(child, url);
  }

  send<T>(command: ServerCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, command });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.send({ type: 'stop' }).catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

function machine(postgres: string) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: postgres.split(' on ')[0],
  };
}

async function main() {
  const settings = options();
  const embedded = !process.env.DATABASE_URL;
  const dataDir = embedded ? fs.mkdtempSync(path.join(os.tmpdir(), 'roster-bench-')) : undefined;
  if (settings.profileDir) fs.mkdirSync(settings.profileDir, { recursive: true });
  const port = await freeLoopbackPort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: settings.logLevel,
    // The benchmark is one token sending tens of thousands of requests a minute; the limit is not what it measures.
    ROSTER_SCIM_RATE_LIMIT: '10000000',
    ...(dataDir ? { ROSTER_DATA_DIR: dataDir } : {}),
  };

  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`roster bench: starting Roster on ${embedded ? `the embedded database (${dataDir})` : 'DATABASE_URL'}`);
  const server = await BenchServer.start(env);
  let channelId: string | undefined;
  const clients: BenchClient[] = [];
  try {
    const boot = await server.send<Bootstrap>({ type: 'bootstrap' });
    channelId = boot.channelId;
    const client = (base: string) => {
      const made = new BenchClient(base, boot.token, settings.concurrency, settings.timeoutMs);
      clients.push(made);
      return made;
    };
    const workload: Workload = {
      scim: client(server.url),
      root: client(server.url),
      options: settings,
      users: new Array(settings.requests),
      firstUserNumber: 0,
    };

    const recorders: PhaseRecorder[] = [];
    const floors: PhaseRecorder[] = [];
    /** Runs one phase, with its own server CPU profile and statement timings when asked. */
    const cpuByPhase = new Map<string, CpuUsage & { clientMs: number }>();
    const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      log(`roster bench: ${name}`);
      if (settings.profileDir) {
        await server.send({ type: 'queryStatsStart' });
        await server.send({ type: 'profileStart' });
      }
      await server.send({ type: 'cpuStart' });
      const clientCpu = process.cpuUsage();
      try {
        return await run();
      } finally {
        const used = process.cpuUsage(clientCpu);
        const cpu = await server.send<CpuUsage>({ type: 'cpuStop' });
        cpuByPhase.set(name, { ...cpu, clientMs: Math.round((used.user + used.system) / 1000) });
        if (settings.profileDir) {
          await server.send({ type: 'profileStop', file: path.join(settings.profileDir, `${name}.cpuprofile`) });
          const stats = await server.send<QueryStat[]>({ type: 'queryStatsStop' });
          fs.writeFileSync(path.join(settings.profileDir, `${name}.queries.txt`), formatQueryStats(stats));
        }
      }
    };
    // The machine is shared and its load drifts, so the floor is measured in bursts between the phases and each
    // phase is compared with the mean of the bursts just before and after it.
    const floorBurst = Math.min(1000, Math.max(200, Math.round(settings.requests / 4)));
    const measureFloor = async () =>
      floors.push(await phase(`floor-${floors.length + 1}`, () => floorPhase(workload, floorBurst)));

    log('roster bench: warm-up (not recorded)');
    await warmUp(workload);
    const steps: [string, () => Promise<PhaseRecorder>][] = [
      ['create', () => createPhase(workload)],
      ['lookup', () => lookupPhase(workload)],
      ['update', () => updatePhase(workload)],
      ['deactivate', () => deactivatePhase(workload)],
      ['group-push', () => groupPushPhase(workload)],
    ];
    // The floor burst measured just before each phase (the one after it is the next in the list).
    const burstBefore = new Map<PhaseRecorder, number>();
    let autovacuum = 'unknown';
    for (const [name, run] of steps) {
      await measureFloor();
      const recorder = await phase(name, run);
      recorders.push(recorder);
      burstBefore.set(recorder, floors.length - 1);
      if (name === 'create' && !embedded) {
        // A production database has statistics (autovacuum analyzes within a minute of such a burst of inserts);
        // a benchmark's fresh one has none yet, and the plans Roster gets without them are not what it serves with.
        autovacuum = await server.send<string>({ type: 'analyze' });
      }
    }
    // big-group runs before import, so that import pages through an Okta-scale directory (100,000+ users)
    // and its last page is a deep one; the report lists the phases in the issue's order.
    await measureFloor();
    const big = await phase('big-group', () =>
      bigGroupPhase(workload, {
        build: (groupId, members) =>
          server.send({ type: 'buildBigGroup', channelId: boot.channelId, groupId, members }),
        countMembers: (groupId) => server.send({ type: 'countMembers', channelId: boot.channelId, groupId }),
      }),
    );
    burstBefore.set(big.recorder, floors.length - 1);
    await measureFloor();
    const imported = await phase('import', () => importPhase(workload));
    burstBefore.set(imported.recorder, floors.length - 1);
    await measureFloor();
    recorders.push(imported.recorder, big.recorder);
    const bigGroup: BigGroupReport = big.report;
    const importReport: ImportReport = imported.report;

    const floorResults = floors.map((recorder) => recorder.result(null));
    const floorRps = round(median(floorResults.map((result) => result.rps)), 1);
    const phases = recorders.map((recorder) => {
      const before = burstBefore.get(recorder)!;
      const nearby = (floorResults[before].rps + floorResults[before + 1].rps) / 2;
      const cpuMsPerRequest = cpuPerRequest(cpuByPhase.get(recorder.name), recorder.requests);
      return {
        ...recorder.result(nearby),
        floorRps: round(nearby, 1),
        cpuMsPerRequest,
        cpuRatio: null as number | null,
      };
    });
    const allFloor = floors
      .reduce((sum, recorder) => (sum.absorb(recorder), sum), new PhaseRecorder('floor'))
      .result(null);
    const floorCpu = floors.map((_, i) => cpuByPhase.get(`floor-${i + 1}`)!);
    const floorResult: PhaseResult & { cpuMsPerRequest: ReturnType<typeof cpuPerRequest> } = {
      ...allFloor,
      rps: floorRps,
      cpuMsPerRequest: cpuPerRequest(
        {
          serverMs: floorCpu.reduce((sum, cpu) => sum + cpu.serverMs, 0),
          serverSystemMs: floorCpu.reduce((sum, cpu) => sum + cpu.serverSystemMs, 0),
          postgresMs: floorCpu.some((cpu) => cpu.postgresMs === null)
            ? null
            : floorCpu.reduce((sum, cpu) => sum + cpu.postgresMs!, 0),
          clientMs: floorCpu.reduce((sum, cpu) => sum + cpu.clientMs, 0),
        },
        allFloor.requests,
      ),
    };
    // On a machine where server, database and load generator share the cores, a phase's throughput relative to the
    // floor is close to the inverse ratio of their CPU costs per request; that ratio hardly moves with the
    // neighbours' load, so it is reported beside the measured one.
    const cpuTotal = (cpu: ReturnType<typeof cpuPerRequest>) =>
      cpu && cpu.postgres !== null ? cpu.server + cpu.postgres + cpu.client : null;
    const floorCpuTotal = cpuTotal(floorResult.cpuMsPerRequest);
    for (const result of phases) {
      const total = cpuTotal(result.cpuMsPerRequest);
      result.cpuRatio = floorCpuTotal && total ? round(floorCpuTotal / total, 3) : null;
    }
    const report = {
      floor: {
        rps: floorRps,
        requests: floorResult.requests,
        errors: floorResult.errors,
        p50: floorResult.p50,
        p90: floorResult.p90,
        p99: floorResult.p99,
        cpuMsPerRequest: floorResult.cpuMsPerRequest,
        bursts: floorResults.map((result) => result.rps),
      },
      phases,
      bigGroup: {
        members: bigGroup.members,
        addP50Big: bigGroup.addP50Big,
        addP50Small: bigGroup.addP50Small,
        removeP50Big: bigGroup.removeP50Big,
        removeP50Small: bigGroup.removeP50Small,
        excludedMembersGetP50: bigGroup.excludedMembersGetP50,
        samples: bigGroup.samples,
        buildSeconds: bigGroup.buildSeconds,
      },
      import: {
        firstPageMs: importReport.firstPageMs,
        lastPageMs: importReport.lastPageMs,
        cursorFirstPageMs: importReport.cursorFirstPageMs,
        cursorLastPageMs: importReport.cursorLastPageMs,
        users: importReport.users,
        pages: importReport.pages,
      },
      settings: {
        requests: settings.requests,
        concurrency: settings.concurrency,
        database: embedded ? 'embedded (PGlite)' : 'DATABASE_URL',
        serverLogLevel: settings.logLevel,
        // ANALYZE after the create phase (untimed), and after the big group's SQL build.
        analyzedAfterCreate: !embedded,
        autovacuum,
      },
      machine: machine(boot.postgres),
      date: new Date().toISOString(),
    };
    printReport(floorResult, phases, report.bigGroup, report.import);
    if (settings.json) fs.writeFileSync(settings.json, `${JSON.stringify(report, null, 2)}\n`);
    const failed = [floorResult, ...phases].some((result) => result.errors > 0);
    process.exitCode = failed ? 1 : 0;
  } finally {
    for (const made of clients) made.close();
    if (channelId && !settings.keepData && !embedded) {
      log('roster bench: deleting the benchmark channel');
      await server
        .send({ type: 'cleanup', channelId })
        .catch((error: Error) => log(`clean-up failed: ${error.message}`));
    } else if (channelId && settings.keepData) log(`roster bench: kept channel ${channelId}`);
    await server.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** CPU milliseconds per request of the phase: the server process, the database backends, the load generator. */
function cpuPerRequest(cpu: (CpuUsage & { clientMs: number }) | undefined, requests: number) {
  if (!cpu || requests === 0) return null;
  const per = (ms: number) => round(ms / requests, 3);
  return {
    server: per(cpu.serverMs),
    serverKernel: per(cpu.serverSystemMs),
    postgres: cpu.postgresMs === null ? null : per(cpu.postgresMs),
    client: per(cpu.clientMs),
  };
}

function formatQueryStats(stats: QueryStat[]): string {
  const calls = stats.reduce((sum, stat) => sum + stat.calls, 0);
  const totalMs = stats.reduce((sum, stat) => sum + stat.totalMs, 0);
  const rows = stats.slice(0, 15).map((stat) => [stat.calls, stat.totalMs, stat.meanMs, stat.sql]);
  return `${calls} statements, ${totalMs} ms of round trips in all\n\n${formatTable(['calls', 'total ms', 'mean ms', 'statement'], rows, [3])}\n`;
}

type ReportedPhase = PhaseResult & {
  floorRps?: number;
  cpuRatio?: number | null;
  cpuMsPerRequest?: { server: number; serverKernel: number; postgres: number | null; client: number } | null;
};

function printReport(
  floor: ReportedPhase,
  phases: ReportedPhase[],
  bigGroup:
    | {
        addP50Big: number;
        addP50Small: number;
        removeP50Big: number;
        removeP50Small: number;
        excludedMembersGetP50: number;
        members: number;
      }
    | undefined,
  imported:
    | { firstPageMs: number; lastPageMs: number; cursorFirstPageMs: number; cursorLastPageMs: number; users: number }
    | undefined,
) {
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const rows = [floor, ...phases].map((p) => {
    const target = FLOOR_TARGETS[p.name];
    const targetText = target ? `≥ ${target} ${verdict((p.ofFloor ?? 0) >= target && p.errors === 0)}` : '';
    const cpu = p.cpuMsPerRequest;
    return [
      p.name,
      p.requests,
      p.errors,
      p.rps,
      p.p50,
      p.p90,
      p.p99,
      p.floorRps ?? null,
      p.ofFloor,
      cpu?.server,
      cpu?.postgres,
      cpu?.client,
      p.cpuRatio ?? null,
      targetText,
    ];
  });
  const headers = [
    'phase',
    'requests',
    'errors',
    'rps',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'floor rps',
    'of floor',
    'cpu node',
    'cpu pg',
    'cpu bench',
    'cpu ratio',
    'target (of floor)',
  ];
  const out: string[] = [
    '',
    formatTable(headers, rows, [0, 13]),
    '  cpu node / pg / bench: CPU ms per request of the Roster process, of the PostgreSQL backends serving it, and of',
    '  the load generator; cpu ratio: the floor\'s total CPU per request over the phase\'s (the measured "of floor"',
    "  tends to it when the machine is CPU-bound, and it does not move with the neighbours' load).",
  ];
  for (const p of [floor, ...phases]) {
    for (const sample of p.errorSamples ?? []) out.push(`  ${p.name} error: ${sample}`);
  }
  if (bigGroup) {
    const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);
    const addRatio = ratio(bigGroup.addP50Big, bigGroup.addP50Small);
    const removeRatio = ratio(bigGroup.removeP50Big, bigGroup.removeP50Small);
    out.push(
      '',
      `big-group (${bigGroup.members} members vs 10), p50 ms:`,
      `  add     ${bigGroup.addP50Big} vs ${bigGroup.addP50Small}  (×${addRatio}; target ≤ ${BIG_GROUP_RATIO_TARGET} ${verdict(addRatio > 0 && addRatio <= BIG_GROUP_RATIO_TARGET)})`,
      `  remove  ${bigGroup.removeP50Big} vs ${bigGroup.removeP50Small}  (×${removeRatio}; target ≤ ${BIG_GROUP_RATIO_TARGET} ${verdict(removeRatio > 0 && removeRatio <= BIG_GROUP_RATIO_TARGET)})`,
      `  GET ?excludedAttributes=members  ${bigGroup.excludedMembersGetP50}`,
    );
  }
  if (imported) {
    const cursorRatio =
      imported.cursorFirstPageMs > 0 ? round(imported.cursorLastPageMs / imported.cursorFirstPageMs) : 0;
    out.push(
      '',
      `import (${imported.users} users, count=100), median ms:`,
      `  startIndex  first ${imported.firstPageMs}, last ${imported.lastPageMs}`,
      `  cursor      first ${imported.cursorFirstPageMs}, last ${imported.cursorLastPageMs}  (×${cursorRatio}; target ≤ ${CURSOR_RATIO_TARGET} ${verdict(cursorRatio > 0 && cursorRatio <= CURSOR_RATIO_TARGET)})`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n\n`);
}

main().catch((error) => {
  process.stderr.write(`roster bench: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
