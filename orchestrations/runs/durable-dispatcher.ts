import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { Dispatcher } from '../../shared/operations/dispatcher';

/**
 * The Durable client of this invocation, as the domain's dispatcher port. The client is built on first
 * use: most starts in a burst are deduplicated or refused and never dispatch, and building it (binding
 * parsing, an HTTP client) was a tenth of such a start's CPU.
 */
export function durableDispatcher(invocation: InvocationContext): Dispatcher {
  let built: df.DurableClient | undefined;
  const client = () => (built ??= df.getClient(invocation));
  return {
    async start(orchestrator, instanceId, input) {
      await client().startNew(orchestrator, { instanceId, input });
    },
    async terminate(instanceId, reason) {
      await client().terminate(instanceId, reason);
    },
    async exists(instanceId) {
      try {
        await client().getStatus(instanceId);
        return true;
      } catch (error) {
        // The client turns the extension's 404 into an Error naming it; anything else is a real failure.
        if (error instanceof Error && /HTTP 404/.test(error.message)) return false;
        throw error;
      }
    },
  };
}
