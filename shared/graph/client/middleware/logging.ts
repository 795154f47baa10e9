import type { Context } from '@microsoft/microsoft-graph-client';
import { transportCode } from '../../errors';
import type { GraphLogger } from '../logger';
import { ChainedMiddleware, GraphCallContext } from './call-context';

export interface ConnectionLogFields {
  connectionId: string;
  entraTenantId: string;
}

/** The path of the request without host, query or fragment: queries may carry names from filters. */
function pathOf(request: Context['request']): string {
  const url = typeof request === 'string' ? request : request.url;
  try {
    return new URL(url).pathname;
  } catch {
    return url.split('?')[0] ?? '';
  }
}

/**
 * One log line per attempt, with the correlation ids (run, managed tenant, connection, Entra tenant,
 * client-request-id, Graph's request-id). It sits after authentication but never reads headers or
 * bodies, so a token or a secret cannot reach the log.
 */
export class LoggingMiddleware extends ChainedMiddleware {
  constructor(
    private readonly logger: GraphLogger,
    private readonly connection: ConnectionLogFields,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = GraphCallContext.of(context);
    const started = performance.now();
    const fields = {
      method: context.options?.method ?? 'GET',
      path: pathOf(context.request),
      contract: call.request.contractKey,
      attempt: call.attempt,
      clientRequestId: call.request.clientRequestId,
      runId: call.request.correlation.runId,
      tenantId: call.request.correlation.tenantId,
      entraTenantId: this.connection.entraTenantId,
      connectionId: this.connection.connectionId,
    };
    try {
      await this.next(context);
    } catch (error) {
      this.logger.warn('graph request failed without a response', {
        ...fields,
        durationMs: Math.round(performance.now() - started),
        failure: transportCode(error) ?? 'unknown',
      });
      throw error;
    }
    const response = context.response!;
    const line = {
      ...fields,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
      requestId: response.headers.get('request-id') ?? undefined,
      retryAfter: response.headers.get('Retry-After') ?? undefined,
    };
    if (response.ok) this.logger.debug('graph request', line);
    else this.logger.warn('graph request answered with an error', line);
  }
}
