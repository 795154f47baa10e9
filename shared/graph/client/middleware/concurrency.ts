import type { Context } from '@microsoft/microsoft-graph-client';
import type { TenantLimiter } from '../tenant-limiter';
import { ChainedMiddleware, GraphCallContext } from './call-context';

/** Takes a slot of the tenant's limiter for the duration of one attempt (not across retry waits). */
export class ConcurrencyMiddleware extends ChainedMiddleware {
  constructor(private readonly limiter: TenantLimiter) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const release = await this.limiter.acquire(GraphCallContext.of(context).request.signal);
    try {
      await this.next(context);
    } finally {
      release();
    }
  }
}
