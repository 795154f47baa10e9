import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import type { RouteSpec } from './route-spec';

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const STANDARD_ERRORS: Record<number, string> = {
  400: 'The request is invalid (`validation_failed`).',
  401: 'A valid bearer token is required.',
  403: "The caller's role lacks the capability.",
  404: 'Not found, or not visible to the caller.',
};

const BODY_ERRORS: Record<number, string> = {
  413: "The body is over the route's limit (`payload_too_large`, 1 MB unless the route says otherwise).",
  415: 'The body is not sent as `application/json` (`unsupported_media_type`).',
};

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(
  routes: readonly RouteSpec[],
  info: { version: string; serverUrl: string },
) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of routes) {
    const secured = route.access.kind !== 'public';
    const errors = [
      ...Object.entries(STANDARD_ERRORS).filter(([status]) => secured || status === '400'),
      ...(route.body ? Object.entries(BODY_ERRORS) : []),
    ];
    registry.registerPath({
      method: route.method.toLowerCase() as 'get',
      path: route.path,
      operationId: route.name,
      summary: route.summary,
      tags: [route.tag],
      ...(secured && { security: [{ bearer: [] }] }),
      request: {
        ...(route.params && { params: route.params as z.ZodObject }),
        ...(route.query && { query: route.query as z.ZodObject }),
        ...(route.body && { body: { content: { 'application/json': { schema: route.body } } } }),
      },
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, response]) => [
            status,
            {
              description: response.description,
              ...(response.schema && { content: { 'application/json': { schema: response.schema } } }),
            },
          ]),
        ),
        ...Object.fromEntries(
          errors.map(([status, description]) => [
            status,
            { description, content: { 'application/problem+json': { schema: problemSchema } } },
          ]),
        ),
      },
      'x-access':
        route.access.kind === 'workspace' ? `capability:${route.access.capability}` : route.access.kind,
      ...(route.exampleBody !== undefined && { 'x-example-body': route.exampleBody }),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'TenantAtlas Operations API', version: info.version },
    servers: [{ url: info.serverUrl }],
  });
}
