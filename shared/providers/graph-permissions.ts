/**
 * The Microsoft Graph application permissions each feature needs in a customer tenant: the one list that
 * provider verification checks a connection against and that docs/deploy.md shows admins (its table is
 * generated from here by `npm run infra:generate`, and a test fails when the two differ).
 */
export interface GraphPermissionInfo {
  /**
   * Higher-privileged permissions that grant the same access: a tenant that consented to one of them is
   * not missing this one, so verification must not ask for it.
   */
  satisfiedBy: readonly string[];
  /** What the app reads or writes with it. */
  neededFor: string;
}

/** Least-privilege permissions, each with the broader ones that also cover it. */
export const GRAPH_PERMISSIONS = {
  'DeviceManagementConfiguration.Read.All': {
    satisfiedBy: ['DeviceManagementConfiguration.ReadWrite.All'],
    neededFor:
      'Device configurations, compliance policies, settings catalog, administrative templates, endpoint security, scripts, update rings, assignment filters',
  },
  'DeviceManagementApps.Read.All': {
    satisfiedBy: ['DeviceManagementApps.ReadWrite.All'],
    neededFor: 'Apps, app protection and app configuration policies, policy sets',
  },
  'DeviceManagementServiceConfig.Read.All': {
    satisfiedBy: ['DeviceManagementServiceConfig.ReadWrite.All'],
    neededFor: 'Enrollment configurations, Autopilot profiles, terms and conditions, branding',
  },
  'DeviceManagementRBAC.Read.All': {
    satisfiedBy: ['DeviceManagementRBAC.ReadWrite.All'],
    neededFor: 'Scope tags, Intune role definitions and assignments',
  },
  'DeviceManagementManagedDevices.Read.All': {
    satisfiedBy: ['DeviceManagementManagedDevices.ReadWrite.All'],
    neededFor: 'Device categories',
  },
  'Policy.Read.All': {
    satisfiedBy: [],
    neededFor: 'Conditional Access policies, named locations, authentication strengths and contexts',
  },
  'Agreement.Read.All': {
    satisfiedBy: ['Agreement.ReadWrite.All'],
    neededFor: 'Terms of use agreements',
  },
  'CloudPC.Read.All': {
    satisfiedBy: ['CloudPC.ReadWrite.All'],
    neededFor: 'Windows 365 provisioning policies and user settings',
  },
  'DeviceManagementConfiguration.ReadWrite.All': {
    satisfiedBy: [],
    neededFor: 'Creating and updating configuration objects and their assignments',
  },
  'DeviceManagementApps.ReadWrite.All': {
    satisfiedBy: [],
    neededFor: 'Restoring app metadata, app protection and app configuration policies',
  },
  'DeviceManagementServiceConfig.ReadWrite.All': {
    satisfiedBy: [],
    neededFor: 'Restoring enrollment configurations, Autopilot profiles, terms and conditions',
  },
  'DeviceManagementRBAC.ReadWrite.All': {
    satisfiedBy: [],
    neededFor: 'Restoring scope tags (before the objects that reference them)',
  },
  'DeviceManagementManagedDevices.ReadWrite.All': {
    satisfiedBy: [],
    neededFor: 'Restoring device categories',
  },
  'Policy.ReadWrite.ConditionalAccess': {
    satisfiedBy: [],
    neededFor: 'Restoring Conditional Access policies, named locations and authentication strengths',
  },
  'CloudPC.ReadWrite.All': {
    satisfiedBy: [],
    neededFor: 'Restoring Windows 365 provisioning policies and user settings',
  },
  'Group.Read.All': {
    satisfiedBy: ['Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    neededFor:
      'Groups that assignments target (inventory dependencies) and the groups cache for restore mapping',
  },
  'RoleManagement.Read.Directory': {
    satisfiedBy: ['RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    neededFor: 'Entra role definitions cache',
  },
  'Application.Read.All': {
    satisfiedBy: ['Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    neededFor: "The connection's own service principal and its app role assignments (what was granted)",
  },
  'AuditLog.Read.All': {
    satisfiedBy: [],
    neededFor: 'Entra audit log: who changed Conditional Access and the other Entra policies (change watch)',
  },
} as const satisfies Record<string, GraphPermissionInfo>;

export type GraphPermission = keyof typeof GRAPH_PERMISSIONS;

export interface GraphFeature {
  title: string;
  permissions: readonly GraphPermission[];
}

/**
 * What inventory sync and backups read: every supported configuration object (the `read` permissions of
 * the contract registry's policy and foundation types), and the groups their assignments target.
 */
const READ_CONFIGURATION = [
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementApps.Read.All',
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementRBAC.Read.All',
  'DeviceManagementManagedDevices.Read.All',
  'Policy.Read.All',
  'Agreement.Read.All',
  'CloudPC.Read.All',
  'Group.Read.All',
] as const satisfies readonly GraphPermission[];

/** Feature ids are stable: verification reports missing permissions per feature id. */
export const GRAPH_FEATURES = {
  inventory: { title: 'Inventory sync', permissions: READ_CONFIGURATION },
  backup: { title: 'Backups (manual and scheduled)', permissions: READ_CONFIGURATION },
  restore: {
    title: 'Restore (preview and execute)',
    // The `write` permissions of the restorable contracts; they also read, which the preview needs.
    // Policy.Read.All is required next to Policy.ReadWrite.ConditionalAccess to create Conditional
    // Access objects (Graph's create pages for policies and named locations ask for both).
    permissions: [
      'DeviceManagementConfiguration.ReadWrite.All',
      'DeviceManagementApps.ReadWrite.All',
      'DeviceManagementServiceConfig.ReadWrite.All',
      'DeviceManagementRBAC.ReadWrite.All',
      'DeviceManagementManagedDevices.ReadWrite.All',
      'Policy.Read.All',
      'Policy.ReadWrite.ConditionalAccess',
      'CloudPC.ReadWrite.All',
    ],
  },
  directory: {
    title: 'Directory cache sync',
    // Groups (delta query), Entra directory role definitions, Intune role definitions.
    permissions: ['Group.Read.All', 'RoleManagement.Read.Directory', 'DeviceManagementRBAC.Read.All'],
  },
  verification: { title: 'Provider verification', permissions: ['Application.Read.All'] },
  // The `read` permissions of the audit contracts (shared/graph/contracts/data/audit.ts).
  watch: {
    title: 'Change watch (audit logs)',
    permissions: ['DeviceManagementApps.Read.All', 'AuditLog.Read.All'],
  },
} as const satisfies Record<string, GraphFeature>;

export type GraphFeatureId = keyof typeof GRAPH_FEATURES;
