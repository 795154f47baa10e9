import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import Account from '@vercel/cosmosdb-server/lib/account';
import findRoute from '@vercel/cosmosdb-server/lib/routes';

/**
 * The only place that reaches into `@vercel/cosmosdb-server` below its public API.
 *
 * Its public API (`createHttpsServer`) creates the in-memory Account inside a closure when the server starts
 * listening, so nothing outside can snapshot or restore it. Two ways in were considered:
 * - patching `require('.../lib/account').default` so instances are captured: works only while the package's
 *   compiled index.js happens to read that property lazily, and silently changes the class for every user of
 *   the module in the process;
 * - building our own HTTPS server from the package's route table and Account class (chosen): it depends on two
 *   stable modules that ship with type declarations (`lib/routes`, `lib/account`) and on the handler contract
 *   `(account, req, res, params) => body`, it creates the account before listening (so a snapshot is restored
 *   before the first request can arrive), and it lets us see which requests mutate state. The price is
 *   re-implementing the ~30 lines of response conventions of the package's private request handler
 *   (see request-handler.ts). The package version is pinned by the lock file; a change there fails the tests.
 */
export { Account };

export type RouteHandler = (
  account: Account,
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
) => unknown;

/** The package's router: the handler for a request, with the path parameters it matched, or undefined. */
export function routeFor(req: IncomingMessage): [Record<string, string>, RouteHandler] | undefined {
  const route = findRoute(req) as [Record<string, string>, RouteHandler] | undefined;
  return route;
}

type Documents = ReturnType<ReturnType<Account['database']>['collection']>['documents'];
type CompiledQuery = ReturnType<Documents['_getQuery']>;

const linearized = new WeakSet<Documents>();

/**
 * Makes the container's queries cost one pass over its documents instead of a pass per document.
 *
 * `@zeit/cosmosdb-query` compiles `FROM c` (and each `JOIN`) to `collection.reduce(($, c) => [...$, {c}], [])`,
 * which copies the accumulated array once per document: a query over a container of n documents is
 * O(n²) — 3 s at 20,000 documents, more than ten minutes at 100,000, for any query, even one answering
 * nothing. The accumulator is a fresh `[]` that nothing else sees, so appending to it in place answers
 * the same rows. The compiled code is cached on the package's query object (`_code`), which the
 * container's query cache (`_getQuery`) hands out; this wraps that method on this container's
 * `documents` only. Idempotent.
 */
export function linearizeQueries(documents: Documents): void {
  if (linearized.has(documents)) return;
  linearized.add(documents);
  const compile = documents._getQuery.bind(documents);
  const done = new WeakSet<CompiledQuery>();
  documents._getQuery = (sql: string) => {
    const query = compile(sql);
    if (!done.has(query)) {
      query._code = appendInPlace(query.code);
      done.add(query);
    }
    return query;
  };
}

type Helpers = { stripUndefined(value: unknown): unknown };
let resultsLinear = false;

/**
 * The query package's `paginate` passes the rows of a page through `stripUndefined`, which copies its
 * result array once per row (O(n²) in the rows answered: 61 s for a 50,000-row answer, which the SDK
 * asks for in one page). `paginate` calls it through the helpers module's exports, so replacing that
 * export with the same function written as one pass fixes every query. This is the one process-wide
 * change to the package (its helpers module, as the package itself resolves it): only this server
 * uses it in a process. Idempotent.
 */
export function linearizeResults(): void {
  if (resultsLinear) return;
  resultsLinear = true;
  const fromServer = createRequire(require.resolve('@vercel/cosmosdb-server/lib/account/items'));
  const fromQuery = createRequire(fromServer.resolve('@zeit/cosmosdb-query'));
  const helpers = fromQuery('./helpers') as Helpers;
  // Same result as the package's: `undefined` dropped from arrays (unlike JSON) and objects, recursively.
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (const item of value) if (item !== undefined) out.push(strip(item));
      return out;
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = strip(item);
      return out;
    }
    return value;
  };
  helpers.stripUndefined = strip;
}

const ACCUMULATOR_SPREAD = /\[\s*\.\.\.\$\s*,/y;

/** `[...$, a, ...b]` → `($.push(a, ...b), $)` throughout generated code (string literals left alone). */
export function appendInPlace(code: string): string {
  let out = '';
  let i = 0;
  while (i < code.length) {
    const ch = code[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = endOfString(code, i);
      out += code.slice(i, end);
      i = end;
      continue;
    }
    ACCUMULATOR_SPREAD.lastIndex = i;
    const spread = ch === '[' ? ACCUMULATOR_SPREAD.exec(code) : null;
    if (spread) {
      const close = matchingBracket(code, i);
      const rest = code.slice(i + spread[0].length, close);
      out += `($.push(${appendInPlace(rest)}), $)`;
      i = close + 1;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function endOfString(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote) i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

function matchingBracket(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length;) {
    const ch = code[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      i = endOfString(code, i);
      continue;
    }
    if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
    i++;
  }
  throw new Error('Unbalanced brackets in compiled query code.');
}
