import type { Context } from 'koa';
import {
  createDirectoryGroup,
  deleteDirectoryGroup,
  updateDirectoryGroup,
  type DirectoryGroupRecord,
  type MembershipChange,
} from '../domain/directory-group/directory-groups';
import { groupResourceType } from './schema/resource-schemas';
import { readJsonBody, requiredVersion, scimState } from './http';
import { answerList, answerStored, answerWritten } from './reads';
import { applyPatch, readPatchRequest } from './patch/patch-engine';
import { MemberChangeCollector, memberIdsOfValue } from './patch/member-changes';
import { GroupRow } from './resources/group-mapper';
import { groupPresenter } from './resources/presenters';
import { etagOf } from './resources/storage-mapping';
import { normalizeResource } from './resources/values';
import { badRequest } from './errors';

/** Thin handlers over the directory-group domain; membership changes travel as set operations, never as lists read back. */

function groupRowOf(group: DirectoryGroupRecord): GroupRow {
  return {
    id: group.id,
    display_name: group.displayName,
    external_id: group.externalId,
    version: group.version,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
  };
}

export const listGroups = (ctx: Context, parameters?: Record<string, unknown>) =>
  answerList(ctx, groupPresenter, parameters);

export const getGroupResource = (ctx: Context) =>
  answerStored(ctx, groupPresenter, ctx.params.id, { conditional: true });

/** displayName, externalId and member ids of a POST/PUT body. */
function readGroupBody(body: unknown) {
  const doc = normalizeResource(groupResourceType, body);
  if (typeof doc.displayName !== 'string' || doc.displayName.trim() === '') {
    throw badRequest('invalidValue', 'displayName is required: the name of the group.');
  }
  const members = (body as Record<string, unknown>).members;
  return {
    displayName: doc.displayName as string,
    externalId: (doc.externalId as string | undefined) ?? null,
    memberIds: members === undefined || members === null ? undefined : memberIdsOfValue(members, 'members'),
  };
}

export async function createGroupResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const input = readGroupBody(await readJsonBody(ctx));
  const group = await createDirectoryGroup(state, input, input.memberIds ?? []);
  ctx.set('Location', `${state.baseUrl}/Groups/${group.id}`);
  if (input.memberIds?.length) return answerStored(ctx, groupPresenter, group.id, { status: 201 });
  // No members to read back: answer from what was written (Okta and Entra create groups empty).
  answerWritten(ctx, groupPresenter, { ...groupRowOf(group), members: [] }, 201);
}

/** PUT: the name, externalId and the full member list (a replacement computed as set operations in SQL). */
export async function replaceGroupResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const input = readGroupBody(await readJsonBody(ctx));
  const group = await updateDirectoryGroup(
    state,
    ctx.params.id,
    {
      displayName: input.displayName,
      externalId: input.externalId,
      members: { kind: 'replace', userIds: input.memberIds ?? [] },
    },
    { ifVersion: requiredVersion(ctx) },
  );
  await answerStored(ctx, groupPresenter, group.id);
}

// Stands for "not changed by this PATCH" in the in-memory document of the group's own attributes.
const UNCHANGED = '\u0000unchanged';

/**
 * PATCH: displayName/externalId operations run through the PATCH engine on a tiny document; member operations
 * are folded into one membership change. Both are written by one statement. The answer is 204, unless the
 * request names `attributes`/`excludedAttributes` (then 200 with those), so no member list is sent by accident.
 */
export async function patchGroupResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const operations = readPatchRequest(await readJsonBody(ctx));
  const members = new MemberChangeCollector();
  const doc = applyPatch(
    groupResourceType,
    { displayName: UNCHANGED, externalId: UNCHANGED },
    operations,
    members.handle,
  );
  if (doc.displayName === undefined) throw badRequest('invalidValue', 'displayName is required; it cannot be removed.');
  const folded = members.result();
  let membership: MembershipChange | undefined;
  if (folded?.kind === 'replace') membership = { kind: 'replace', userIds: [...folded.members] };
  else if (folded) membership = { kind: 'delta', add: [...folded.add], remove: [...folded.remove] };
  const group = await updateDirectoryGroup(
    state,
    ctx.params.id,
    {
      displayName: doc.displayName === UNCHANGED ? undefined : (doc.displayName as string),
      externalId: doc.externalId === UNCHANGED ? undefined : ((doc.externalId as string | undefined) ?? null),
      members: membership,
    },
    { ifVersion: requiredVersion(ctx) },
  );
  if (ctx.query.attributes === undefined && ctx.query.excludedAttributes === undefined) {
    ctx.status = 204;
    ctx.set('ETag', etagOf(group.version));
    return;
  }
  await answerStored(ctx, groupPresenter, group.id);
}

export async function deleteGroupResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  await deleteDirectoryGroup(state, ctx.params.id, { ifVersion: requiredVersion(ctx) });
  ctx.status = 204;
}
