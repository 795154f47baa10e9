import type { IncomingMessage, ServerResponse } from 'node:http';
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
