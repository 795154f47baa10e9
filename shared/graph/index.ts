/**
 * Microsoft Graph for the rest of the app: the contract registry (the only description of what the app
 * reads and writes) and the client pipeline that sends the contracts' requests.
 */
export * from './contracts/types';
export { graphContracts, findContract, getContract } from './contracts/registry';
export { GraphPermissions } from './contracts/permissions';
export { derivePlatform } from './contracts/platform';
export {
  readOnlyProperties,
  readOnlyPropertiesOfPart,
  shortOdataType,
  contractData,
} from './contracts/readonly';
export {
  listRequest,
  deltaRequest,
  getByIdRequest,
  assignmentsRequest,
  subResourceRequest,
  createRequest,
  updateRequest,
  assignmentWriteRequests,
  replaceRequest,
  objectActionRequest,
  subResourceCreateRequest,
  childDeleteRequest,
  createViaRequest,
  type GraphRequestSpec,
  type ListOptions,
  type GetOptions,
} from './contracts/requests';
export { graphSettingsSchema, type GraphSettings } from './settings';
export { GraphRequestError, isGraphNotFound, isDeltaTokenExpired, type GraphReasonCode } from './errors';
export {
  createGraphClientFactory,
  type GraphClientFactory,
  type GraphClientFactoryOptions,
  type GraphConnection,
} from './client/factory';
export type { ConnectionCredential } from './client/credential';
export { GraphClient, type GraphObject, type GraphPage, type GraphCallOptions } from './client/graph-client';
export type { BatchResult } from './client/batch';
export type { GraphCorrelation } from './client/middleware/call-context';
export { consoleGraphLogger, type GraphLogger, type GraphLogFields } from './client/logger';
export { TenantLimiters } from './client/tenant-limiter';
