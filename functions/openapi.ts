import { buildOpenApiDocument } from '../shared/api/openapi';
import { registeredRoutes } from '../shared/api/route-spec';
import { appVersion } from '../shared/version';
import { defineRoute } from './http/route';

defineRoute(
  {
    name: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'The OpenAPI 3.1 document of this API',
    tag: 'Meta',
    access: { kind: 'public' },
    responses: { 200: { description: 'OpenAPI document' } },
  },
  async () => ({ status: 200, body: buildOpenApiDocument(registeredRoutes(), { version: appVersion() }) }),
);
