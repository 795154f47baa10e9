import type { PermissionFamily } from '../reference/catalogue';

/** Microsoft Graph's well-known application id (the resource of every Graph app role). */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/**
 * Microsoft Graph application permissions (app roles) the simulator knows, with their real app role ids
 * (the ids Microsoft Graph's service principal publishes in `appRoles`).
 */
export const GRAPH_APP_ROLES: Record<string, string> = {
  'DeviceManagementConfiguration.Read.All': 'dc377aa6-52d8-4e23-b271-2a7ae04cedf3',
  'DeviceManagementConfiguration.ReadWrite.All': '9241abd9-d0e6-425a-bd4f-47ba86e767a4',
  'DeviceManagementApps.Read.All': '7a6ee1e7-141e-4cec-ae74-d9db155731ff',
  'DeviceManagementApps.ReadWrite.All': '78145de6-330d-4800-a6ce-494ff2d33d07',
  'DeviceManagementServiceConfig.Read.All': '06a5fe6d-c49d-46a7-b082-56b1b14103c7',
  'DeviceManagementServiceConfig.ReadWrite.All': '5ac13192-7ace-4fcf-b828-1a26f28068ee',
  'DeviceManagementRBAC.Read.All': '58ca0d9a-1575-47e1-a3cb-007ef2e4583b',
  'DeviceManagementRBAC.ReadWrite.All': 'e330c4f0-4170-414e-a55a-2f022ec2b57b',
  'DeviceManagementManagedDevices.Read.All': '2f51be20-0bb4-4fed-bf7b-db946066c75e',
  'DeviceManagementManagedDevices.ReadWrite.All': '243333ab-4d21-40cb-a475-36241daa0842',
  'DeviceManagementScripts.Read.All': 'c7a5be92-2b3d-4540-8a67-c96dcaae8b43',
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
  'Policy.Read.ConditionalAccess': '37730810-e9ba-4e46-b07e-8ca78d182097',
  'Policy.ReadWrite.ConditionalAccess': '01c0a623-fc9b-48e9-b794-0756f8e8f067',
  'Policy.ReadWrite.AuthenticationMethod': '29c18626-4985-4dcd-85c0-193eef327366',
  'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
  'Group.ReadWrite.All': '62a82d76-70ea-41e2-9197-370581804d09',
  'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'Directory.ReadWrite.All': '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
  'RoleManagement.Read.Directory': '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
  'RoleManagement.ReadWrite.Directory': '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'Agreement.Read.All': '2f3e6f8c-093b-4c57-a58b-ba5ce494a169',
  'Agreement.ReadWrite.All': 'c9090d00-6101-42f0-a729-c41074260d47',
  'CloudPC.Read.All': 'a9e09520-8ed4-4cde-838e-4fdea192c227',
  'CloudPC.ReadWrite.All': '3b4349e1-8cf5-45a3-95b7-69d1751d3e6a',
  'AuditLog.Read.All': 'b0afded3-3588-46d8-8b3d-9842eff778da',
};

export function isKnownPermission(value: string): boolean {
  return Object.hasOwn(GRAPH_APP_ROLES, value);
}

export function permissionByRoleId(id: string): string | undefined {
  return Object.entries(GRAPH_APP_ROLES).find(([, v]) => v === id)?.[0];
}

/** What the simulated tenants' app registration is granted by default (read and write for all anchor types). */
export const DEFAULT_GRANTED_PERMISSIONS: string[] = [
  'DeviceManagementConfiguration.ReadWrite.All',
  'DeviceManagementApps.ReadWrite.All',
  'DeviceManagementServiceConfig.ReadWrite.All',
  'DeviceManagementRBAC.ReadWrite.All',
  // Restoring device categories needs write access to managed devices.
  'DeviceManagementManagedDevices.ReadWrite.All',
  'Policy.Read.All',
  'Policy.ReadWrite.ConditionalAccess',
  'Group.Read.All',
  'RoleManagement.Read.Directory',
  'Application.Read.All',
  'AuditLog.Read.All',
  'Agreement.ReadWrite.All',
  'CloudPC.ReadWrite.All',
];

interface FamilyPermissions {
  read: string[];
  write: string[];
}

const rw = (base: string, extraRead: string[] = []): FamilyPermissions => ({
  read: [`${base}.Read.All`, `${base}.ReadWrite.All`, ...extraRead],
  write: [`${base}.ReadWrite.All`],
});

/** The application permissions each family of endpoints accepts (any one of the list suffices). */
export const FAMILY_PERMISSIONS: Record<PermissionFamily, FamilyPermissions> = {
  'intune-config': rw('DeviceManagementConfiguration'),
  'intune-apps': rw('DeviceManagementApps'),
  'intune-serviceconfig': rw('DeviceManagementServiceConfig'),
  'intune-rbac': rw('DeviceManagementRBAC'),
  'intune-devices': rw('DeviceManagementManagedDevices'),
  'intune-audit': {
    read: [
      ...rw('DeviceManagementConfiguration').read,
      ...rw('DeviceManagementApps').read,
      ...rw('DeviceManagementServiceConfig').read,
      ...rw('DeviceManagementRBAC').read,
      ...rw('DeviceManagementManagedDevices').read,
    ],
    write: [],
  },
  'entra-audit': { read: ['AuditLog.Read.All'], write: [] },
  'entra-ca': {
    read: ['Policy.Read.All', 'Policy.Read.ConditionalAccess', 'Policy.ReadWrite.ConditionalAccess'],
    write: ['Policy.ReadWrite.ConditionalAccess'],
  },
  'entra-authstrength': {
    read: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess', 'Policy.ReadWrite.AuthenticationMethod'],
    write: ['Policy.ReadWrite.ConditionalAccess'],
  },
  'entra-groups': {
    read: [
      'Group.Read.All',
      'Group.ReadWrite.All',
      'GroupMember.Read.All',
      'Directory.Read.All',
      'Directory.ReadWrite.All',
    ],
    write: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  },
  'entra-roles': {
    read: ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All'],
    write: ['RoleManagement.ReadWrite.Directory'],
  },
  'entra-apps': {
    read: [
      'Application.Read.All',
      'Application.ReadWrite.All',
      'Directory.Read.All',
      'Directory.ReadWrite.All',
    ],
    write: ['Application.ReadWrite.All'],
  },
  agreements: rw('Agreement'),
  cloudpc: rw('CloudPC'),
};

export function requiredPermissions(family: PermissionFamily, write: boolean): string[] {
  const p = FAMILY_PERMISSIONS[family];
  return write ? p.write : p.read;
}
