import { z } from 'zod';
import {
  EMPTY_COUNTS,
  runCountsSchema,
  runFailureSchema,
  runOutcomeSchema,
  runStatusSchema,
  type Run,
} from '../operations/model';
import type { RunDescriber } from '../operations/catalog';
import { HUB_METHODS, tenantGroup } from './names';
import type { RunState } from './run-events';

/** What a client receives on `runUpdated` / `tenantRunUpdated`: the run's state, never its context. */
export const runUpdateSchema = z.object({
  event: z.enum(['queued', 'running', 'progress', 'completed']),
  runId: z.string(),
  type: z.string(),
  workspaceId: z.string(),
  tenantId: z.string(),
  status: runStatusSchema,
  outcome: runOutcomeSchema,
  progress: z.string().nullable(),
  /** How people read the run as of this update: "Inventory sync of Contoso running — 12 of 40 types". */
  label: z.string(),
  summary: z.string(),
  counts: runCountsSchema,
  failures: z.array(runFailureSchema),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  link: z.string(),
});
export type RunUpdate = z.infer<typeof runUpdateSchema>;

/** A `signalR` output item: a message to one user's connections or to a group. */
export interface LivePush {
  target: string;
  arguments: [RunUpdate];
  userId?: string;
  groupName?: string;
}

/**
 * The update for a state change (possibly one the document has already moved past: it is then
 * reported as it was, queued or running with a pending outcome) or for progress (`progress`).
 */
export function runUpdate(run: Run, event: RunState | 'progress', describe: RunDescriber): RunUpdate {
  const status = event === 'progress' ? run.status : event;
  const outcome = status === 'completed' ? run.outcome : 'pending';
  return {
    event,
    runId: run.id,
    type: run.type,
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    status,
    outcome,
    progress: status === 'queued' ? null : run.progress,
    ...describe(run, { status, outcome }),
    counts: status === 'queued' ? EMPTY_COUNTS : run.counts,
    failures: status === 'queued' ? [] : run.failures,
    createdAt: run.createdAt,
    startedAt: status === 'queued' ? null : run.startedAt,
    completedAt: status === 'completed' ? run.completedAt : null,
    link: run.links.self,
  };
}

/** To the initiator (user runs) and to everyone watching the tenant. */
export function pushesFor(run: Run, update: RunUpdate): LivePush[] {
  return [
    ...(run.initiator.kind === 'user'
      ? [{ target: HUB_METHODS.runUpdated, arguments: [update] as [RunUpdate], userId: run.initiator.userId }]
      : []),
    { target: HUB_METHODS.tenantRunUpdated, arguments: [update], groupName: tenantGroup(run.tenantId) },
  ];
}
