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
import { ScimState, readJsonBody, requiredVersion, scimState } from './http';
import { readResource } from './queries';
import { answerList, answerStored, answerWritten } from './reads';
import { PatchOperation, applyPatch, readPatchRequest } from './patch/patch-engine';
import { UserRow, settleUserName, userToProfile, userToScim } from './resources/user-mapper';
import { userPresenter } from './resources/presenters';
import { ScimObject, isObject, normalizeResource, sameJson } from './resources/values';
import { notFound } from './errors';

/** Thin handlers: parse, call the user domain, present. Rules (userName uniqueness, audit) live in the domain. */

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

export const listUsers = (ctx: Context, parameters?: Record<string, unknown>) =>
  answerList(ctx, userPresenter, parameters);

export const getUserResource = (ctx: Context) => answerStored(ctx, userPresenter, ctx.params.id, { conditional: true });

export async function createUserResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const doc = settleUserName(normalizeResource(userResourceType, await readJsonBody(ctx)));
  const user = await createUser(state, userToProfile(doc));
  ctx.set('Location', `${state.baseUrl}/Users/${user.id}`);
  answerWritten(ctx, userPresenter, rowOf(user), 201);
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
  answerWritten(ctx, userPresenter, rowOf(user));
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
    return answerWritten(ctx, userPresenter, rowOf(await setUserActive(state, ctx.params.id, active)));
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
    if (sameJson(settled, before)) return answerWritten(ctx, userPresenter, row);
    try {
      const user = await replaceUserProfile(state, row.id, userToProfile(settled), { ifVersion: row.version });
      return answerWritten(ctx, userPresenter, rowOf(user));
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
