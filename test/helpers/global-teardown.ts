import fs from 'node:fs';
import { MikroORM } from '@mikro-orm/postgresql';
import type { EmbeddedDatabase } from '../../src/db/embedded';

type TestDatabase =
  { kind: 'postgres'; url: string; name: string } | { kind: 'embedded'; embedded: EmbeddedDatabase; dataDir: string };

export default async function globalTeardown(): Promise<void> {
  const db = (globalThis as Record<string, unknown>).__rosterTestDatabase as TestDatabase | undefined;
  if (!db) return;
  if (db.kind === 'embedded') {
    await db.embedded.stop();
    fs.rmSync(db.dataDir, { recursive: true, force: true });
    return;
  }
  const admin = await MikroORM.init({
    clientUrl: process.env.DATABASE_URL,
    entities: [],
    discovery: { warnWhenNoEntities: false },
  });
  await admin.em.fork().execute(`drop database if exists ${db.name} with (force)`);
  await admin.close();
}
