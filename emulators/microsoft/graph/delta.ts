import { createHash, randomUUID } from 'node:crypto';
import type { CollectionDef } from '../reference/catalogue';
import type { EntityNode } from '../tenants/store';
import { graphError, type SimResponse } from './errors';
import { badRequest, contextUrl, json } from './respond';
import { renderNode } from './serialize';
import type { GraphCall, GraphDeps, TenantState } from './types';

/**
 * Graph's delta query on a top-level directory collection (`GET /groups/delta`), as the delta query
 * overview and "Get incremental changes for groups" describe it:
 * - the first request (optionally with `$select`) starts a round: every current object, in pages linked by
 *   `@odata.nextLink` (`$skiptoken`), the last page carrying `@odata.deltaLink` (`$deltatoken`);
 * - the delta link later answers only objects created or changed since its round (with the selected
 *   properties) and deleted ones as `{id, "@removed": {"reason": "changed"}}` (a deleted group stays
 *   restorable for 30 days, which Graph reports as `changed`), again ending in a new delta link;
 * - query options other than the tokens are given once, on the first request: the links carry them;
 * - a token Graph no longer knows (older than its lifetime — seven days for directory objects — or
 *   expired through the control API) is answered `400 syncStateNotFound` ("The sync state generation is
 *   not found. The delta token is expired and data must be synchronized again.", Microsoft 365 developer
 *   blog, 2020-07-03) or, when the control API asks for it, `410 Gone` (the overview's general answer).
 *
 * Tokens keep a snapshot of the objects' content hashes (not the objects), so a round costs one hash per
 * object; only the last few tokens and rounds of a tenant are kept, like Graph's own token cache.
 */
const PAGE_SIZE = 100;
const KEPT_TOKENS = 8;
const KEPT_ROUNDS = 8;
const TOKEN_LIFETIME_MS = 7 * 24 * 3600_000;

interface DeltaToken {
  issuedAt: number;
  select?: string[];
  /** id → content hash of the objects when the token was issued. */
  snapshot: Map<string, string>;
}

interface DeltaRound {
  select?: string[];
  /** Object ids to answer (current state rendered per page) and ids answered as removed. */
  entries: Array<{ id: string; removed: boolean }>;
  /** The token the last page hands out: the collection as it was when the round started. */
  next: DeltaToken;
}

export interface DeltaState {
  tokens: Map<string, DeltaToken>;
  rounds: Map<string, DeltaRound>;
  /** Tokens issued before this instant are expired (control API). */
  expiredBefore: number;
  expiredStatus: 400 | 410;
}

const states = new WeakMap<TenantState, DeltaState>();

function stateOf(tenant: TenantState): DeltaState {
  let state = states.get(tenant);
  if (!state) {
    state = { tokens: new Map(), rounds: new Map(), expiredBefore: 0, expiredStatus: 400 };
    states.set(tenant, state);
  }
  return state;
}

/** Expires every delta token the tenant has handed out (their next use answers `status`). */
export function expireDeltaTokens(tenant: TenantState, status: 400 | 410 = 400): void {
  const state = stateOf(tenant);
  state.expiredBefore = Date.now() + 1;
  state.expiredStatus = status;
  state.tokens.clear();
}

/** Whether the collection answers the delta function (top-level directory collections). */
export function supportsDelta(def: CollectionDef): boolean {
  return def.path === '/groups';
}

function remember<V>(map: Map<string, V>, key: string, value: V, keep: number): void {
  map.set(key, value);
  while (map.size > keep) map.delete(map.keys().next().value!);
}

function hashOf(node: EntityNode): string {
  return createHash('sha1').update(JSON.stringify(node.data)).digest('base64url');
}

function snapshotOf(nodes: Map<string, EntityNode>, select?: string[]): DeltaToken {
  return { issuedAt: Date.now(), select, snapshot: new Map([...nodes].map(([id, n]) => [id, hashOf(n)])) };
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function expired(call: GraphCall, state: DeltaState): SimResponse {
  if (state.expiredStatus === 410)
    return graphError(
      410,
      'resyncRequired',
      'Resync required. Replace any local state with a full read.',
      call.ids,
    );
  return graphError(
    400,
    'syncStateNotFound',
    'The sync state generation is not found. The delta token is expired and data must be synchronized again.',
    call.ids,
  );
}

/** `GET {collection}/delta` with `$select`, `$skiptoken` or `$deltatoken`. */
export function handleDelta(deps: GraphDeps, call: GraphCall, def: CollectionDef): SimResponse {
  if (call.method !== 'GET') return badRequest(deps, call, def, 'The delta function only supports GET.');
  const tenant = call.principal.tenant;
  const state = stateOf(tenant);
  const nodes = tenant.store.collection(def.path);
  const skipToken = call.query.get('$skiptoken');
  const deltaToken = call.query.get('$deltatoken');
  let roundId: string;
  let offset = 0;
  if (skipToken) {
    const position = decode<{ r: string; o: number }>(skipToken);
    if (!position || !state.rounds.has(position.r)) return expired(call, state);
    roundId = position.r;
    offset = position.o;
  } else {
    let round: DeltaRound;
    if (deltaToken) {
      const token = state.tokens.get(deltaToken);
      if (!token || token.issuedAt < state.expiredBefore || Date.now() - token.issuedAt > TOKEN_LIFETIME_MS)
        return expired(call, state);
      const next = snapshotOf(nodes, token.select);
      const entries: DeltaRound['entries'] = [];
      for (const [id, hash] of next.snapshot)
        if (token.snapshot.get(id) !== hash) entries.push({ id, removed: false });
      for (const id of token.snapshot.keys()) if (!nodes.has(id)) entries.push({ id, removed: true });
      round = { select: token.select, entries, next };
    } else {
      const select = call.query
        .get('$select')
        ?.split(',')
        .map((field) => field.trim())
        .filter(Boolean);
      const schema = deps.schemas[call.version];
      const unknown = select?.find((field) => schema.memberName('group', field) === undefined);
      if (unknown)
        return badRequest(
          deps,
          call,
          def,
          `Could not find a property named '${unknown}' on type 'microsoft.graph.group'.`,
        );
      const next = snapshotOf(nodes, select);
      round = { select, entries: [...nodes.keys()].map((id) => ({ id, removed: false })), next };
    }
    roundId = randomUUID();
    remember(state.rounds, roundId, round, KEPT_ROUNDS);
  }
  const round = state.rounds.get(roundId)!;
  const page = round.entries.slice(offset, offset + PAGE_SIZE);
  const value = page.map((entry) => {
    const node = nodes.get(entry.id);
    if (entry.removed || !node)
      return { '@odata.type': '#microsoft.graph.group', id: entry.id, '@removed': { reason: 'changed' } };
    return renderNode(deps.schemas, call.version, tenant.store, node, { select: round.select });
  });
  const link = `${deps.graphBaseUrl}/${call.version}${def.path}/delta`;
  const body: Record<string, unknown> = { '@odata.context': contextUrl(deps, call, '') };
  if (offset + PAGE_SIZE < round.entries.length) {
    body['@odata.nextLink'] = `${link}?$skiptoken=${encode({ r: roundId, o: offset + PAGE_SIZE })}`;
  } else {
    const token = randomUUID().replace(/-/g, '');
    remember(state.tokens, token, round.next, KEPT_TOKENS);
    body['@odata.deltaLink'] = `${link}?$deltatoken=${token}`;
  }
  body.value = value.filter(Boolean);
  return json(200, body);
}
