import { app, output, type InvocationContext } from '@azure/functions';
import { getServices } from '../shared/app/services';
import {
  OPERATION_EVENTS_TOPIC,
  SERVICE_BUS_CONNECTION,
  SIGNALR_CONNECTION,
  SIGNALR_HUB_BINDING,
} from '../shared/live/names';
import { CONTAINERS } from '../shared/store/containers';

const driftPushes = output.generic({
  type: 'signalR',
  hubName: SIGNALR_HUB_BINDING,
  connectionStringSetting: SIGNALR_CONNECTION,
});

/** Only without a Service Bus connection (the local cloud's topic), as for run events (decision 0003). */
const localDriftEvents = output.serviceBusTopic({
  topicName: OPERATION_EVENTS_TOPIC,
  connection: SERVICE_BUS_CONNECTION,
});

/**
 * The signals of drift (docs/drift.md): each (baseline, tenant) summary an evaluation wrote (the
 * `driftSummaries` container's change feed: summaries and ledgers only, never a finding) → one
 * notification for the baseline's owner, one push to the tenant's SignalR group (`driftChanged`) and a
 * `drift.detected` / `drift.resolved` event per finding whose drift began or ended. A separate lease
 * from the evaluations' own feed function: a failed signal is retried without evaluating again.
 */
app.cosmosDB('driftSignals', {
  connection: 'CosmosDBConnection',
  databaseName: '%COSMOS_DATABASE%',
  containerName: CONTAINERS.driftSummaries.id,
  leaseContainerName: CONTAINERS.leases.id,
  leaseContainerPrefix: 'driftSignals-',
  createLeaseContainerIfNotExists: false,
  feedPollDelay: 1000,
  extraOutputs: [driftPushes, localDriftEvents],
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 5, minimumInterval: 1000, maximumInterval: 30_000 },
  handler: async (documents: unknown[], context: InvocationContext) => {
    const result = await getServices().driftSignals.handle(documents);
    if (result.pushes.length > 0) context.extraOutputs.set(driftPushes, result.pushes);
    if (result.unpublished.length > 0)
      context.extraOutputs.set(
        localDriftEvents,
        result.unpublished.map((event) => event.body),
      );
    if (result.notified > 0) context.log(`drift signals: ${result.notified} notifications`);
  },
});
