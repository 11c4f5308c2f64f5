import Router from '@koa/router';
import type { AppDeps } from '../app';

// Placeholder from the foundation, so that the app builds; the SCIM work replaces this file.
export function scimRouter(_deps: AppDeps): Router {
  return new Router({ prefix: '/scim/v2' });
}
