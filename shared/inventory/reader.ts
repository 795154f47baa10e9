import {
  assignmentsRequest,
  type BatchResult,
  getByIdRequest,
  GraphRequestError,
  listRequest,
  isGraphNotFound,
  shortOdataType,
  subResourceRequest,
  type GraphClient,
  type GraphContract,
  type GraphCorrelation,
  type GraphObject,
  type GraphPage,
  type GraphRequestSpec,
  type SubResourceContract,
} from '../graph';
import type { BatchQueue } from './batch-queue';
import type { GraphBudget } from './graph-budget';
import { sortById } from './normalize';

/**
 * Page sizes to ask for where the service's default is small: the settings catalog family pages at 25
 * but gives up to 100, directory lists page at 100 but give up to 999. Elsewhere Intune already returns
 * up to 1000 per page.
 */
const PAGE_SIZE_HINTS: Readonly<Record<string, number>> = {
  configurationPolicies: 100,
  compliancePolicies: 100,
  reusablePolicySettings: 100,
  groups: 999,
};

export interface GraphReadContext {
  client: GraphClient;
  budget: GraphBudget;
  /** Packs single reads into `$batch`es (shared with the run's other reads in this process). */
  batches: BatchQueue;
  correlation: GraphCorrelation;
  signal?: AbortSignal;
  /** Requests actually sent, for the run's figures. */
  stats: ReadStats;
}

export interface ReadStats {
  pages: number;
  /** Reads sent inside `$batch`es. */
  subRequests: number;
}

/** One object with everything read about it, or why it could not be read completely. */
export interface ObjectRead {
  object: GraphObject;
  subResources: Record<string, GraphObject[]>;
  assignments: GraphObject[];
  /** A sub-read answered 404: the object was deleted while the sync ran. */
  gone: boolean;
  failure?: GraphRequestError;
}

/**
 * The contract's collection page by page (with `$expand`ed assignments and sub-resources), each page
 * paid for from the budget before it is requested. `nextLink` continues a collection read elsewhere.
 */
export async function* readPages(
  context: GraphReadContext,
  contract: GraphContract,
  nextLink?: string,
): AsyncGenerator<GraphPage> {
  const options = { correlation: context.correlation, signal: context.signal };
  const top = PAGE_SIZE_HINTS[contract.key];
  const pages = nextLink
    ? context.client.continuePages(nextLink, contract.key, options)
    : context.client.listPages(contract, { ...options, ...(top !== undefined && { top }) });
  const excluded = new Set(contract.excludedTypes ?? []);
  try {
    for (;;) {
      await context.budget.take(1, context.signal);
      const next = await pages.next();
      if (next.done) return;
      context.stats.pages++;
      const page = next.value;
      // continuePages keeps every type: drop those another contract owns, as listPages does.
      yield excluded.size === 0
        ? page
        : { ...page, items: page.items.filter((item) => !excluded.has(typeOf(item))) };
    }
  } finally {
    await pages.return(undefined);
  }
}

/**
 * The contract's whole collection as its list shows it (no details), the first page sent through the
 * run's `$batch` queue, so many small collections share a request; further pages by `@odata.nextLink`.
 * Only for collections (a singleton's list is its one object).
 */
export async function listInBatch(
  context: GraphReadContext,
  contract: GraphContract,
): Promise<GraphObject[]> {
  const top = PAGE_SIZE_HINTS[contract.key];
  context.stats.subRequests++;
  const answer = await context.batches.read(listRequest(contract, top !== undefined ? { top } : {}));
  if (!answer.ok) throw answer.error;
  const excluded = new Set(contract.excludedTypes ?? []);
  const items = await collection(context, contract, answer.body);
  return excluded.size === 0 ? items : items.filter((item) => !excluded.has(typeOf(item)));
}

function typeOf(item: GraphObject): string {
  return typeof item['@odata.type'] === 'string' ? shortOdataType(item['@odata.type']) : '';
}

interface PendingRead {
  spec: GraphRequestSpec;
  apply(body: unknown, read: ObjectRead): Promise<void>;
  read: ObjectRead;
}

/**
 * Completes a page's objects: the reads the list cannot give (script content by id, assignments and
 * sub-resources Graph does not `$expand`, then the children of those sub-resources), sent through the
 * run's batch queue. One failed read marks only its object.
 */
export async function readDetails(
  context: GraphReadContext,
  contract: GraphContract,
  objects: readonly GraphObject[],
  /** `byId`: the objects come from a GET by id already (the change watch), not from a list page. */
  source: 'list' | 'byId' = 'list',
): Promise<ObjectRead[]> {
  const reads = objects.map((object) => initialRead(contract, object));
  const firstRound: PendingRead[] = reads.flatMap((read) =>
    firstRoundReads(context, contract, read, source === 'byId'),
  );
  await runReads(context, firstRound);
  const secondRound: PendingRead[] = reads.flatMap((read) => childReads(context, contract, read));
  await runReads(context, secondRound);
  return reads;
}

function initialRead(contract: GraphContract, object: GraphObject): ObjectRead {
  const subResources: Record<string, GraphObject[]> = {};
  for (const sub of contract.subResources) {
    if (sub.read === 'expand') subResources[sub.name] = asArray(object[sub.name]);
  }
  return {
    object,
    subResources,
    assignments: contract.assignments.read === 'expand' ? asArray(object.assignments) : [],
    gone: false,
  };
}

function asArray(value: unknown): GraphObject[] {
  return Array.isArray(value) ? (value as GraphObject[]) : [];
}

function firstRoundReads(
  context: GraphReadContext,
  contract: GraphContract,
  read: ObjectRead,
  readById: boolean,
): PendingRead[] {
  const id = String(read.object.id);
  const pending: PendingRead[] = [];
  if (contract.detailRead === 'getById' && !readById) {
    pending.push({
      read,
      spec: getByIdRequest(contract, id),
      apply: async (body) => {
        // The full object replaces the list's shortened one; expanded parts came with it too.
        read.object = body as GraphObject;
        if (contract.assignments.read === 'expand') read.assignments = asArray(read.object.assignments);
      },
    });
  }
  if (contract.assignments.read === 'subresource') {
    pending.push({
      read,
      spec: assignmentsRequest(contract, id),
      apply: async (body) => {
        read.assignments = await collection(context, contract, body);
      },
    });
  }
  for (const sub of contract.subResources) {
    if (sub.read !== 'batch') continue;
    pending.push({
      read,
      spec: subResourceRequest(contract, id, sub.name),
      apply: async (body) => {
        read.subResources[sub.name] = await collection(context, contract, body);
      },
    });
  }
  return pending;
}

/** Second round: `definitionValues/{id}/presentationValues` and the like, nested into their parent item. */
function childReads(context: GraphReadContext, contract: GraphContract, read: ObjectRead): PendingRead[] {
  if (read.gone || read.failure) return [];
  const id = String(read.object.id);
  return contract.subResources.flatMap((sub: SubResourceContract) =>
    (sub.children ?? []).flatMap((child) =>
      (read.subResources[sub.name] ?? []).map((parent) => ({
        read,
        spec: subResourceRequest(contract, id, sub.name, { id: String(parent.id), name: child.name }),
        apply: async (body: unknown) => {
          parent[child.name] = sortById(await collection(context, contract, body));
        },
      })),
    ),
  );
}

/** A collection answer, followed to its end when Graph paged it. */
async function collection(
  context: GraphReadContext,
  contract: GraphContract,
  body: unknown,
): Promise<GraphObject[]> {
  const page = body as { value?: unknown; '@odata.nextLink'?: unknown };
  const items = asArray(page?.value);
  if (typeof page?.['@odata.nextLink'] !== 'string') return items;
  const rest = context.client.continuePages(page['@odata.nextLink'], contract.key, {
    correlation: context.correlation,
    signal: context.signal,
  });
  for (;;) {
    await context.budget.take(1, context.signal);
    const next = await rest.next();
    if (next.done) return items;
    context.stats.pages++;
    items.push(...next.value.items);
  }
}

/** Queues the reads (the batch queue packs and paces them) and applies each answer to its object. */
async function runReads(context: GraphReadContext, pending: PendingRead[]): Promise<void> {
  context.stats.subRequests += pending.length;
  await Promise.all(
    pending.map(async (read) => {
      try {
        const result = await context.batches.read(read.spec);
        if (!result.ok) return fail(read.read, result.error);
        await read.apply(result.body, read.read);
      } catch (error) {
        fail(read.read, error);
      }
    }),
  );
}

function fail(read: ObjectRead, error: unknown): void {
  if (isGraphNotFound(error)) {
    read.gone = true;
    return;
  }
  read.failure ??=
    error instanceof GraphRequestError
      ? error
      : new GraphRequestError({ reasonCode: 'graph_error', message: 'A Graph read failed', cause: error });
}

/**
 * Objects of one contract read by id (the change watch: only what the audit logs named), each completed
 * like a listed one. Reads go through the run's batch queue; a 404 marks the object gone (deleted), any
 * other failure marks only its object.
 */
export async function readObjectsByIds(
  context: GraphReadContext,
  contract: GraphContract,
  ids: readonly string[],
): Promise<ObjectRead[]> {
  context.stats.subRequests += ids.length;
  const answers: BatchResult[] = await Promise.all(
    ids.map((id) =>
      context.batches.read(getByIdRequest(contract, id)).catch(
        (error: unknown): BatchResult =>
          ({
            ok: false,
            error:
              error instanceof GraphRequestError
                ? error
                : new GraphRequestError({
                    reasonCode: 'graph_error',
                    message: 'A Graph read failed',
                    cause: error,
                  }),
          }) as BatchResult,
      ),
    ),
  );
  const found: GraphObject[] = [];
  const foundIds: string[] = [];
  const out = new Map<string, ObjectRead>();
  for (const [index, id] of ids.entries()) {
    const answer = answers[index]!;
    if (answer.ok) {
      found.push(answer.body as GraphObject);
      foundIds.push(id);
      continue;
    }
    const read: ObjectRead = { object: { id }, subResources: {}, assignments: [], gone: false };
    fail(read, answer.error);
    out.set(id, read);
  }
  const reads = await readDetails(context, contract, found, 'byId');
  reads.forEach((read, index) => out.set(foundIds[index]!, read));
  return ids.map((id) => out.get(id)!);
}
