export { parseSignalRConnectionString } from './connection-string';
export { startSignalRHub } from './hub';
export type {
  SignalRConnectionInfo,
  SignalRConnectionSummary,
  SignalRGroupAction,
  SignalRHub,
  SignalRHubOptions,
  SignalRMessage,
} from './types';
