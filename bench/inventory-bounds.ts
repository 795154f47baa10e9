import { findContract, type GraphContract } from '../shared/graph';

/** What one sync of the benchmark tenant read, per type, from the run's result. */
export interface TypeFigures {
  objects: number;
  pages: number;
  subRequests: number;
}

/** The simulated Graph's largest pages (what `$top` can get): settings catalog 100, groups 999, else 1000. */
function maxPage(contract: GraphContract): number {
  if (/\/(configurationPolicies|compliancePolicies|reusablePolicySettings)$/.test(contract.collectionPath))
    return 100;
  return contract.key === 'groups' ? 999 : 1000;
}

/** Its default pages, which a reader that never asks for more gets: settings catalog 25, groups 100. */
function defaultPage(contract: GraphContract): number {
  if (/\/(configurationPolicies|compliancePolicies|reusablePolicySettings)$/.test(contract.collectionPath))
    return 25;
  return contract.key === 'groups' ? 100 : 1000;
}

/** Reads an object needs beyond the list (script bodies by id, non-expandable assignments and sub-resources). */
function firstRoundReads(contract: GraphContract): number {
  return (
    (contract.detailRead === 'getById' ? 1 : 0) +
    (contract.assignments.read === 'subresource' ? 1 : 0) +
    contract.subResources.filter((sub) => sub.read === 'batch').length
  );
}

export interface RequestBounds {
  /** Collection pages at the largest page size the service gives. */
  pages: number;
  /** Objects (and sub-resource items) that need a read of their own. */
  separateReads: number;
  /** pages + ceil(separateReads / 20): the lower bound of Graph requests. */
  minimumRequests: number;
  /** List with default pages, then per object: GET by id, GET assignments, GET each sub-resource. */
  perObjectPattern: number;
}

/**
 * The request bounds of a sync from what it found (objects per type; for nested sub-resources such as
 * group policy presentation values, the reads beyond the first round are what the tenant holds).
 */
export function requestBounds(types: Record<string, TypeFigures>): RequestBounds {
  let pages = 0;
  let separateReads = 0;
  let perObjectPattern = 0;
  for (const [key, figures] of Object.entries(types)) {
    const contract = findContract(key);
    if (!contract || figures.objects === undefined) continue;
    // Groups are read by id only when the directory's first page did not hold them.
    const first = contract.key === 'groups' ? 0 : firstRoundReads(contract) * figures.objects;
    const nested = Math.max(0, figures.subRequests - first);
    pages += Math.max(1, Math.ceil(figures.objects / maxPage(contract)));
    separateReads += first + nested;
    const assignments = contract.assignments.read === 'none' ? 0 : 1;
    perObjectPattern +=
      Math.max(1, Math.ceil(figures.objects / defaultPage(contract))) +
      figures.objects * (1 + assignments + contract.subResources.length) +
      nested;
  }
  return { pages, separateReads, minimumRequests: pages + Math.ceil(separateReads / 20), perObjectPattern };
}

export interface TimeBounds {
  /** Every request of a $batch takes a token: (pages + separate reads − burst) / rate. */
  rateLimitSeconds: number;
  /** The minimum requests, `concurrency` at a time, each taking the latency. */
  latencySeconds: number;
  lowerBoundSeconds: number;
}

/** The fastest the rate limit (token bucket: burst, then refill) and the latency allow. */
export function timeBounds(
  bounds: RequestBounds,
  limit: { requests: number; windowSeconds: number },
  latencyMs: number,
  concurrency: number,
): TimeBounds {
  const tokens = bounds.pages + bounds.separateReads;
  const rate = limit.requests / limit.windowSeconds;
  const rateLimitSeconds = Math.max(0, (tokens - limit.requests) / rate) + latencyMs / 1000;
  const latencySeconds = (Math.ceil(bounds.minimumRequests / concurrency) * latencyMs) / 1000;
  return { rateLimitSeconds, latencySeconds, lowerBoundSeconds: Math.max(rateLimitSeconds, latencySeconds) };
}
