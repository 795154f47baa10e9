import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { PROBLEM_CODES, PROBLEM_TYPES, problemTypeUri, type ProblemCode } from './problem-types';
import type { RouteSpec } from './route-spec';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** What every route of an access kind may answer, beside what the route itself declares. */
function standardProblems(route: RouteSpec): Record<number, { description: string; codes: ProblemCode[] }> {
  const secured = route.access.kind !== 'public';
  const paged = route.query !== undefined && 'continuationToken' in (route.query as z.ZodObject).shape;
  const problems: Record<number, { description: string; codes: ProblemCode[] }> = {
    400: {
      description: 'The request is invalid.',
      codes: paged ? ['validation_failed', 'invalid_continuation_token'] : ['validation_failed'],
    },
    500: { description: 'An unexpected error (logged; nothing of it is echoed).', codes: ['internal_error'] },
  };
  if (secured) {
    problems[401] = { description: 'A valid bearer token is required.', codes: ['unauthenticated'] };
    problems[404] = { description: 'Not found, or not visible to the caller.', codes: ['not_found'] };
  }
  if (route.access.kind === 'workspace') {
    problems[403] = { description: "The caller's role lacks the capability.", codes: ['forbidden'] };
  }
  if (route.body) {
    problems[413] = { description: "The body is over the route's limit.", codes: ['payload_too_large'] };
    problems[415] = { description: 'The body is not sent as JSON.', codes: ['unsupported_media_type'] };
  }
  return problems;
}

/** One problem+json response: the shared Problem schema and an example of each code it can carry. */
function problemResponse(description: string, codes: readonly ProblemCode[]) {
  return {
    description,
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: PROBLEM_REF,
        examples: Object.fromEntries(
          codes.map((code) => [code, { summary: PROBLEM_TYPES[code].title, value: problemExample(code) }]),
        ),
      },
    },
  };
}

export function problemExample(code: ProblemCode) {
  const { status, title, example } = PROBLEM_TYPES[code];
  return { type: problemTypeUri(code), title, status, code, ...example };
}

/** RFC 9457 problem details, with a table of every problem type the API answers with. */
function problemSchema() {
  const rows = PROBLEM_CODES.map((code) => {
    const { status, title, description } = PROBLEM_TYPES[code];
    return `| \`${code}\` | ${status} | ${title} | ${description.replace(/\|/g, '\\|')} |`;
  });
  return {
    type: 'object' as const,
    description: [
      'An error, as RFC 9457 problem details (`application/problem+json`). Switch on `code`; `type` is',
      '`https://tenantatlas.dev/problems/` followed by the code with dashes. Some types add members',
      '(named in the table).',
      '',
      '| code | status | title | meaning |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n'),
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string' as const, format: 'uri', description: 'Identifies the problem type.' },
      title: { type: 'string' as const, description: 'The same for every occurrence of the type.' },
      status: { type: 'integer' as const, description: 'The HTTP status code.' },
      code: { type: 'string' as const, enum: PROBLEM_CODES, description: 'Stable: clients switch on it.' },
      detail: { type: 'string' as const, description: 'This occurrence, for people.' },
      errors: {
        type: 'array' as const,
        description: 'With `validation_failed`: each invalid field.',
        items: {
          type: 'object' as const,
          required: ['path', 'message'],
          properties: { path: { type: 'string' as const }, message: { type: 'string' as const } },
        },
      },
    },
    additionalProperties: true,
  };
}

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], info: { version: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  registry.registerComponent('schemas', 'Problem', problemSchema());
  for (const route of routes) {
    const declared = Object.entries(route.responses).map(([status, response]) => {
      if (Number(status) >= 400 && !response.schema) {
        return [status, problemResponse(response.description, response.problems ?? [])] as const;
      }
      const content = response.schema && { 'application/json': { schema: response.schema } };
      return [status, { description: response.description, ...(content && { content }) }] as const;
    });
    const standard = Object.entries(standardProblems(route))
      .filter(([status]) => !(status in route.responses))
      .map(([status, { description, codes }]) => [status, problemResponse(description, codes)] as const);
    registry.registerPath({
      method: route.method.toLowerCase() as 'get',
      path: route.path,
      operationId: route.name,
      summary: route.summary,
      tags: [route.tag],
      // Public routes say so explicitly: no security requirement.
      security: route.access.kind === 'public' ? [] : [{ bearer: [] }],
      request: {
        ...(route.params && { params: route.params as z.ZodObject }),
        ...(route.query && { query: route.query as z.ZodObject }),
        ...(route.body && { body: { content: { 'application/json': { schema: route.body } } } }),
      },
      responses: Object.fromEntries([...declared, ...standard]),
      'x-access':
        route.access.kind === 'workspace' ? `capability:${route.access.capability}` : route.access.kind,
      ...(route.exampleBody !== undefined && { 'x-example-body': route.exampleBody }),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'TenantAtlas Operations API',
      version: info.version,
      description:
        'Inventory, back up and restore many Microsoft Intune / Entra tenants; every long-running operation is a run you can follow live. Errors are RFC 9457 problem details (see the `Problem` schema).',
      license: { name: 'Proprietary (UNLICENSED)', url: 'https://tenantatlas.dev/license' },
    },
    // Relative to where this document is served (`/api/openapi.json`): the same host, whatever it is.
    servers: [{ url: '/api' }],
  });
}
