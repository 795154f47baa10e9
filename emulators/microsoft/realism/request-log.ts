import type { Fault } from './faults';

export interface RequestLogEntry {
  seq: number;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  durationMs: number;
  tenant: string | null;
  appId: string | null;
  method: string;
  /** `GET /beta/deviceManagement/deviceConfigurations/{id}`: ids replaced by placeholders. */
  endpoint: string;
  url: string;
  status: number;
  fault?: Fault;
  /** The write was applied and its answer lost (a `lostResponses` rule): `status` is 504, or 0 for a reset. */
  responseLost?: boolean;
  throttled?: boolean;
  /** The Retry-Attempt header the Graph SDK's RetryHandler sends on retries. */
  retryAttempt?: number;
  retryAfterSeconds?: number;
  clientRequestId?: string;
  requestId: string;
  /** Set for requests executed inside a `$batch`: the request id of the batch. */
  batchRequestId?: string;
}

export interface EndpointCount {
  endpoint: string;
  total: number;
  byStatus: Record<string, number>;
}

/**
 * Every request the simulated cloud answered. Counters are exact for the whole run; entries are kept in
 * a ring of the last `capacity` requests (enough for tests; benchmarks read the counters).
 */
export class RequestLog {
  private seq = 0;
  private entries: RequestLogEntry[] = [];
  private counts = new Map<string, EndpointCount>();

  constructor(private readonly capacity = 100_000) {}

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    const key = `${entry.tenant ?? '-'}\u0000${entry.endpoint}`;
    let count = this.counts.get(key);
    if (!count) {
      count = { endpoint: entry.endpoint, total: 0, byStatus: {} };
      this.counts.set(key, count);
    }
    count.total++;
    count.byStatus[entry.status] = (count.byStatus[entry.status] ?? 0) + 1;
    return full;
  }

  list(filter: { tenant?: string; sinceSeq?: number; endpointPrefix?: string } = {}): RequestLogEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.tenant === undefined || e.tenant === filter.tenant) &&
        (filter.sinceSeq === undefined || e.seq > filter.sinceSeq) &&
        (filter.endpointPrefix === undefined || e.endpoint.includes(filter.endpointPrefix)),
    );
  }

  /** Counts per endpoint (optionally for one tenant), most requested first. */
  countsByEndpoint(tenant?: string): EndpointCount[] {
    const merged = new Map<string, EndpointCount>();
    for (const [key, count] of this.counts) {
      if (tenant !== undefined && !key.startsWith(`${tenant}\u0000`)) continue;
      const m = merged.get(count.endpoint) ?? { endpoint: count.endpoint, total: 0, byStatus: {} };
      m.total += count.total;
      for (const [s, n] of Object.entries(count.byStatus)) m.byStatus[s] = (m.byStatus[s] ?? 0) + n;
      merged.set(count.endpoint, m);
    }
    return [...merged.values()].sort((a, b) => b.total - a.total || a.endpoint.localeCompare(b.endpoint));
  }

  lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
    this.counts.clear();
  }
}
