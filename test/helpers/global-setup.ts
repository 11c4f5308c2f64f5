import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { migrate, openOrm } from '../../src/db/orm';
import { startEmbeddedDatabase } from '../../src/db/embedded';

/**
 * Prepares the database every test file's Roster talks to, once per run: with DATABASE_URL, a throwaway
 * database on that server (dropped afterwards); without it, the embedded PostgreSQL (PGlite, in memory)
 * served over pglite-socket — it cannot run inside jest's module sandbox, so it lives here.
 */
export default async function globalSetup(): Promise<void> {
  let url: string;
  if (process.env.DATABASE_URL) {
    const server = new URL(process.env.DATABASE_URL);
    const name = `roster_test_${crypto.randomBytes(4).toString('hex')}`;
    const admin = await MikroORM.init({
      clientUrl: server.toString(),
      entities: [],
      discovery: { warnWhenNoEntities: false },
    });
    await admin.em.fork().execute(`create database ${name}`);
    await admin.close();
    server.pathname = `/${name}`;
    url = server.toString();
    (globalThis as Record<string, unknown>).__rosterTestDatabase = { kind: 'postgres', url, name };
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-test-'));
    const embedded = await startEmbeddedDatabase(dataDir, { inMemory: true, maxConnections: 64 });
    url = embedded.url;
    (globalThis as Record<string, unknown>).__rosterTestDatabase = { kind: 'embedded', embedded, dataDir };
    // The socket multiplexes every connection onto PGlite's one session, where named statements would collide.
    process.env.ROSTER_DB_PREPARED_STATEMENTS = 'false';
  }
  const orm = await openOrm({ clientUrl: url, poolMax: 1 });
  await migrate(orm);
  await orm.close();
  process.env.ROSTER_TEST_DATABASE_URL = url;
}
