import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { ReflectMetadataProvider } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { migrationsList } from '../../migrations';

export interface OrmOptions {
  clientUrl: string;
  /** The embedded database serves one connection at a time, so its pool holds one. */
  poolMax: number;
  debug?: boolean;
  /**
   * Switch PostgreSQL's JIT compiler off for these connections: Roster's statements are short OLTP work that never
   * repays a compile, and a large cost estimate (a deep page) would otherwise buy hundreds of ms of compiling.
   */
  jitOff?: boolean;
  /** Where MikroORM's own messages (the migrator's progress) go; silent by default. */
  log?: (message: string) => void;
}

/**
 * MikroORM gives Roster its connection pool, the per-request EntityManager, transactions and migrations.
 * The domain speaks SQL through it: nearly every operation is a set operation, or a single statement that
 * writes a row together with its audit event, which a unit of work would spread over several round trips.
 */
export function ormOptions(options: OrmOptions): Options {
  return {
    clientUrl: options.clientUrl,
    entities: [],
    discovery: { warnWhenNoEntities: false },
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    pool: { min: 0, max: options.poolMax },
    ...(options.jitOff ? { driverOptions: { connection: { options: '-c jit=off' } } } : {}),
    debug: options.debug ?? false,
    logger: options.log ?? (() => undefined),
    allowGlobalContext: false,
    migrations: {
      tableName: 'roster_migrations',
      migrationsList,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
  };
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init(ormOptions(options));
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
