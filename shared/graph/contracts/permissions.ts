/**
 * Microsoft Graph application permissions the contracts name (least privilege, as Entra shows them). Which
 * broader permissions also satisfy one is provider verification's business (shared/providers).
 */
export const GraphPermissions = {
  configurationRead: 'DeviceManagementConfiguration.Read.All',
  configurationWrite: 'DeviceManagementConfiguration.ReadWrite.All',
  appsRead: 'DeviceManagementApps.Read.All',
  appsWrite: 'DeviceManagementApps.ReadWrite.All',
  serviceConfigRead: 'DeviceManagementServiceConfig.Read.All',
  serviceConfigWrite: 'DeviceManagementServiceConfig.ReadWrite.All',
  rbacRead: 'DeviceManagementRBAC.Read.All',
  rbacWrite: 'DeviceManagementRBAC.ReadWrite.All',
  managedDevicesRead: 'DeviceManagementManagedDevices.Read.All',
  managedDevicesWrite: 'DeviceManagementManagedDevices.ReadWrite.All',
  policyRead: 'Policy.Read.All',
  conditionalAccessWrite: 'Policy.ReadWrite.ConditionalAccess',
  agreementRead: 'Agreement.Read.All',
  agreementWrite: 'Agreement.ReadWrite.All',
  cloudPcRead: 'CloudPC.Read.All',
  cloudPcWrite: 'CloudPC.ReadWrite.All',
  groupRead: 'Group.Read.All',
  roleManagementRead: 'RoleManagement.Read.Directory',
  applicationRead: 'Application.Read.All',
  auditLogRead: 'AuditLog.Read.All',
} as const;
