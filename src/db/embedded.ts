import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  /** A connection string for the ordinary Postgres driver. */
  url: string;
  stop(): Promise<void>;
}

export class DataDirLockedError extends Error {}

/**
 * Real PostgreSQL (PGlite, in process) with its data under `dataDir`, served to the ordinary Postgres
 * driver over a loopback socket. A lock file keeps a second process off the same directory: PGlite is
 * single-process, and two writers would corrupt it.
 */
export async function startEmbeddedDatabase(
  dataDir: string,
  options: { maxConnections?: number; inMemory?: boolean } = {},
): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireLock(path.join(dataDir, 'roster.lock'));
  try {
    const db = await PGlite.create(options.inMemory ? undefined : path.join(dataDir, 'pgdata'));
    const server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: options.maxConnections ?? 4,
    });
    await server.start();
    return {
      url: `postgresql://postgres@${server.getServerConn()}/postgres`,
      async stop() {
        await server.stop();
        await db.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

function acquireLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `ROSTER_DATA_DIR: ${path.dirname(lockPath)} is in use by another Roster process (pid ${holder}); ` +
            'stop it, or point ROSTER_DATA_DIR elsewhere, or set DATABASE_URL',
        );
      }
      // The holder is gone (a crash, a kill -9): the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`ROSTER_DATA_DIR: could not take the lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
