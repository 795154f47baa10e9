import { app, output, type InvocationContext } from '@azure/functions';
import { getServices } from '../shared/app/services';
import { CONTAINERS } from '../shared/store/containers';
import {
  OPERATION_EVENTS_TOPIC,
  SERVICE_BUS_CONNECTION,
  SIGNALR_CONNECTION,
  SIGNALR_HUB_BINDING,
} from '../shared/live/names';

const pushes = output.generic({
  type: 'signalR',
  hubName: SIGNALR_HUB_BINDING,
  connectionStringSetting: SIGNALR_CONNECTION,
});

/**
 * Only used without a Service Bus connection (the local cloud's topic): with one, events are sent by
 * the app itself so they carry a message id, which this binding cannot set (docs/decisions).
 */
const localEvents = output.serviceBusTopic({
  topicName: OPERATION_EVENTS_TOPIC,
  connection: SERVICE_BUS_CONNECTION,
});

/** The fan-out of run changes (ARCHITECTURE.md): live pushes, notifications and lifecycle events. */
app.cosmosDB('runEvents', {
  connection: 'CosmosDBConnection',
  databaseName: '%COSMOS_DATABASE%',
  containerName: CONTAINERS.runs.id,
  leaseContainerName: CONTAINERS.leases.id,
  leaseContainerPrefix: 'runEvents-',
  // The lease container is provisioned from shared/store/containers.ts; the app's identity has
  // data-plane rights only and could not create it.
  createLeaseContainerIfNotExists: false,
  // Live progress should feel live (the default polls every 5 s); an idle poll costs about one RU.
  feedPollDelay: 500,
  extraOutputs: [pushes, localEvents],
  // A failed batch (a notification or Service Bus write) is retried rather than skipped.
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 5, minimumInterval: 1000, maximumInterval: 30_000 },
  handler: async (documents: unknown[], context: InvocationContext) => {
    const result = await getServices().runFanOut.handle(documents, (message) => context.warn(message));
    if (result.pushes.length > 0) context.extraOutputs.set(pushes, result.pushes);
    if (result.unpublished.length > 0)
      context.extraOutputs.set(
        localEvents,
        result.unpublished.map((event) => event.body),
      );
  },
});
