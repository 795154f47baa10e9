import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { Clock } from '../clock';
import { tenantGroup } from '../live/names';
import type { DriftNotification } from '../notifications/model';
import type { NotificationStore } from '../notifications/store';
import { readItem, withoutSystemFields } from '../store/documents';
import type { WorkspaceService } from '../workspaces/workspace-service';
import { pairSummarySchema, type Baseline, type Finding, type PairSummary } from './model';
import type { DriftStore } from './store';
import {
  DRIFT_CHANGED_METHOD,
  driftEvent,
  type DriftChange,
  type DriftEvent,
  type DriftPush,
} from './signal-shapes';

export { DRIFT_CHANGED_METHOD, DRIFT_DETECTED_EVENT, DRIFT_RESOLVED_EVENT } from './signal-shapes';
export type { DriftChange, DriftEvent, DriftPush } from './signal-shapes';

/** Sends drift events with their message ids (Service Bus in Azure). */
export interface DriftEventPublisher {
  publishDrift(events: DriftEvent[]): Promise<void>;
}

export interface DriftSignalDeps {
  /** `driftSummaries`: the summaries' container, where the ledgers live beside them. */
  summaries: Container;
  store: DriftStore;
  notifications: Pick<NotificationStore, 'createOnce'>;
  workspaces: Pick<WorkspaceService, 'getTenant'>;
  clock: Clock;
  /** Undefined without Service Bus: the events are handed back for the function's output binding. */
  publisher?: DriftEventPublisher;
}

/**
 * What was signaled of one (baseline, tenant): the drift episodes (finding id → the episode's
 * `firstSeenAt`) its last signals announced. The next summary is compared with it, and it is written
 * only after the notification and the events went out, so a batch that fails half-way (or runs twice)
 * announces the same episodes again under the same ids, and none is ever lost. It lives beside the
 * pair's summary and goes with it (unassignment, baseline deletion, tenant purge).
 */
interface SignalLedger {
  id: string;
  workspaceId: string;
  docType: 'signals';
  baselineId: string;
  tenantId: string;
  episodes: Record<string, string | null>;
}

const ledgerIdOf = (baselineId: string, tenantId: string) => `signals-${baselineId}-${tenantId}`;

export interface SignalResult {
  pushes: DriftPush[];
  /** Events not published by the publisher (none when one is configured). */
  unpublished: DriftEvent[];
  notified: number;
}

/**
 * Signals of drift (docs/drift.md): the `driftSummaries` container's change feed delivers each (baseline,
 * tenant) summary an evaluation wrote; its drift episodes are compared with what was signaled before. New
 * episodes are `drift.detected`, ended ones `drift.resolved` (events with stable message ids), the pair
 * gets one notification for the baseline's owner summarizing both, and one push to the tenant's SignalR
 * group. Every id derives from the episodes announced, so a repeated batch creates nothing new.
 */
export class DriftSignals {
  constructor(private readonly deps: DriftSignalDeps) {}

  async handle(documents: readonly unknown[]): Promise<SignalResult> {
    const result: SignalResult = { pushes: [], unpublished: [], notified: 0 };
    const pairs = new Map<string, { workspaceId: string; baselineId: string; tenantId: string }>();
    // Summaries only: the ledgers this function writes come back through the same feed.
    for (const doc of documents) {
      const parsed = pairSummarySchema.safeParse(doc);
      if (parsed.success) pairs.set(parsed.data.id, parsed.data);
    }
    for (const pair of pairs.values()) {
      const signal = await this.signalPair(pair.workspaceId, pair.baselineId, pair.tenantId);
      if (!signal) continue;
      result.pushes.push(signal.push);
      result.unpublished.push(...signal.events);
      if (signal.notified) result.notified++;
    }
    if (this.deps.publisher && result.unpublished.length > 0) {
      // Sent before the ledgers are written, so a failed send announces the same episodes again.
      await this.deps.publisher.publishDrift(result.unpublished);
      result.unpublished = [];
    }
    for (const pair of pairs.values()) await this.commit(pair.workspaceId, pair.baselineId, pair.tenantId);
    return result;
  }

  private readonly pending = new Map<string, SignalLedger>();

  private async signalPair(workspaceId: string, baselineId: string, tenantId: string) {
    // The feed may hold an older image of the summary: the stored one is what to announce.
    const summary = await this.deps.store.summary(workspaceId, baselineId, tenantId);
    if (!summary) return undefined;
    const ledger = await this.ledger(workspaceId, baselineId, tenantId);
    const now = episodesOf(summary);
    const openedIds = Object.keys(now).filter((id) => ledger.episodes[id] !== now[id]);
    const endedIds = Object.keys(ledger.episodes).filter((id) => now[id] !== ledger.episodes[id]);
    if (openedIds.length === 0 && endedIds.length === 0) return undefined;
    const next: SignalLedger = { ...ledger, episodes: now };
    const baseline = await this.deps.store.baseline(workspaceId, baselineId);
    if (!baseline || baseline.deletedAt) return undefined;
    const findings = new Map(
      (
        await this.deps.store.findingsOfPair(workspaceId, baselineId, tenantId, {
          ids: [...new Set([...openedIds, ...endedIds])],
        })
      ).map((finding) => [finding.id, finding]),
    );
    const opened: DriftChange[] = [];
    for (const id of openedIds.sort()) {
      const finding = findings.get(id);
      if (finding && finding.firstSeenAt === now[id]) opened.push(changeOf(finding, 'detected', now[id]!));
    }
    const resolved: DriftChange[] = [];
    for (const id of endedIds.sort()) {
      const finding = findings.get(id);
      // A finding that is gone, or matching again without an episode, left with its baseline object:
      // not a resolution. One that opened again has ended its earlier episode.
      if (finding && (finding.state === 'resolved' || finding.firstSeenAt !== ledger.episodes[id]))
        resolved.push(changeOf(finding, 'resolved', ledger.episodes[id] ?? null));
    }
    this.pending.set(next.id, next);
    if (opened.length === 0 && resolved.length === 0) return undefined;
    const tenant = await this.deps.workspaces.getTenant(workspaceId, tenantId);
    // A tenant being purged is told nothing more (its notifications are being deleted).
    if (!tenant) return undefined;
    const tenantName = tenant.displayName;
    const notification = driftNotification(baseline, tenantId, tenantName, opened, resolved, this.now());
    const notified = await this.deps.notifications.createOnce(notification);
    const events = [...opened, ...resolved].map((change) => driftEvent(baseline, tenantId, change));
    const push: DriftPush = {
      target: DRIFT_CHANGED_METHOD,
      groupName: tenantGroup(tenantId),
      arguments: [
        {
          id: notification.id,
          workspaceId,
          baselineId,
          baselineName: baseline.name,
          tenantId,
          title: notification.title,
          opened,
          resolved,
          link: notification.link,
        },
      ],
    };
    return { push, events, notified };
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private async ledger(workspaceId: string, baselineId: string, tenantId: string): Promise<SignalLedger> {
    const id = ledgerIdOf(baselineId, tenantId);
    const stored = await readItem<SignalLedger>(this.deps.summaries, id, workspaceId);
    return stored?.docType === 'signals'
      ? withoutSystemFields(stored)
      : { id, workspaceId, docType: 'signals', baselineId, tenantId, episodes: {} };
  }

  private async commit(workspaceId: string, baselineId: string, tenantId: string): Promise<void> {
    const ledger = this.pending.get(ledgerIdOf(baselineId, tenantId));
    if (!ledger || ledger.workspaceId !== workspaceId) return;
    this.pending.delete(ledger.id);
    // The pair's summary and ledger go together (unassignment, baseline deletion, purge): a ledger
    // written after them would outlive its pair, and a later assignment would compare with it.
    if (!(await this.deps.store.summary(workspaceId, baselineId, tenantId))) return;
    await this.deps.summaries.items.upsert(ledger);
  }
}

/** The pair's drift episodes (open or accepted findings) by finding id. */
function episodesOf(summary: PairSummary): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(summary.drift)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, entry]) => [id, entry.firstSeenAt]),
  );
}

function changeOf(finding: Finding, kind: DriftChange['kind'], episode: string | null): DriftChange {
  return {
    kind,
    findingId: finding.id,
    episode,
    objectKey: finding.objectKey,
    policyType: finding.policyType,
    displayName: finding.displayName,
    outcome: finding.outcome,
    differenceCount: finding.differenceCount,
    tenantItemId: finding.tenantItemId,
    firstSeenAt: kind === 'detected' ? finding.firstSeenAt : episode,
    resolvedAt: kind === 'resolved' ? finding.resolvedAt : null,
    raisedByVersion: finding.raisedByVersion,
    resolvedByVersion: kind === 'resolved' ? finding.resolvedByVersion : null,
  };
}

const SHOWN = 3;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * One notification per (baseline, tenant) and evaluation, for the baseline's owner (who created it).
 * Its id is derived from the episodes it announces: the same announcement twice is one notification.
 */
export function driftNotification(
  baseline: Baseline,
  tenantId: string,
  tenantName: string,
  opened: readonly DriftChange[],
  resolved: readonly DriftChange[],
  now: string,
): DriftNotification {
  const content = JSON.stringify([
    baseline.workspaceId,
    baseline.id,
    tenantId,
    opened.map((c) => [c.findingId, c.episode]),
    resolved.map((c) => [c.findingId, c.episode]),
  ]);
  const parts = [
    ...(opened.length > 0 ? [plural(opened.length, 'new drift finding')] : []),
    ...(resolved.length > 0
      ? [
          opened.length > 0
            ? `${resolved.length} resolved`
            : `${plural(resolved.length, 'drift finding')} resolved`,
        ]
      : []),
  ];
  const names = (changes: readonly DriftChange[]) =>
    changes
      .slice(0, SHOWN)
      .map((c) => (c.kind === 'detected' ? `${c.displayName} (${c.outcome})` : c.displayName))
      .join(', ') + (changes.length > SHOWN ? ` and ${changes.length - SHOWN} more` : '');
  return {
    id: `drift-${createHash('sha256').update(content).digest('hex').slice(0, 40)}`,
    userId: baseline.createdBy.userId,
    kind: 'drift.changed',
    title: `${tenantName}: ${parts.join(', ')} against baseline '${baseline.name}'`,
    message: [
      ...(opened.length > 0 ? [`New: ${names(opened)}.`] : []),
      ...(resolved.length > 0 ? [`Resolved: ${names(resolved)}.`] : []),
    ].join(' '),
    workspaceId: baseline.workspaceId,
    tenantId,
    baselineId: baseline.id,
    opened: opened.length,
    resolved: resolved.length,
    link: `/api/workspaces/${baseline.workspaceId}/drift?baselineId=${baseline.id}&tenantId=${tenantId}&state=all`,
    createdAt: now,
    readAt: null,
  };
}
