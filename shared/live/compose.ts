import { DefaultAzureCredential } from '@azure/identity';
import type { HostConnections } from '../config';
import { ConfigError } from '../errors';
import type { NotificationStore } from '../notifications/store';
import type { RunDescriber } from '../operations/catalog';
import type { WorkspaceService } from '../workspaces/workspace-service';
import { RunFanOut } from './fan-out';
import { LiveService } from './live-service';
import { OPERATION_EVENTS_TOPIC, SIGNALR_CONNECTION } from './names';
import { ServiceBusRunEventPublisher } from './service-bus-publisher';
import { SignalRRestClient, type LiveHub } from './signalr-rest';
import type { Clock } from '../clock';

/**
 * Live progress (negotiate, subscriptions, the fan-out of run changes), built by the composition root.
 * The SignalR client is created on first use, so a process that never negotiates (a timer, an
 * orchestration) needs no SignalR configuration.
 */
export function createLive(deps: {
  hub: string;
  connections: HostConnections;
  workspaces: WorkspaceService;
  notifications: NotificationStore;
  clock: Clock;
  describe: RunDescriber;
}) {
  let hub: LiveHub | undefined;
  const lazyHub: LiveHub = {
    clientConnection: (userId) => signalR().clientConnection(userId),
    addUserToGroups: (userId, groups, ttl) => signalR().addUserToGroups(userId, groups, ttl),
    removeUserFromGroups: (userId, groups) => signalR().removeUserFromGroups(userId, groups),
  };
  function signalR(): LiveHub {
    if (!hub) {
      const connection = deps.connections.signalR;
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
  const serviceBus = deps.connections.serviceBus;
  const publisher = serviceBus && new ServiceBusRunEventPublisher(serviceBus, OPERATION_EVENTS_TOPIC);
  return {
    /** The same topic's sender for other events (`inventory.changed`); undefined without Service Bus. */
    eventMessages: publisher && {
      publishMessages: (messages: Parameters<ServiceBusRunEventPublisher['publishMessages']>[0]) =>
        publisher.publishMessages(messages),
    },
    live: new LiveService({ hub: lazyHub, workspaces: deps.workspaces, clock: deps.clock }),
    runFanOut: new RunFanOut({
      notifications: deps.notifications,
      describe: deps.describe,
      now: () => deps.clock.now().getTime(),
      ...(publisher && { publisher }),
    }),
  };
}
