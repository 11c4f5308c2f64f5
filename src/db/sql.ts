import crypto from 'node:crypto';
import type { Knex, SqlEntityManager } from '@mikro-orm/postgresql';

/**
 * A PostgreSQL array literal for one `?::text[]` / `?::uuid[]` parameter. (knex would expand a JS array
 * into a list of parameters, which is not what a set operation over thousands of ids wants.)
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

let prepareStatements = false;

/**
 * Whether hot statements are prepared (named) on their connection. On PostgreSQL, yes: for Roster's
 * single-statement writes, planning costs more than executing. Not on the embedded database, whose socket
 * multiplexes every connection onto one session, where two connections' statements of one name would collide.
 */
export function configureStatements(options: { prepare: boolean }): void {
  prepareStatements = options.prepare;
}

/**
 * Runs a statement of the request path, in the EntityManager's transaction if it has one; prepared once per
 * connection (named after a hash of its text) when `configureStatements` allows it. Same `?` placeholders
 * and result rows as `em.execute`.
 */
export async function run<T = Record<string, any>>(
  em: SqlEntityManager,
  sql: string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  if (!prepareStatements) return (await em.execute(sql, params as unknown[])) as T[];
  let raw = em.getKnex().raw(sql, params as Knex.RawBinding[]);
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) raw = raw.transacting(transaction);
  const name = `r_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
  const result = (await raw.options({ name })) as { rows: T[] };
  return result.rows;
}
