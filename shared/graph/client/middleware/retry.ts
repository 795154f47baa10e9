import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from '@microsoft/microsoft-graph-client';
import { mayRetry, retryDelayMs, type RetryPolicy } from '../retry-policy';
import type { TenantLimiter } from '../tenant-limiter';
import { ChainedMiddleware, GraphCallContext, setHeader } from './call-context';

/**
 * Retries throttled and transiently failed attempts (429, 503, 504, dropped connections) honouring
 * Retry-After, with jittered exponential backoff otherwise, up to the policy's retries and cap. A 429
 * pauses the whole tenant: Graph throttles the tenant and app, so the other requests would only be
 * throttled too. The last answer is left in the context for the client to map to an error.
 */
export class RetryMiddleware extends ChainedMiddleware {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly limiter: TenantLimiter,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = GraphCallContext.of(context);
    for (let retry = 0; ; retry++) {
      call.attempt = retry + 1;
      // Lets Graph (and the simulator's request log) tell retries from first attempts.
      if (retry > 0) setHeader(context, 'Retry-Attempt', String(retry));
      let status: number | 'transport';
      try {
        context.response = undefined;
        await this.next(context);
        status = context.response!.status;
      } catch (error) {
        if (call.failure || call.request.signal?.aborted) throw error;
        status = 'transport';
        if (retry >= this.policy.maxRetries || !mayRetry(call.request.idempotent, status)) throw error;
      }
      if (status !== 'transport') {
        if (retry >= this.policy.maxRetries || !mayRetry(call.request.idempotent, status)) return;
        // Free the connection: an unread body keeps the socket busy.
        await context.response?.body?.cancel().catch(() => undefined);
      }
      const delay = retryDelayMs(this.policy, retry + 1, context.response?.headers.get('Retry-After'));
      if (status === 429) this.limiter.pause(delay);
      await sleep(delay, undefined, { signal: call.request.signal });
    }
  }
}
