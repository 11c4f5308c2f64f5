import type { Context } from 'koa';
import {
  createDirectoryGroup,
  deleteDirectoryGroup,
  updateDirectoryGroup,
  type MembershipChange,
} from '../domain/directory-group/directory-groups';
import { groupResourceType } from './schema/resource-schemas';
import { ifMatchVersion, notModified, readJsonBody, scimState } from './http';
import { LIST_RESPONSE_SCHEMA, readListRequest } from './list-request';
import { listResources, readResource } from './queries';
import { Projection, project, projectionIncludes, readProjection } from './projection';
import { applyPatch, readPatchRequest } from './patch/patch-engine';
import { MemberChangeCollector, memberIdsOfValue } from './patch/member-changes';
import { GroupRow, groupToScim } from './resources/group-mapper';
import { etagOf } from './resources/storage-mapping';
import { normalizeResource } from './resources/values';
import { badRequest, notFound } from './errors';

/** Thin handlers over the directory-group domain; membership changes travel as set operations, never as lists read back. */

const NO_SUCH_GROUP = 'No such group in this channel.';

const requestedProjection = (ctx: Context) =>
  readProjection(groupResourceType, ctx.query.attributes, ctx.query.excludedAttributes);

function requiredVersion(ctx: Context): number | undefined {
  const version = ifMatchVersion(ctx);
  return version === 'never' ? -1 : version;
}

/** Reads the group back (members only if the projection shows them) and answers with it. */
async function presentStored(ctx: Context, id: string, projection: Projection, status = 200): Promise<void> {
  const state = scimState(ctx);
  const row = await readResource(
    state.em,
    groupResourceType,
    state.channelId,
    id,
    projectionIncludes(projection, 'members'),
  );
  if (!row) throw notFound(NO_SUCH_GROUP);
  ctx.status = status;
  ctx.set('ETag', etagOf(row.version));
  ctx.body = project(groupResourceType, groupToScim(row as GroupRow, state.baseUrl), projection);
}

export async function listGroups(ctx: Context, parameters: Record<string, unknown> = ctx.query): Promise<void> {
  const state = scimState(ctx);
  const request = readListRequest(groupResourceType, parameters);
  const page = await listResources(
    state.em,
    groupResourceType,
    state.channelId,
    request,
    projectionIncludes(request.projection, 'members'),
  );
  ctx.body = {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.total,
    itemsPerPage: page.rows.length,
    ...(request.cursor ? {} : { startIndex: request.startIndex }),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    Resources: page.rows.map((row) =>
      project(groupResourceType, groupToScim(row as GroupRow, state.baseUrl), request.projection),
    ),
  };
}

export async function getGroupResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  const projection = requestedProjection(ctx);
  const row = await readResource(
    state.em,
    groupResourceType,
    state.channelId,
    ctx.params.id,
    projectionIncludes(projection, 'members'),
  );
  if (!row) throw notFound(NO_SUCH_GROUP);
  if (notModified(ctx, row.version)) {
    ctx.status = 304;
    ctx.set('ETag', etagOf(row.version));
    return;
  }
  ctx.set('ETag', etagOf(row.version));
  ctx.body = project(groupResourceType, groupToScim(row as GroupRow, state.baseUrl), projection);
}

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
  if (input.memberIds?.length) return presentStored(ctx, group.id, requestedProjection(ctx), 201);
  // No members to read back: answer from what was written (Okta and Entra create groups empty).
  ctx.status = 201;
  ctx.set('ETag', etagOf(group.version));
  const row: GroupRow = {
    id: group.id,
    display_name: group.displayName,
    external_id: group.externalId,
    version: group.version,
    created_at: group.createdAt,
    updated_at: group.updatedAt,
    members: [],
  };
  ctx.body = project(groupResourceType, groupToScim(row, state.baseUrl), requestedProjection(ctx));
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
  await presentStored(ctx, group.id, requestedProjection(ctx));
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
  await presentStored(ctx, group.id, requestedProjection(ctx));
}

export async function deleteGroupResource(ctx: Context): Promise<void> {
  const state = scimState(ctx);
  await deleteDirectoryGroup(state, ctx.params.id, { ifVersion: requiredVersion(ctx) });
  ctx.status = 204;
}
