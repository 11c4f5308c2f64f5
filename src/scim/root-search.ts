import type { Context } from 'koa';
import { ResourceTypeDeclaration, groupResourceType, userResourceType } from './schema/resource-schemas';
import { LIST_RESPONSE_SCHEMA, ListRequest, readListRequest } from './list-request';
import { listResources } from './queries';
import { project, projectionIncludes } from './projection';
import { scimState } from './http';
import { userToScim, UserRow } from './resources/user-mapper';
import { groupToScim, GroupRow } from './resources/group-mapper';
import { ScimError, badRequest } from './errors';

/**
 * POST /.search on the root (RFC 7644 section 3.4.3): the filter runs against users and groups; a resource type
 * whose attributes the filter does not name contributes nothing. Results list users first, then groups, with
 * index paging across both.
 */
export async function searchEverything(ctx: Context, parameters: Record<string, unknown>): Promise<void> {
  const state = scimState(ctx);
  if (parameters.cursor !== undefined) {
    throw badRequest('invalidValue', 'Cursor pagination is available on /Users and /Groups, not on the root /.search.');
  }
  const requests: [ResourceTypeDeclaration, ListRequest][] = [];
  let firstError: ScimError | undefined;
  for (const resourceType of [userResourceType, groupResourceType]) {
    try {
      requests.push([resourceType, readListRequest(resourceType, parameters)]);
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      firstError ??= error;
    }
  }
  if (requests.length === 0) throw firstError!;

  const startIndex = requests[0][1].startIndex;
  let skip = startIndex - 1;
  let room = requests[0][1].count;
  let total = 0;
  const resources: Record<string, unknown>[] = [];
  for (const [resourceType, request] of requests) {
    const relation = resourceType === userResourceType ? 'groups' : 'members';
    const page = await listResources(
      state.em,
      resourceType,
      state.channelId,
      { ...request, startIndex: skip + 1, count: room },
      projectionIncludes(request.projection, relation),
    );
    total += page.total;
    skip = Math.max(0, skip - page.total);
    room -= page.rows.length;
    for (const row of page.rows) {
      const doc =
        resourceType === userResourceType
          ? userToScim(row as UserRow, state.baseUrl)
          : groupToScim(row as GroupRow, state.baseUrl);
      resources.push(project(resourceType, doc, request.projection));
    }
  }
  ctx.body = {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  };
}
