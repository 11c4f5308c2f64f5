import type { Context, Middleware, Next } from 'koa';
import type { SqlEntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors';
import type { Actor } from '../domain/context';
import { authenticateCredential } from '../domain/token/credentials';
import { ScimError, badRequest } from './errors';
import { versionOfEtag } from './resources/storage-mapping';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
/** A PUT of a 50,000-member group fits; larger bodies are 413. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** What every SCIM handler works with: the channel comes from the bearer token, never from the request. */
export interface ScimState {
  em: SqlEntityManager;
  log: Logger;
  channelId: string;
  actor: Actor;
  tokenId: string;
  baseUrl: string;
}

export const scimState = (ctx: Context): ScimState => ctx.state.scim as ScimState;

function send(ctx: Context, error: ScimError): void {
  ctx.status = error.status;
  ctx.type = SCIM_CONTENT_TYPE;
  ctx.body = error.toJSON();
}

/** Every answer in SCIM's format: errors in the SCIM error schema (never a bare 500 page), bodies as scim+json. */
export function scimResponses(): Middleware {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.body !== undefined && ctx.body !== null && typeof ctx.body === 'object') ctx.type = SCIM_CONTENT_TYPE;
    } catch (error) {
      if (error instanceof ScimError) return send(ctx, error);
      if (error instanceof DomainError) return send(ctx, fromDomainError(error));
      const log = (ctx.state.log as Logger | undefined) ?? undefined;
      log?.error({ err: error }, 'SCIM request failed');
      send(
        ctx,
        new ScimError(500, undefined, `Internal error; the request id is ${ctx.state.requestId ?? 'unknown'}.`),
      );
    }
  };
}

export function fromDomainError(error: DomainError): ScimError {
  switch (error.code) {
    case 'NOT_FOUND':
      return new ScimError(404, undefined, error.message);
    case 'CONFLICT':
      return new ScimError(409, 'uniqueness', error.message);
    case 'PRECONDITION_FAILED':
      return new ScimError(412, undefined, error.message);
    case 'UNAUTHENTICATED':
      return new ScimError(401, undefined, error.message);
    case 'FORBIDDEN':
    case 'SAML_MANAGED_GROUP':
    case 'SAML_NOT_CONFIGURED':
      return new ScimError(403, undefined, error.message);
    default:
      return new ScimError(400, 'invalidValue', error.message);
  }
}

/** Bearer SCIM token -> channel. Anything else is 401 with WWW-Authenticate, in the SCIM error format. */
export function scimAuthentication(publicUrl: string): Middleware {
  return async (ctx: Context, next: Next) => {
    if (ctx.state.scim) return next(); // already authenticated (a re-dispatched request)
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const em = ctx.state.em as SqlEntityManager;
    const credential = match ? await authenticateCredential(em, 'scim_token', match[1]) : null;
    if (!credential) {
      ctx.set('WWW-Authenticate', 'Bearer realm="Roster SCIM"' + (match ? ', error="invalid_token"' : ''));
      throw new ScimError(
        401,
        undefined,
        match
          ? 'The SCIM token is not valid (unknown or revoked). Issue a new token in Roster and paste it into your identity provider.'
          : 'Authentication required: send "Authorization: Bearer <SCIM token>".',
      );
    }
    const state: ScimState = {
      em,
      log: ctx.state.log,
      channelId: credential.channelId,
      actor: { type: 'scim_token', id: credential.id, label: credential.prefix },
      tokenId: credential.id,
      baseUrl: `${publicUrl}/scim/v2`,
    };
    ctx.state.scim = state;
    await next();
  };
}

/**
 * A per-token token bucket: `perMinute` requests a minute, with bursts up to the same number. Kept per process
 * (a limit against runaway clients, not an accounting of quota); 429 says when to come back.
 */
export function scimRateLimit(perMinute: number): Middleware {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  return async (ctx: Context, next: Next) => {
    if (ctx.state.scimCounted) return next();
    ctx.state.scimCounted = true;
    const { tokenId } = scimState(ctx);
    const now = Date.now();
    const bucket = buckets.get(tokenId) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      buckets.set(tokenId, bucket);
      ctx.set('Retry-After', String(Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000))));
      throw new ScimError(
        429,
        undefined,
        `Too many requests for this SCIM token (limit ${perMinute} a minute); retry later.`,
      );
    }
    bucket.tokens -= 1;
    buckets.set(tokenId, bucket);
    if (buckets.size > 100_000) buckets.clear();
    await next();
  };
}

/**
 * Reads a JSON body (application/scim+json or application/json) of at most 8 MB: larger is 413, not JSON is
 * 400 invalidSyntax.
 */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  const type = ctx.get('content-type');
  if (type && !/json/i.test(type)) {
    throw new ScimError(415, undefined, `Send the body as application/scim+json or application/json, not "${type}".`);
  }
  const tooLarge = () => {
    ctx.set('Connection', 'close');
    ctx.req.resume(); // discard the rest, so that the client reads our answer
    return new ScimError(413, undefined, `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
  };
  const declared = Number(ctx.get('content-length'));
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, ''); // some clients send a BOM
  if (text.trim() === '') throw badRequest('invalidSyntax', 'The request needs a JSON body.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw badRequest('invalidSyntax', `The request body is not valid JSON: ${(error as Error).message}.`);
  }
  // PostgreSQL text cannot hold U+0000; refuse it here rather than fail in the database.
  if ((text.includes('\\u0000') || text.includes('\0')) && containsNul(body)) {
    throw badRequest('invalidValue', 'Text values cannot contain the NUL character (\\u0000).');
  }
  return body;
}

/**
 * The version an If-Match header requires: undefined when there is none (or "*"), -1 when it names no version
 * of ours (so the write answers 412, or 404 for a resource that does not exist).
 */
export function requiredVersion(ctx: Context): number | undefined {
  const header = ctx.get('if-match').trim();
  if (!header || header === '*') return undefined;
  const versions = header
    .split(',')
    .map((tag) => versionOfEtag(tag))
    .filter((version): version is number => version !== undefined);
  if (versions.length === 0) return -1;
  return versions.length === 1 ? versions[0] : undefined;
}

/** If-None-Match on a GET: true when the client's copy is current (answer 304). */
export function notModified(ctx: Context, version: number): boolean {
  const header = ctx.get('if-none-match').trim();
  if (!header) return false;
  if (header === '*') return true;
  return header.split(',').some((tag) => versionOfEtag(tag) === version);
}

function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => key.includes('\0') || containsNul(inner));
  }
  return false;
}
