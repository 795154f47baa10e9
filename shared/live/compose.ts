import { DefaultAzureCredential } from '@azure/identity';
import { ConfigError, getHostConnections } from '../config';
import type { NotificationStore } from '../notifications/store';
import type { WorkspaceService } from '../workspaces/workspace-service';
import { RunFanOut } from './fan-out';
import { LiveService } from './live-service';
import { OPERATION_EVENTS_TOPIC, SIGNALR_CONNECTION } from './names';
import { ServiceBusRunEventPublisher } from './service-bus-publisher';
import { SignalRRestClient, type LiveHub } from './signalr-rest';

/**
 * The live-progress part of the composition root. SDK clients are created once, on first use, so a
 * process that never negotiates (a timer, an orchestration) needs no SignalR configuration.
 */
export function createLive(deps: {
  hub: string;
  workspaces: WorkspaceService;
  notifications: NotificationStore;
}) {
  let hub: LiveHub | undefined;
  const lazyHub: LiveHub = {
    clientConnection: (userId) => signalR().clientConnection(userId),
    addUserToGroups: (userId, groups, ttl) => signalR().addUserToGroups(userId, groups, ttl),
    removeUserFromGroups: (userId, groups) => signalR().removeUserFromGroups(userId, groups),
  };
  function signalR(): LiveHub {
    if (!hub) {
      const connection = getHostConnections().signalR;
      if (!connection) throw new ConfigError([`${SIGNALR_CONNECTION}: SignalR Service is not configured`]);
      hub = new SignalRRestClient({
        endpoint: connection.endpoint,
        hub: deps.hub,
        ...(connection.accessKey
          ? { accessKey: connection.accessKey }
          : { credential: new DefaultAzureCredential() }),
      });
    }
    return hub;
  }
  const serviceBus = getHostConnections().serviceBus;
  return {
    live: new LiveService({ hub: lazyHub, workspaces: deps.workspaces }),
    runFanOut: new RunFanOut({
      notifications: deps.notifications,
      ...(serviceBus && { publisher: new ServiceBusRunEventPublisher(serviceBus, OPERATION_EVENTS_TOPIC) }),
    }),
  };
}
