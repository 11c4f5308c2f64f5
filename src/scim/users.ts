import type { Context } from 'koa';
import {
  createUser,
  getUser,
  removeUser,
  replaceUserProfile,
  setUserActive,
  type UserRecord,
} from '../domain/user/users';
import { DomainError, preconditionFailed } from '../domain/errors';
import { userResourceType } from './schema/resource-schemas';
import { ScimState, ifMatchVersion, notModified, readJsonBody, scimState } from './http';
import { LIST_RESPONSE_SCHEMA, readListRequest } from './list-request';
import { listResources, readResource } from './queries';
import { project, projectionIncludes, readProjection } from './projection';
import { PatchOperation, applyPatch, readPatchRequest } from './patch/patch-engine';
import { UserRow, settleUserName, userToProfile, userToScim } from './resources/user-mapper';
import { etagOf } from './resources/storage-mapping';
import { ScimObject, isObject, normalizeResource, sameJson } from './resources/values';
import { notFound } from './errors';

/** Thin handlers: parse, call the user domain, present. Rules (userName = email uniqueness, audit) live in the domain. */

const NO_SUCH_USER = 'No such user in this channel.';

function rowOf(user: UserRecord): UserRow {
  return {
    id: user.id,
    email: user.email,
    email_type: user.emailType,
    given_name: user.givenName,
    family_name: user.familyName,
    display_name: user.displayName,
    external_id: user.externalId,
    active: user.active,
    scim: user.scim,
    version: user.version,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

/** The client-writable part of a stored user, as a PATCH works on it. */
function writableDocument(row: UserRow, state: ScimState): ScimObject {
  const { schemas: _s, id: _i, meta: _m, groups: _g, ...doc } = userToScim(row, state.baseUrl);
  return doc;
}

function present(ctx: Context, row: UserRow, status = 200): void {
  const state = scimState(ctx);
  const projection = readProjection(userResourceType, ctx.query.attributes, ctx.query.excludedAttributes);
  ctx.status = status;
  ctx.set('ETag', etagOf(row.version));
  ctx.body = project(userResourceType, userToScim(row, state.baseUrl), projection);
}

/** The version a write must match (If-Match), or -1 for a tag that can match nothing. */
function requiredVersion(ctx: Context): number | undefined {
  const version = ifMatchVersion(ctx);
  return version === 'never' ? -1 : version;
}

export async function listUsers(ctx: Context, parameters: Record<string, unknown> = ctx.query): Promise<void> {
  const state = scimState(ctx);
  const request = readListRequest(userResourceType, parameters);
  const page = await listResources(
    state.em,
    userResourceType,
    state.channelId,
    request,
    projectionIncludes(request.projection, 'groups'),
  );
  ctx.body = {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.total,
    itemsPerPage: page.rows.length,
    ...(request.cursor ? {} : { startIndex: request.startIndex }),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    Resources: page.rows.map((row) =>
      project(userResourceType, userToScim(row as UserRow, state.baseUrl), request.projection),
    ),
  };
}

export async function getUserResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const projection = readProjection(userResourceType, ctx.query.attributes, ctx.query.excludedAttributes);
  const row = await readResource(
    state.em,
    userResourceType,
    state.channelId,
    ctx.params.id,
    projectionIncludes(projection, 'groups'),
  );
  if (!row) throw notFound(NO_SUCH_USER);
  if (notModified(ctx, row.version)) {
    ctx.status = 304;
    ctx.set('ETag', etagOf(row.version));
    return;
  }
  present(ctx, row as UserRow);
}

export async function createUserResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const doc = settleUserName(normalizeResource(userResourceType, await readJsonBody(ctx)));
  const user = await createUser(state, userToProfile(doc));
  ctx.set('Location', `${state.baseUrl}/Users/${user.id}`);
  present(ctx, rowOf(user), 201);
}

/** PUT replaces the profile; read-only attributes in the body (id, meta, groups) are ignored. */
export async function replaceUserResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const doc = settleUserName(normalizeResource(userResourceType, await readJsonBody(ctx)));
  const profile = userToProfile(doc);
  if (profile.active === undefined) {
    // A PUT that leaves `active` out does not (re)activate or deactivate anyone.
    const current = await getUser(state.em, state.channelId, ctx.params.id);
    if (!current) throw notFound(NO_SUCH_USER);
    profile.active = current.active;
  }
  const user = await replaceUserProfile(state, ctx.params.id, profile, { ifVersion: requiredVersion(ctx) });
  present(ctx, rowOf(user));
}

/**
 * PATCH: the user is one row, so the operations are applied to its SCIM JSON in memory and the result is saved
 * in one write guarded by the version read (retried if another write came in between, unless the client
 * named a version with If-Match).
 */
export async function patchUserResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const operations = readPatchRequest(await readJsonBody(ctx));
  const clientVersion = requiredVersion(ctx);
  const active = onlySetsActive(operations);
  if (active !== undefined && clientVersion === undefined) {
    // Deactivation and reactivation (Okta, Entra) need no read: one statement changes the flag.
    return present(ctx, rowOf(await setUserActive(state, ctx.params.id, active)));
  }
  for (let attempt = 1; ; attempt++) {
    const row = (await readResource(state.em, userResourceType, state.channelId, ctx.params.id, false)) as
      UserRow | undefined;
    if (!row) throw notFound(NO_SUCH_USER);
    if (clientVersion !== undefined && clientVersion !== row.version) {
      throw preconditionFailed('The user was changed since the version given (If-Match).');
    }
    const before = writableDocument(row, state);
    const after = applyPatch(userResourceType, before, operations);
    const settled = settleUserName(after, before);
    if (sameJson(settled, before)) return present(ctx, row);
    try {
      const user = await replaceUserProfile(state, row.id, userToProfile(settled), { ifVersion: row.version });
      return present(ctx, rowOf(user));
    } catch (error) {
      const raced = error instanceof DomainError && error.code === 'PRECONDITION_FAILED';
      if (!raced || clientVersion !== undefined || attempt >= 5) throw error;
    }
  }
}

/** The value of `active` when every operation only sets it (`{"active": false}`, path "active"), else undefined. */
function onlySetsActive(operations: PatchOperation[]): boolean | undefined {
  let active: boolean | undefined;
  for (const operation of operations) {
    if (operation.op === 'remove') return undefined;
    let value: unknown;
    if (operation.path === undefined) {
      const keys = isObject(operation.value) ? Object.keys(operation.value) : [];
      if (keys.length !== 1 || keys[0].toLowerCase() !== 'active') return undefined;
      value = (operation.value as ScimObject)[keys[0]];
    } else if (operation.path.toLowerCase() === 'active') {
      value = operation.value;
    } else {
      return undefined;
    }
    if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
      value = value.trim().toLowerCase() === 'true';
    if (typeof value !== 'boolean') return undefined; // the general path answers with the right error
    active = value;
  }
  return active;
}

export async function deleteUserResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const version = requiredVersion(ctx);
  if (version !== undefined) {
    const current = await getUser(state.em, state.channelId, ctx.params.id);
    if (!current) throw notFound(NO_SUCH_USER);
    if (current.version !== version)
      throw preconditionFailed('The user was changed since the version given (If-Match).');
  }
  await removeUser(state, ctx.params.id);
  ctx.status = 204;
}
