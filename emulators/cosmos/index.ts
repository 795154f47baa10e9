export { LOCAL_COSMOS_KEY, isLocalCosmosEndpoint, startLocalCosmos } from './server';
export type { LocalCosmos, LocalCosmosOptions } from './server';
export { startChangeFeed } from './change-feed';
export type { ChangeFeedOptions } from './change-feed';
