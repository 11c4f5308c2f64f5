import type { Context } from 'koa';
import { LIST_RESPONSE_SCHEMA, ListRequest, readListRequest } from './list-request';
import { listResources } from './queries';
import { project, projectionIncludes } from './projection';
import { scimState } from './http';
import { ResourcePresenter, groupPresenter, userPresenter } from './resources/presenters';
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
  const requests: [ResourcePresenter, ListRequest][] = [];
  let firstError: ScimError | undefined;
  for (const presenter of [userPresenter, groupPresenter]) {
    try {
      requests.push([presenter, readListRequest(presenter.resourceType, parameters)]);
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
  for (const [presenter, request] of requests) {
    const page = await listResources(
      state.em,
      presenter.resourceType,
      state.channelId,
      { ...request, startIndex: skip + 1, count: room },
      projectionIncludes(request.projection, presenter.relation),
    );
    total += page.total;
    skip = Math.max(0, skip - page.total);
    room -= page.rows.length;
    for (const row of page.rows) {
      resources.push(project(presenter.resourceType, presenter.toScim(row, state.baseUrl), request.projection));
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
