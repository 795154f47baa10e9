import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Dispatcher } from '../../shared/operations/dispatcher';

/** The Durable client of this invocation, as the domain's dispatcher port. */
export function durableDispatcher(invocation: InvocationContext): Dispatcher {
  const client = df.getClient(invocation);
  return {
    async start(orchestrator, instanceId, input) {
      await client.startNew(orchestrator, { instanceId, input });
    },
    async terminate(instanceId, reason) {
      await client.terminate(instanceId, reason);
    },
  };
}
