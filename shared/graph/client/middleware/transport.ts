import type { Context } from '@microsoft/microsoft-graph-client';
import { ChainedMiddleware, GraphCallContext } from './call-context';

/**
 * The end of the chain: Node's fetch, with a time limit per attempt (a hung connection must end in a
 * retry, not hold an activity until the host kills it) and the caller's abort signal.
 */
export class FetchTransport extends ChainedMiddleware {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const callerSignal = GraphCallContext.of(context).request.signal;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    context.response = await fetch(context.request, { ...context.options, signal } as RequestInit);
  }
}
