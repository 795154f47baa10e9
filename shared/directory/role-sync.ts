import { createHash } from 'node:crypto';
import { getContract, GraphRequestError, type GraphContract, type GraphObject } from '../graph';
import { emptyWriteStats } from '../inventory/store/batch-writer';
import type { Completion } from '../operations/lifecycle';
import { toRunFailure, type RunFailure } from '../operations/model';
import type { DirectoryDeps } from './deps';
import type { RoleSource } from './model';
import type { RoleDocument } from './store';

/** Where role definitions come from: Intune RBAC and Entra directory roles (contracts, as data). */
export const ROLE_SOURCES: ReadonlyArray<{ source: RoleSource; contractKey: string }> = [
  { source: 'intune', contractKey: 'roleDefinitions' },
  { source: 'entra', contractKey: 'directoryRoleDefinitions' },
];

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * The allowed actions of a role, whatever the shape: Entra lists `rolePermissions[].allowedResourceActions`,
 * Intune beta `rolePermissions[].resourceActions[].allowedResourceActions`, Intune v1.0 `…actions`.
 */
export function rolePermissionsOf(role: GraphObject): string[] {
  const out = new Set<string>();
  for (const permission of Array.isArray(role.rolePermissions) ? role.rolePermissions : []) {
    const entry = permission as Record<string, unknown>;
    for (const action of [...strings(entry.allowedResourceActions), ...strings(entry.actions)])
      out.add(action);
    for (const resource of Array.isArray(entry.resourceActions) ? entry.resourceActions : [])
      for (const action of strings((resource as Record<string, unknown>).allowedResourceActions))
        out.add(action);
  }
  return [...out].sort();
}

function roleDocument(
  tenantId: string,
  runId: string,
  source: RoleSource,
  role: GraphObject,
  now: string,
): RoleDocument {
  const content = {
    displayName: typeof role.displayName === 'string' ? role.displayName : '',
    description: typeof role.description === 'string' ? role.description : null,
    isBuiltIn: role.isBuiltIn === true,
    permissions: rolePermissionsOf(role),
  };
  return {
    id: `role:${source}:${String(role.id)}`,
    roleId: String(role.id),
    tenantId,
    docType: 'roleDefinition',
    source,
    ...content,
    nameKey: content.displayName.toLowerCase(),
    removedAt: null,
    contentHash: createHash('sha256').update(JSON.stringify(content)).digest('hex'),
    updatedAt: now,
    updatedByRunId: runId,
  };
}

/**
 * `directory.role_definitions.sync`: both sources read in full (tenants have tens to a few hundred roles),
 * only changed roles written, roles gone from a source that was read completely marked removed. One
 * activity; running it again writes nothing new.
 */
export function createRoleSync(deps: DirectoryDeps) {
  return async function syncRoleDefinitions(runId: string): Promise<Completion> {
    const run = await deps.loadRun(runId);
    if (!run) throw new Error(`Run ${runId} does not exist.`);
    const now = deps.clock.now().toISOString();
    let client;
    try {
      client = (await deps.graphForRun(run)).client;
    } catch (error) {
      return { outcome: 'failed', failures: [toRunFailure(error)] };
    }
    const existing = new Map((await deps.store.allRoles(run.tenantId)).map((doc) => [doc.id, doc]));
    const writes = emptyWriteStats();
    const failures: RunFailure[] = [];
    const figures = { read: 0, written: 0, removed: 0 };
    for (const { source, contractKey } of ROLE_SOURCES) {
      const contract: GraphContract = getContract(contractKey);
      const seen = new Set<string>();
      const documents: RoleDocument[] = [];
      try {
        for await (const role of client.listAll(contract, {
          correlation: { runId, tenantId: run.tenantId },
        })) {
          const doc = roleDocument(run.tenantId, runId, source, role, now);
          seen.add(doc.id);
          figures.read++;
          const before = existing.get(doc.id);
          if (!before || before.contentHash !== doc.contentHash || before.removedAt) documents.push(doc);
        }
      } catch (error) {
        if (!(error instanceof GraphRequestError)) throw error;
        failures.push(toRunFailure(error, contractKey));
        continue;
      }
      for (const doc of existing.values())
        if (doc.source === source && !doc.removedAt && !seen.has(doc.id))
          documents.push({ ...doc, removedAt: now, updatedAt: now, updatedByRunId: runId });
      figures.removed += documents.filter((doc) => doc.removedAt).length;
      figures.written += documents.length;
      await deps.store.upsertRoles(run.tenantId, documents, writes);
    }
    if (failures.length === ROLE_SOURCES.length) return { outcome: 'failed', failures };
    const state = await deps.store.roleState(run.tenantId);
    await deps.store.saveState({ ...state, last: { syncedAt: now, runId, roleDefinitions: figures.read } });
    return {
      outcome: failures.length > 0 ? 'partially_succeeded' : 'succeeded',
      failures,
      counts: {
        total: figures.read,
        processed: figures.read,
        succeeded: figures.read,
        failed: failures.length,
        skipped: 0,
      },
      result: { ...figures, cosmosRequests: writes.requests + 1, documentsWritten: writes.documents + 1 },
    };
  };
}
