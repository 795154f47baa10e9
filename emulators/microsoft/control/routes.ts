import { z } from 'zod';
import { EntraDirectory } from '../entra/directory';
import { isKnownPermission } from '../entra/permissions';
import type { SimResponse } from '../graph/errors';
import type { TenantState } from '../graph/types';
import { applyRealismPatch, realismPatchSchema } from '../realism/settings';
import { applyAdminChanges } from '../tenants/admin-changes';
import { expireDeltaTokens } from '../graph/delta';
import { appServicePrincipal } from '../tenants/families/entra';
import type { Runtime } from '../runtime';

const reply = (status: number, body?: unknown): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body,
});
const problem = (status: number, detail: string) =>
  reply(status, { status, title: status === 404 ? 'Not Found' : 'Bad Request', detail });

const adminChangeSchema = z.object({
  action: z.enum(['update', 'create', 'delete', 'assign']),
  collection: z.string().startsWith('/').optional(),
  id: z.string().optional(),
  count: z.number().int().positive().max(10_000).optional(),
  actor: z.string().optional(),
  actorDisplayName: z.string().optional(),
  assignments: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
  patch: z.record(z.string(), z.unknown()).optional(),
  seed: z.number().int().optional(),
});

const userTokenSchema = z.object({
  oid: z.string(),
  tid: z.string(),
  name: z.string(),
  preferredUsername: z.string(),
  /** Negative values mint a token that has already expired (tests of the API's token validation). */
  expiresInSeconds: z
    .number()
    .int()
    .refine((v) => v !== 0, 'must not be 0')
    .optional(),
});

/**
 * The control API (`/_control/...`) tests and the local cloud use to steer the simulated Microsoft cloud:
 * realism per tenant, granted permissions, secret expiry, administrator changes, the request log.
 */
export async function handleControl(
  runtime: Runtime,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): Promise<SimResponse> {
  const parts = path.split('/').filter(Boolean).slice(1);
  const route = `${method} /${parts.map((p, i) => ((i === 1 && parts[0] === 'tenants') || (i === 3 && (parts[2] === 'apps' || parts[2] === 'templates')) || (i === 5 && parts[4] === 'permissions') ? ':' : p)).join('/')}`;
  try {
    if (route === 'GET /') return reply(200, runtime.describe());
    if (route === 'GET /requests') {
      const since = query.get('since');
      return reply(200, {
        lastSeq: runtime.log.lastSeq(),
        entries: runtime.log.list({
          tenant: query.get('tenant') ?? undefined,
          sinceSeq: since ? Number(since) : undefined,
          endpointPrefix: query.get('endpoint') ?? undefined,
        }),
      });
    }
    if (route === 'GET /requests/counts')
      return reply(200, { counts: runtime.log.countsByEndpoint(query.get('tenant') ?? undefined) });
    if (route === 'DELETE /requests') {
      runtime.log.clear();
      return reply(204);
    }
    if (route === 'PATCH /realism') {
      const patch = realismPatchSchema.parse(body);
      for (const t of runtime.tenants.values()) setRealism(runtime, t, patch, query.get('reseed') === 'true');
      return reply(200, Object.fromEntries([...runtime.tenants.values()].map((t) => [t.name, t.realism])));
    }
    if (route === 'POST /user-tokens') {
      const input = userTokenSchema.parse(body);
      return reply(200, {
        token: await runtime.issueUserToken(input, { expiresInSeconds: input.expiresInSeconds }),
      });
    }
    if (route === 'GET /tenants')
      return reply(200, { tenants: [...runtime.tenants.values()].map((t) => summary(t)) });
    if (parts[0] !== 'tenants') return problem(404, `No control route ${method} ${path}`);
    const tenant = runtime.tenantByName(parts[1] ?? '');
    if (!tenant) return problem(404, `No simulated tenant '${parts[1]}'`);
    switch (route) {
      case 'GET /tenants/:':
        return reply(200, {
          ...summary(tenant),
          realism: tenant.realism,
          apps: [...tenant.entra.apps.values()].map(appView),
        });
      case 'GET /tenants/:/realism':
        return reply(200, tenant.realism);
      case 'PATCH /tenants/:/realism':
        setRealism(runtime, tenant, realismPatchSchema.parse(body), query.get('reseed') === 'true');
        return reply(200, tenant.realism);
      case 'POST /tenants/:/reset':
        runtime.resetTenant(tenant);
        return reply(200, summary(tenant));
      case 'POST /tenants/:/apps': {
        const { displayName, permissions } = z
          .object({ displayName: z.string().min(1), permissions: z.array(z.string()).optional() })
          .parse(body);
        const app = runtime.directory.addApp(tenant.entra, displayName);
        if (permissions) {
          app.granted.clear();
          for (const p of permissions) EntraDirectory.grant(app, p);
        }
        tenant.store.add('/servicePrincipals', appServicePrincipal(tenant.entra, app));
        return reply(201, { ...appView(app), clientSecret: app.secrets[0]?.value });
      }
      case 'POST /tenants/:/delta-tokens/expire': {
        const { status } = z
          .object({ status: z.union([z.literal(400), z.literal(410)]).optional() })
          .parse(body ?? {});
        expireDeltaTokens(tenant, status);
        return reply(204);
      }
      case 'DELETE /tenants/:/templates/:': {
        // A tenant without one of Microsoft's built-in templates (tests of what a restore cannot write).
        const templates = tenant.store.collection('/deviceManagement/templates');
        if (!templates.delete(parts[3] ?? ''))
          return problem(404, `No template '${parts[3]}' in ${tenant.name}`);
        tenant.store.removed('/deviceManagement/templates', parts[3]!);
        return reply(204);
      }
      case 'POST /tenants/:/admin-changes':
        return reply(200, {
          changes: applyAdminChanges(runtime.schemas.beta, tenant, adminChangeSchema.parse(body)),
        });
    }
    const app = tenant.entra.apps.get(parts[3] ?? '');
    if (parts[2] === 'apps' && !app)
      return problem(404, `No app registration '${parts[3]}' in ${tenant.name}`);
    if (!app) return problem(404, `No control route ${method} ${path}`);
    switch (route) {
      case 'GET /tenants/:/apps/:':
        return reply(200, appView(app));
      case 'GET /tenants/:/apps/:/permissions':
        return reply(200, { granted: [...app.granted.keys()].sort() });
      case 'PUT /tenants/:/apps/:/permissions': {
        const { permissions } = z.object({ permissions: z.array(z.string()) }).parse(body);
        const unknown = permissions.filter((p) => !isKnownPermission(p));
        if (unknown.length > 0) return problem(400, `Unknown permissions: ${unknown.join(', ')}`);
        app.granted.clear();
        for (const p of permissions) EntraDirectory.grant(app, p);
        return reply(200, { granted: [...app.granted.keys()].sort() });
      }
      case 'POST /tenants/:/apps/:/permissions': {
        const { permission } = z.object({ permission: z.string() }).parse(body);
        if (!isKnownPermission(permission)) return problem(400, `Unknown permission ${permission}`);
        EntraDirectory.grant(app, permission);
        return reply(200, { granted: [...app.granted.keys()].sort() });
      }
      case 'DELETE /tenants/:/apps/:/permissions/:': {
        const permission = decodeURIComponent(parts[5] ?? '');
        if (!EntraDirectory.revoke(app, permission)) return problem(404, `${permission} is not granted`);
        return reply(200, { granted: [...app.granted.keys()].sort() });
      }
      case 'PATCH /tenants/:/apps/:/secrets': {
        const { expiresAt } = z.object({ expiresAt: z.iso.datetime() }).parse(body);
        for (const s of app.secrets) s.endDateTime = new Date(expiresAt);
        return reply(200, appView(app));
      }
    }
    return problem(404, `No control route ${method} ${path}`);
  } catch (e) {
    if (e instanceof z.ZodError) return problem(400, z.prettifyError(e));
    return problem(400, (e as Error).message);
  }
}

function setRealism(
  runtime: Runtime,
  tenant: TenantState,
  patch: z.infer<typeof realismPatchSchema>,
  reseed: boolean,
): void {
  tenant.realism = applyRealismPatch(tenant.realism, patch);
  tenant.faults.reseed(tenant.realism.faults.seed, reseed || patch.faults?.seed !== undefined);
  if (patch.rateLimit) runtime.limiter.reset(tenant.entra.tenantId);
}

function summary(t: TenantState) {
  return {
    name: t.name,
    entraTenantId: t.entra.tenantId,
    domain: t.entra.defaultDomain,
    clientId: t.entra.primaryApp.clientId,
    counts: t.store.counts(),
  };
}

function appView(app: TenantState['entra']['primaryApp']) {
  return {
    clientId: app.clientId,
    displayName: app.displayName,
    servicePrincipalId: app.servicePrincipalId,
    granted: [...app.granted.keys()].sort(),
    secrets: app.secrets.map((s) => ({
      keyId: s.keyId,
      hint: s.hint,
      endDateTime: s.endDateTime.toISOString(),
    })),
    certificates: app.certificates.map((c) => ({
      thumbprint: c.thumbprintSha1,
      thumbprintSha256: c.thumbprintSha256,
      notAfter: c.notAfter.toISOString(),
    })),
  };
}
