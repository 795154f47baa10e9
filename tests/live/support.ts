import { HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { afterEach } from 'vitest';
import { HUB_METHODS } from '../../shared/live/names';
import type { RunUpdate } from '../../shared/live/run-update';
import { api, tokenOf, type DemoUserName } from '../support/api';
import { cloud, eventually } from '../support/http';

export type Target = (typeof HUB_METHODS)[keyof typeof HUB_METHODS];

/** A user's live connection through `/api/negotiate` with the official client, recording every push. */
export interface LiveClient {
  connection: HubConnection;
  updates: Array<{ target: Target; update: RunUpdate }>;
  /** The updates of one run on one method, in arrival order. */
  of(runId: string, target: Target): RunUpdate[];
  /** Waits until the run's updates on the method include `event`. */
  until(runId: string, target: Target, event: RunUpdate['event'], timeoutMs?: number): Promise<RunUpdate[]>;
}

const open: HubConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((connection) => connection.stop()));
});

export async function liveClient(user: DemoUserName): Promise<LiveClient> {
  const connection = new HubConnectionBuilder()
    .withUrl(cloud().functions.apiBaseUrl, { accessTokenFactory: () => tokenOf(user) })
    .configureLogging(LogLevel.None)
    .build();
  const updates: LiveClient['updates'] = [];
  for (const target of Object.values(HUB_METHODS)) {
    connection.on(target, (update: RunUpdate) => {
      updates.push({ target, update });
    });
  }
  await connection.start();
  open.push(connection);
  const of = (runId: string, target: Target) =>
    updates.filter((u) => u.target === target && u.update.runId === runId).map((u) => u.update);
  return {
    connection,
    updates,
    of,
    until: (runId, target, event, timeoutMs = 20_000) =>
      eventually(async () => {
        const list = of(runId, target);
        return list.some((u) => u.event === event) ? list : undefined;
      }, timeoutMs),
  };
}

export function operationsPath(scope: { workspaceId: string; tenantId: string }) {
  return `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/operations`;
}

/** Starts a run and insists it was started (202). */
export async function start(
  scope: { workspaceId: string; tenantId: string },
  as: DemoUserName,
  body: Record<string, unknown>,
) {
  const response = await api('POST', operationsPath(scope), { as, body });
  if (response.status !== 202) throw new Error(`start: ${response.status} ${response.text}`);
  return response.body.run as { id: string; instanceId: string; links: { self: string } };
}

export async function finished(runId: string, as: DemoUserName = 'alice', timeoutMs = 20_000) {
  return eventually(async () => {
    const run = await api('GET', `/operations/${runId}`, { as });
    return run.body?.status === 'completed' ? run.body : undefined;
  }, timeoutMs);
}

/** The messages of the local `operation-events` topic (the local cloud keeps them when no namespace is set). */
export async function topicMessages(): Promise<Array<{ messageId: string; body: Record<string, unknown> }>> {
  const response = await fetch(`${cloud().functions.baseUrl}/_local/servicebus/operation-events`);
  return ((await response.json()) as { items: Array<{ messageId: string; body: Record<string, unknown> }> })
    .items;
}

export function microsoftControl() {
  return (cloud().microsoft as { controlUrl: string }).controlUrl;
}
