import Router from '@koa/router';
import type { Context } from 'koa';
import type { AppDeps } from '../app';
import { readJsonBody, scimAuthentication, scimRateLimit, scimResponses, scimState } from './http';
import {
  createUserResource,
  deleteUserResource,
  getUserResource,
  listUsers,
  patchUserResource,
  replaceUserResource,
} from './users';
import {
  createGroupResource,
  deleteGroupResource,
  getGroupResource,
  listGroups,
  patchGroupResource,
  replaceGroupResource,
} from './groups';
import { resourceTypeById, resourceTypeList, schemaById, schemaList, serviceProviderConfig } from './discovery';
import { searchParameters } from './list-request';
import { searchEverything } from './root-search';
import { notFound } from './errors';

/**
 * The SCIM 2.0 service provider (RFC 7643, RFC 7644, RFC 9865 cursors) under /scim/v2. The channel is the
 * SCIM token's; every route answers in SCIM's media type and error format.
 */
export function scimRouter(deps: AppDeps): Router {
  const router = new Router({ prefix: '/scim/v2' });
  router.use(scimResponses());
  router.use(scimAuthentication(deps.config.publicUrl));
  router.use(scimRateLimit(deps.config.scimRateLimitPerMinute));

  const baseUrl = (ctx: Context) => scimState(ctx).baseUrl;
  router.get('/ServiceProviderConfig', (ctx) => void (ctx.body = serviceProviderConfig(baseUrl(ctx))));
  router.get('/ResourceTypes', (ctx) => void (ctx.body = resourceTypeList(baseUrl(ctx))));
  router.get('/ResourceTypes/:id', (ctx) => void (ctx.body = resourceTypeById(ctx.params.id, baseUrl(ctx))));
  router.get('/Schemas', (ctx) => void (ctx.body = schemaList(baseUrl(ctx))));
  router.get('/Schemas/:id', (ctx) => void (ctx.body = schemaById(ctx.params.id, baseUrl(ctx))));

  router.get('/Users', (ctx) => listUsers(ctx));
  router.post('/Users/.search', async (ctx) => listUsers(ctx, searchParameters(await readJsonBody(ctx))));
  router.post('/Users', createUserResource);
  router.get('/Users/:id', getUserResource);
  router.put('/Users/:id', replaceUserResource);
  router.patch('/Users/:id', patchUserResource);
  router.delete('/Users/:id', deleteUserResource);

  router.get('/Groups', (ctx) => listGroups(ctx));
  router.post('/Groups/.search', async (ctx) => listGroups(ctx, searchParameters(await readJsonBody(ctx))));
  router.post('/Groups', createGroupResource);
  router.get('/Groups/:id', getGroupResource);
  router.put('/Groups/:id', replaceGroupResource);
  router.patch('/Groups/:id', patchGroupResource);
  router.delete('/Groups/:id', deleteGroupResource);

  router.post('/.search', async (ctx) => searchEverything(ctx, searchParameters(await readJsonBody(ctx))));

  const dispatch = router.routes();
  router.all('/{*rest}', (ctx, next) => {
    // A base URL pasted with a trailing slash makes clients ask for "/scim/v2//Users": route it as "/Users".
    if (ctx.path.includes('//') && !ctx.newRouterPath) {
      ctx.newRouterPath = ctx.path.replace(/\/{2,}/g, '/');
      return dispatch(ctx, next);
    }
    throw notFound(
      'No such SCIM endpoint. Roster serves /Users, /Groups, /ServiceProviderConfig, /ResourceTypes, /Schemas and /.search.',
    );
  });
  return router;
}
