import type { z } from 'zod';
import type { Capability } from '../authz/capabilities';
import type { ProblemCode } from './problem-types';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route. Workspace routes resolve the caller's role in the workspace named by the path's
 * `{workspaceId}` (default), the query's `workspaceId`, or the workspace of the run in `{runId}`.
 * `tenant` routes also resolve the path's `{tenantId}` as a managed tenant of that workspace (404 when
 * it is not one) and hand it to the handler.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'workspace'; capability: Capability; scope?: 'path' | 'tenant' | 'query' | 'run' };

export interface RouteResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** For error statuses: the problem codes this route answers with (problem+json, with examples). */
  problems?: ProblemCode[];
}

/**
 * Everything the outside world needs to know about a route, declared next to its handler: the same
 * object drives validation, authorization, the OpenAPI document and the authorization test matrix.
 */
export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  /** The function name (unique). */
  name: string;
  method: HttpMethod;
  /** OpenAPI-style path below /api, e.g. `/workspaces/{workspaceId}/tenants`. */
  path: string;
  summary: string;
  tag: string;
  access: RouteAccess;
  params?: P;
  query?: Q;
  body?: B;
  /** Largest request body accepted, in bytes (default DEFAULT_MAX_BODY_BYTES); larger ones are a 413. */
  maxBodyBytes?: number;
  /** An example body the authorization matrix test can send. */
  exampleBody?: z.input<B>;
  responses: Record<number, RouteResponseSpec>;
}

const routeTable: RouteSpec[] = [];

export function registerRouteSpec(spec: RouteSpec): void {
  if (routeTable.some((r) => r.name === spec.name)) throw new Error(`Route ${spec.name} is declared twice.`);
  routeTable.push(spec);
}

export function registeredRoutes(): readonly RouteSpec[] {
  return routeTable;
}
