import {
  app,
  type FunctionInput,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import type { z } from 'zod';
import { openPageTokens, sealPageTokens, type PageScope } from '../../shared/api/page-token';
import { PROBLEM_CONTENT_TYPE, toProblem } from '../../shared/api/problem';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from '../../shared/api/request-body';
import { registerRouteSpec, type RouteAccess, type RouteSpec } from '../../shared/api/route-spec';
import { getServices, type Services } from '../../shared/app/services';
import type { Principal } from '../../shared/auth/token-verifier';
import { authorizeInWorkspace } from '../../shared/authz/authorize';
import { AppError, NotFoundError, ValidationError } from '../../shared/errors';
import type { Run } from '../../shared/operations/model';
import type { ManagedTenant, Membership } from '../../shared/workspaces/models';

export interface RouteContext<P, Q, B, A extends RouteAccess = RouteAccess> {
  principal: Principal;
  /** The caller's membership, for workspace routes. */
  membership: A extends { kind: 'workspace' } ? Membership : undefined;
  /** The managed tenant of the path, for tenant routes: a tenant of the caller's workspace. */
  tenant: A extends { scope: 'tenant' } ? ManagedTenant : undefined;
  /** The run a run-scoped route was authorized through. */
  run: A extends { scope: 'run' } ? Run : undefined;
  params: P;
  query: Q;
  body: B;
  request: HttpRequest;
  invocation: InvocationContext;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

/**
 * Declares an HTTP route: its spec (schemas, capability, responses) goes into the route table behind
 * the OpenAPI document, and the function is registered with the one pipeline every route shares:
 * authenticate → validate path → resolve the workspace (membership: 404 for a non-member, 403 without
 * the capability) → validate query and body → resolve the tenant (404) → handler → problem+json on error.
 */
export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  A extends RouteAccess = RouteAccess,
>(
  spec: RouteSpec<P, Q, B> & { access: A },
  handler: (context: RouteContext<Infer<P>, Infer<Q>, Infer<B>, A>) => Promise<RouteResult>,
  bindings: { extraInputs?: FunctionInput[] } = {},
): void {
  registerRouteSpec(spec as unknown as RouteSpec);
  app.http(spec.name, {
    route: spec.path.replace(/^\//, ''),
    methods: [spec.method],
    // Callers authenticate with Entra bearer tokens checked below, not with function keys.
    authLevel: 'anonymous',
    ...(bindings.extraInputs && { extraInputs: bindings.extraInputs }),
    handler: async (request, invocation): Promise<HttpResponseInit> => {
      try {
        const services = spec.access.kind === 'public' ? undefined : getServices();
        const principal = services
          ? await services.verifyToken(request.headers.get('authorization'))
          : anonymous;
        const params = parse(spec.params, request.params, 'path') as Infer<P>;
        const rawQuery = Object.fromEntries(request.query.entries());
        let membership: Membership | undefined;
        let run: Run | undefined;
        if (spec.access.kind === 'workspace') {
          const scope = await resolveScope(spec.access.scope ?? 'path', params, rawQuery);
          run = scope.run;
          membership = await authorizeInWorkspace(
            services!,
            principal,
            scope.workspaceId,
            spec.access.capability,
            {
              route: spec.name,
              ...(scope.tenantId && { tenantId: scope.tenantId }),
            },
          ).catch((error: unknown) => {
            // For a run, "not a member" must not reveal that the run exists.
            throw run && error instanceof NotFoundError ? new NotFoundError('The operation') : error;
          });
        }
        const pageScope: PageScope = { route: spec.name, callerId: principal.userId, pathIds: params ?? {} };
        const query = parse(
          spec.query,
          services ? openPageTokens(services.pageTokens, rawQuery, pageScope) : rawQuery,
          'query',
        ) as Infer<Q>;
        const json = await readJsonBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
        const body = (spec.body ? parse(spec.body, json, 'body') : undefined) as Infer<B>;
        const tenant =
          spec.access.kind === 'workspace' && spec.access.scope === 'tenant'
            ? await requireTenant(services!, params as { workspaceId: string; tenantId: string })
            : undefined;
        // The access kind decides which of these are set; RouteContext states it for the handler.
        const resolved = { membership, tenant, run } as Pick<
          RouteContext<unknown, unknown, unknown, A>,
          'membership' | 'tenant' | 'run'
        >;
        const result = await handler({ principal, ...resolved, params, query, body, request, invocation });
        return {
          status: result.status,
          headers: result.headers,
          ...(result.body !== undefined && {
            jsonBody: services ? sealPageTokens(services.pageTokens, result.body, pageScope) : result.body,
          }),
        };
      } catch (error) {
        return problemResponse(error, invocation);
      }
    },
  });
}

/** The path's tenant, when it is one of the path's workspace; any other id "does not exist". */
export async function requireTenant(
  services: Services,
  { workspaceId, tenantId }: { workspaceId: string; tenantId: string },
): Promise<ManagedTenant> {
  const tenant = await services.workspaces.getTenant(workspaceId, tenantId);
  if (!tenant) throw new NotFoundError('The managed tenant');
  return tenant;
}

async function resolveScope(
  source: 'path' | 'tenant' | 'query' | 'run',
  params: unknown,
  query: Record<string, string>,
): Promise<{ workspaceId: string; tenantId?: string; run?: Run }> {
  const path = (params ?? {}) as { workspaceId?: string; tenantId?: string; runId?: string };
  if (source === 'path' || source === 'tenant')
    return { workspaceId: String(path.workspaceId), tenantId: path.tenantId };
  if (source === 'query') {
    if (!query.workspaceId) {
      throw new ValidationError('The request query is invalid.', [
        { path: 'query.workspaceId', message: 'Required' },
      ]);
    }
    return { workspaceId: query.workspaceId, tenantId: query.tenantId };
  }
  const run = await getServices().operations.get(String(path.runId));
  if (!run) throw new NotFoundError('The operation');
  return { workspaceId: run.workspaceId, tenantId: run.tenantId, run };
}

const anonymous: Principal = {
  userId: 'anonymous',
  homeTenantId: '',
  displayName: 'anonymous',
  username: '',
};

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    `The request ${where} is invalid.`,
    result.error.issues.map((issue) => ({
      path: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

export function problemResponse(error: unknown, invocation: InvocationContext): HttpResponseInit {
  const problem = toProblem(error);
  if (!(error instanceof AppError) || problem.status >= 500) {
    invocation.error(
      `${invocation.functionName} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  }
  return {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(problem),
  };
}
