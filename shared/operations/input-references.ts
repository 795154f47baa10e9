import { NotFoundError } from '../errors';
import type { OperationCatalog } from './catalog';
import type { StartCheck } from './service';

/** How the start checks find what an operation's input names. */
export interface InputReferenceLookups {
  /** Whether the tenant has this provider connection. */
  connectionExists(workspaceId: string, tenantId: string, connectionId: string): Promise<boolean>;
  /** Whether the tenant has this backup schedule. */
  scheduleExists(tenantId: string, scheduleId: string): Promise<boolean>;
}

/**
 * The references an operation's input may name, resolved before the run starts: a connection or a
 * schedule the tenant does not have is 404 and nothing is written (no run, no audit of a start, no
 * notification), instead of a run that starts only to fail.
 */
export function inputReferenceChecks(
  lookups: InputReferenceLookups,
  catalog: OperationCatalog,
): Record<string, StartCheck> {
  const check: StartCheck = async ({ workspaceId, tenantId, input }) => {
    if (
      typeof input.connectionId === 'string' &&
      !(await lookups.connectionExists(workspaceId, tenantId, input.connectionId))
    )
      throw new NotFoundError('The provider connection');
    if (typeof input.scheduleId === 'string' && !(await lookups.scheduleExists(tenantId, input.scheduleId)))
      throw new NotFoundError('The backup schedule');
  };
  return Object.fromEntries(catalog.startable().map((runType) => [runType.type, check]));
}

/** Start checks of several sources, run in turn for a type that has more than one. */
export function combineStartChecks(
  ...sources: Array<Readonly<Record<string, StartCheck>>>
): Record<string, StartCheck> {
  const combined: Record<string, StartCheck> = {};
  for (const source of sources)
    for (const [type, next] of Object.entries(source)) {
      const before = combined[type];
      combined[type] = before
        ? async (start) => {
            await before(start);
            await next(start);
          }
        : next;
    }
  return combined;
}
