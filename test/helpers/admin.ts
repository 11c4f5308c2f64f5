import type { TestRoster } from './roster';

/** Runs a GraphQL operation that must succeed, and returns its data. */
export async function gqlOk<T = any>(
  roster: TestRoster,
  credential: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const result = await roster.graphql<T>(credential, query, variables);
  if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** Runs a GraphQL operation that must fail, and returns the first error's code. */
export async function gqlErrorCode(
  roster: TestRoster,
  credential: string | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<string | undefined> {
  const result = await roster.graphql(credential, query, variables);
  if (!result.errors) throw new Error(`expected an error, got ${JSON.stringify(result.data)}`);
  return result.errors[0].extensions?.code;
}

export const GROUP_FIELDS =
  'id name samlGroupName isSamlManaged members(first: 100) { totalCount nodes { id email active } }';

/** Counts the SQL statements a block of work sends (to prove batching). */
export async function countQueries(roster: TestRoster, work: () => Promise<unknown>): Promise<number> {
  const knex = roster.roster.orm.em.getKnex();
  let count = 0;
  const onQuery = () => count++;
  knex.on('query', onQuery);
  try {
    await work();
  } finally {
    knex.off('query', onQuery);
  }
  return count;
}
