import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { GraphRequestError } from '../../errors';

/** Ids that tie a Graph request to the run and managed tenant it serves (written into every log line). */
export interface GraphCorrelation {
  runId?: string;
  /** The managed tenant's id in TenantAtlas (the Entra tenant id is logged separately). */
  tenantId?: string;
}

/**
 * Per-request state carried through the middleware chain as a middleware option: what the request is,
 * which attempt is running, and the typed failure a middleware ends it with (the SDK wraps anything
 * thrown in the chain into its own GraphError, so the client reads the failure from here).
 */
export class GraphCallContext implements MiddlewareOptions {
  attempt = 0;
  failure?: GraphRequestError;

  constructor(
    readonly request: {
      contractKey: string;
      idempotent: boolean;
      clientRequestId: string;
      correlation: GraphCorrelation;
      signal?: AbortSignal;
    },
  ) {}

  static of(context: Context): GraphCallContext {
    const call = context.middlewareControl?.getMiddlewareOptions(GraphCallContext);
    if (!(call instanceof GraphCallContext)) throw new Error('Graph request sent without its call context.');
    return call;
  }
}

/** A middleware that passes the context on to the next one in the chain. */
export abstract class ChainedMiddleware implements Middleware {
  private nextMiddleware?: Middleware;

  abstract execute(context: Context): Promise<void>;

  setNext(next: Middleware): void {
    this.nextMiddleware = next;
  }

  protected next(context: Context): Promise<void> {
    if (!this.nextMiddleware) throw new Error(`${this.constructor.name} is the end of the chain.`);
    return this.nextMiddleware.execute(context);
  }
}

/** Sets one request header whatever shape the SDK gave the headers (plain object or Headers). */
export function setHeader(context: Context, name: string, value: string): void {
  const options = (context.options ??= {});
  const headers = options.headers;
  if (headers instanceof Headers) headers.set(name, value);
  else if (Array.isArray(headers))
    options.headers = [
      ...headers.filter(([key]) => key?.toLowerCase() !== name.toLowerCase()),
      [name, value],
    ];
  else options.headers = { ...(headers as Record<string, string> | undefined), [name]: value };
}
