import type { Context } from 'koa';
import { notModified, scimState } from './http';
import { LIST_RESPONSE_SCHEMA, readListRequest } from './list-request';
import { listResources, readResource } from './queries';
import { project, projectionIncludes, readProjection } from './projection';
import { ResourcePresenter } from './resources/presenters';
import { etagOf } from './resources/storage-mapping';
import { notFound } from './errors';

/** GET /Users, GET /Groups and their POST /.search: one page as a ListResponse. */
export async function answerList(
  ctx: Context,
  presenter: ResourcePresenter,
  parameters: Record<string, unknown> = ctx.query,
): Promise<void> {
  const state = scimState(ctx);
  const { resourceType } = presenter;
  const request = readListRequest(resourceType, parameters);
  const withRelation = projectionIncludes(request.projection, presenter.relation);
  const page = await listResources(state.em, resourceType, state.channelId, request, withRelation);
  ctx.body = {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: page.total,
    itemsPerPage: page.rows.length,
    ...(request.cursor ? {} : { startIndex: request.startIndex }),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    Resources: page.rows.map((row) => project(resourceType, presenter.toScim(row, state.baseUrl), request.projection)),
  };
}

/**
 * One resource read back from the database and answered (GET by id, and after writes whose answer needs
 * what only the database knows, such as a group's members). `conditional`: honour If-None-Match (304).
 */
export async function answerStored(
  ctx: Context,
  presenter: ResourcePresenter,
  id: string,
  options: { status?: number; conditional?: boolean } = {},
): Promise<void> {
  const state = scimState(ctx);
  const { resourceType } = presenter;
  const projection = readProjection(resourceType, ctx.query.attributes, ctx.query.excludedAttributes);
  const withRelation = projectionIncludes(projection, presenter.relation);
  const row = await readResource(state.em, resourceType, state.channelId, id, withRelation);
  if (!row) throw notFound(`No such ${resourceType.name.toLowerCase()} in this channel.`);
  ctx.set('ETag', etagOf(row.version));
  if (options.conditional && notModified(ctx, row.version)) {
    ctx.status = 304;
    return;
  }
  ctx.status = options.status ?? 200;
  ctx.body = project(resourceType, presenter.toScim(row, state.baseUrl), projection);
}

/** A resource just written, answered from what the write returned (no read back). */
export function answerWritten(
  ctx: Context,
  presenter: ResourcePresenter,
  row: Record<string, any>,
  status = 200,
): void {
  const state = scimState(ctx);
  const { resourceType } = presenter;
  const projection = readProjection(resourceType, ctx.query.attributes, ctx.query.excludedAttributes);
  ctx.status = status;
  ctx.set('ETag', etagOf(row.version));
  ctx.body = project(resourceType, presenter.toScim(row, state.baseUrl), projection);
}
