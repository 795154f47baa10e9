import { z } from 'zod';

export const ROLES = ['owner', 'manager', 'operator', 'readonly'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** What a member may do; the one table behind every authorization decision (DOMAIN.md). */
export const CAPABILITIES = {
  'workspace.view': ['owner', 'manager', 'operator', 'readonly'],
  'operations.start': ['owner', 'manager', 'operator'],
  'restore.preview': ['owner', 'manager', 'operator'],
  'schedules.manage': ['owner', 'manager'],
  'baselines.manage': ['owner', 'manager'],
  'restore.execute': ['owner', 'manager'],
  'connections.manage': ['owner', 'manager'],
  'tenants.manage': ['owner', 'manager'],
  'members.manage': ['owner'],
  'workspace.delete': ['owner'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;

export function roleHasCapability(role: Role, capability: Capability): boolean {
  return (CAPABILITIES[capability] as readonly Role[]).includes(role);
}
