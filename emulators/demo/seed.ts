import type { Principal } from '../../shared/auth/token-verifier';
import { getServices } from '../../shared/app/services';
import type { Role } from '../../shared/authz/capabilities';
import { ConflictError } from '../../shared/errors';
import { stableGuid } from './ids';

export interface DemoTenantCredentials {
  name: string;
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface DemoUser {
  name: string;
  displayName: string;
  username: string;
  oid: string;
  role: Role;
  workspaceId: string;
}

export interface DemoDescription {
  workspaces: Array<{
    name: string;
    id: string;
    tenants: Array<{ name: string; id: string; connectionId: string | null }>;
  }>;
  users: Array<DemoUser & { token: string }>;
}

/** The Entra tenant the demo users (the MSP's own staff) sign in from. */
export const DEMO_HOME_TENANT_ID = stableGuid('home-tenant');

const WORKSPACES = [
  { key: 'contoso-msp', name: 'Contoso MSP', tenants: ['contoso', 'fabrikam'] },
  { key: 'northwind', name: 'Northwind', tenants: [] as string[] },
];

const USERS: Array<{ name: string; displayName: string; role: Role; workspace: string }> = [
  { name: 'alice', displayName: 'Alice Owner', role: 'owner', workspace: 'contoso-msp' },
  { name: 'mike', displayName: 'Mike Manager', role: 'manager', workspace: 'contoso-msp' },
  { name: 'olga', displayName: 'Olga Operator', role: 'operator', workspace: 'contoso-msp' },
  { name: 'rita', displayName: 'Rita Readonly', role: 'readonly', workspace: 'contoso-msp' },
  { name: 'nora', displayName: 'Nora Northwind', role: 'owner', workspace: 'northwind' },
];

function user(spec: (typeof USERS)[number]): DemoUser {
  return {
    name: spec.name,
    displayName: spec.displayName,
    username: `${spec.name}@tenantatlas.example`,
    oid: stableGuid(`user:${spec.name}`),
    role: spec.role,
    workspaceId: stableGuid(`workspace:${spec.workspace}`),
  };
}

function principalOf(u: DemoUser): Principal {
  return {
    userId: u.oid,
    homeTenantId: DEMO_HOME_TENANT_ID,
    displayName: u.displayName,
    username: u.username,
  };
}

/**
 * Seeds the demo through the app's own services (idempotent: what exists is kept): workspaces
 * "Contoso MSP" (contoso, fabrikam; alice owner, mike manager, olga operator, rita readonly) and
 * "Northwind" (nora), each managed tenant with a default connection to its simulated tenant.
 */
export async function seedDemo(
  microsoftTenants: DemoTenantCredentials[],
  issueToken: (u: DemoUser) => Promise<string>,
): Promise<DemoDescription> {
  const { workspaces, connections } = getServices();
  const users = USERS.map(user);
  const description: DemoDescription = { workspaces: [], users: [] };
  for (const spec of WORKSPACES) {
    const id = stableGuid(`workspace:${spec.key}`);
    const members = users.filter((u) => u.workspaceId === id);
    const owner = members.find((u) => u.role === 'owner')!;
    if (!(await workspaces.get(id))) await workspaces.create(principalOf(owner), spec.name, id);
    for (const member of members) {
      const existing = await workspaces.membership(id, member.oid);
      if (existing?.role !== member.role) {
        await workspaces.setMember(principalOf(owner), id, member.oid, member.role, member.displayName);
      }
    }
    const tenants: DemoDescription['workspaces'][number]['tenants'] = [];
    for (const name of spec.tenants) {
      const microsoft = microsoftTenants.find((t) => t.name === name);
      const tenantId = stableGuid(`tenant:${spec.key}:${name}`);
      let tenant = await workspaces.getTenant(id, tenantId);
      if (!tenant) {
        tenant = await workspaces
          .addTenant(
            principalOf(owner),
            id,
            { name, displayName: title(name), entraTenantId: microsoft?.entraTenantId },
            tenantId,
          )
          .catch(async (error: unknown) => {
            if (error instanceof ConflictError) return (await workspaces.getTenant(id, tenantId))!;
            throw error;
          });
      }
      if (microsoft && (await connections.list(tenant)).length === 0) {
        await connections.create(principalOf(owner), tenant, {
          displayName: `${title(name)} (simulated)`,
          entraTenantId: microsoft.entraTenantId,
          clientId: microsoft.clientId,
          credential: { authType: 'client_secret', clientSecret: microsoft.clientSecret },
        });
      }
      const fresh = (await workspaces.getTenant(id, tenantId))!;
      tenants.push({ name, id: tenantId, connectionId: fresh.defaultConnectionId });
    }
    description.workspaces.push({ name: spec.name, id, tenants });
  }
  for (const u of users) description.users.push({ ...u, token: await issueToken(u) });
  return description;
}

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
