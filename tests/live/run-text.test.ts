import { describe, expect, it } from 'vitest';
import { operationCatalog } from '../../shared/app/catalog';
import type { Run, RunOutcome, RunStatus } from '../../shared/operations/model';
import { api, freshWorkspace, unreachableConnection } from '../support/api';
import { eventually } from '../support/http';
import { connectedScope } from '../inventory/support';
import { finished, liveClient, operationsPath } from './support';

async function notificationsOf(runId: string) {
  return eventually(async () => {
    const list = await api('GET', '/me/notifications?limit=200', { as: 'olga' });
    const mine = (list.body.items as Array<{ runId: string; kind: string; title: string; message: string }>)
      .filter((n) => n.runId === runId)
      .sort((a, b) => a.kind.localeCompare(b.kind));
    return mine.length === 2 ? mine : undefined;
  });
}

describe('how people read runs: one label and summary line per run type and outcome', () => {
  it('an inventory sync of Contoso reads the same in the start answer, live updates, run views and notifications', async () => {
    const scope = await connectedScope('Run text', 'contoso');
    const renamed = await api('PATCH', `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}`, {
      as: 'alice',
      body: { displayName: 'Contoso' },
    });
    expect(renamed.status, renamed.text).toBe(200);
    const live = await liveClient('olga');
    const started = await api('POST', operationsPath(scope), {
      as: 'olga',
      body: { type: 'inventory.sync' },
    });
    expect(started.status, started.text).toBe(202);
    const { id } = started.body.run;
    expect(started.body.run).toMatchObject({
      label: 'Inventory sync',
      summary: 'Inventory sync of Contoso queued',
    });

    const updates = await live.until(id, 'runUpdated', 'completed', 60_000);
    const ended = await finished(id, 'olga');
    const { objects } = ended.result.totals;
    expect(objects).toBeGreaterThan(100);
    const line = `Inventory sync of Contoso finished — ${objects} objects, all new`;
    expect(ended.outcome).toBe('succeeded');
    expect(ended).toMatchObject({ label: 'Inventory sync', summary: line });

    expect(updates[0]).toMatchObject({
      event: 'queued',
      label: 'Inventory sync',
      summary: 'Inventory sync of Contoso queued',
    });
    const running = updates.filter((u) => u.event === 'running' || u.event === 'progress');
    expect(running.length).toBeGreaterThan(0);
    for (const update of running)
      expect(update.summary).toMatch(/^Inventory sync of Contoso running( — .+)?$/);
    expect(running.some((u) => u.summary.includes(' — '))).toBe(true);
    expect(updates.at(-1)).toMatchObject({ event: 'completed', summary: line });

    const listed = await api('GET', `/operations?workspaceId=${scope.workspaceId}`, { as: 'rita' });
    expect(listed.body.items.find((r: { id: string }) => r.id === id)).toMatchObject({ summary: line });

    const [endedNote, queuedNote] = await notificationsOf(id);
    expect(queuedNote).toMatchObject({ kind: 'run.queued', title: 'Inventory sync of Contoso queued' });
    expect(endedNote).toMatchObject({ kind: 'run.ended', title: line });
    expect(endedNote!.message).toMatch(/^Took \d+ s\.$/);
  }, 90_000);

  it('a failed run says what went wrong, in words and with its reason code', async () => {
    const scope = await freshWorkspace('Run text failure');
    await unreachableConnection(scope);
    const started = await api('POST', operationsPath(scope), {
      as: 'olga',
      body: { type: 'provider.health_check' },
    });
    const ended = await finished(started.body.run.id, 'olga');
    expect(ended.outcome).toBe('failed');
    const failure = ended.failures[0];
    expect(ended.summary).toBe(
      `Connection health check of Test tenant failed — ${failure.message.replace(/\.$/, '')}`,
    );
    const [endedNote] = await notificationsOf(ended.id);
    expect(endedNote!.title).toBe(ended.summary);
    expect(endedNote!.message).toContain(`(${failure.reasonCode})`);
  });

  it('every registered run type reads as words for every state, even before it has a result', () => {
    const types = operationCatalog.all();
    expect(types.map((t) => t.type)).toEqual(
      expect.arrayContaining(['inventory.sync', 'backup.run', 'provider.verification']),
    );
    for (const runType of types) {
      const run = {
        type: runType.type,
        tenantName: 'Contoso',
        progress: null,
        result: null,
        counts: { total: 0, processed: 0, succeeded: 0, failed: 0, skipped: 0 },
        failures: [{ reasonCode: 'cancelled', message: 'Cancelled by Olga Operator.' }],
      } as unknown as Run;
      const states: Array<{ status: RunStatus; outcome: RunOutcome }> = [
        { status: 'queued', outcome: 'pending' },
        { status: 'running', outcome: 'pending' },
        ...(['succeeded', 'partially_succeeded', 'failed', 'cancelled'] as const).map((outcome) => ({
          status: 'completed' as const,
          outcome,
        })),
      ];
      for (const state of states) {
        const { label, summary } = operationCatalog.describe(run, state);
        expect(label, runType.type).not.toBe(runType.type);
        expect(label).toMatch(/^[A-Z][a-z]/);
        expect(summary.startsWith(`${label} of Contoso `), summary).toBe(true);
        expect(summary).not.toMatch(/undefined|NaN|null|\[object/);
      }
    }
  });
});
