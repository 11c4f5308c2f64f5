import type { SqlEntityManager } from '@mikro-orm/postgresql';

/**
 * Records that an assertion was used. Answers false when the same issuer's assertion ID was seen before in
 * this channel: a replay. One INSERT ... ON CONFLICT DO NOTHING against the primary key, so the check holds
 * across any number of Roster processes on the same database (a concurrent second insert waits for the
 * first transaction and then finds the row).
 *
 * `keepUntil` is when the assertion stops being acceptable anyway (its NotOnOrAfter plus clock skew);
 * expired entries of the channel are swept on the way.
 */
export async function consumeAssertionId(
  em: SqlEntityManager,
  channelId: string,
  issuer: string,
  assertionId: string,
  keepUntil: Date,
): Promise<boolean> {
  await em.execute('delete from saml_replay where channel_id = ? and expires_at < now()', [channelId]);
  const rows = await em.execute(
    `insert into saml_replay (channel_id, issuer, assertion_id, expires_at) values (?, ?, ?, ?)
     on conflict do nothing returning assertion_id`,
    [channelId, issuer, assertionId, keepUntil],
  );
  return rows.length === 1;
}
