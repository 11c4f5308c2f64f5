import type { SqlEntityManager } from '@mikro-orm/postgresql';

/** How long an SP-initiated sign-in may take at the IdP (password, MFA) before its request ID expires. */
export const AUTHN_REQUEST_TTL_SECONDS = 10 * 60;

/**
 * Sign-ins one channel may have in progress at once. /login is unauthenticated, so without a ceiling anyone
 * could fill the table; a real channel starts far fewer sign-ins within one TTL.
 */
export const MAX_PENDING_AUTHN_REQUESTS = 20_000;

/**
 * Remembers the ID of an AuthnRequest this SP sent, with where to go after sign-in, so that the response
 * can be matched to it once. Expired requests of the channel are swept on the way. Answers false (and
 * remembers nothing) when the channel already has MAX_PENDING_AUTHN_REQUESTS sign-ins in progress.
 */
export async function rememberAuthnRequest(
  em: SqlEntityManager,
  channelId: string,
  requestId: string,
  returnTo: string | null,
  ttlSeconds = AUTHN_REQUEST_TTL_SECONDS,
): Promise<boolean> {
  await em.execute('delete from saml_request where channel_id = ? and expires_at <= now()', [channelId]);
  const inserted = await em.execute(
    `insert into saml_request (channel_id, id, return_to, expires_at)
     select ?, ?, ?, now() + make_interval(secs => ?)
     where (select count(*) from saml_request where channel_id = ?) < ?
     returning id`,
    [channelId, requestId, returnTo, ttlSeconds, channelId, MAX_PENDING_AUTHN_REQUESTS],
  );
  return inserted.length === 1;
}

/**
 * Consumes a remembered AuthnRequest: answers its returnTo, or null when this channel never issued it, it
 * expired, or it was already answered. A single DELETE ... RETURNING, so two processes cannot both use it.
 */
export async function consumeAuthnRequest(
  em: SqlEntityManager,
  channelId: string,
  requestId: string,
): Promise<{ returnTo: string | null } | null> {
  const [row] = await em.execute(
    'delete from saml_request where channel_id = ? and id = ? and expires_at > now() returning return_to',
    [channelId, requestId],
  );
  return row ? { returnTo: row.return_to ?? null } : null;
}
