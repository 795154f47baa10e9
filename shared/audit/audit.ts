import type { Container } from '@azure/cosmos';
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { withoutSystemFields } from '../store/documents';
import { GroupedCreates } from '../store/grouped-creates';
import { QueryBuilder } from '../store/query';
import type { Clock } from '../clock';

export const auditActorSchema = z.union([
  z.object({ kind: z.literal('user'), userId: z.string(), displayName: z.string() }),
  z.object({ kind: z.literal('schedule'), scheduleId: z.string() }),
  z.object({ kind: z.literal('system') }),
]);

export const auditEventSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  tenantId: z.string().nullable(),
  actor: auditActorSchema,
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  outcome: z.enum(['success', 'denied', 'failure']),
  metadata: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export type AuditEvent = z.infer<typeof auditEventSchema>;
export type AuditActor = z.infer<typeof auditActorSchema>;
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at' | 'tenantId' | 'metadata'> & {
  tenantId?: string | null;
  metadata?: Record<string, unknown>;
  /** Makes a retried write land on the same document (e.g. derived from a run id and step). */
  idempotencyKey?: string;
};

/** Metadata keys whose values are never stored, whatever the caller passes. */
const SECRET_KEYS = /secret|password|token|credential|privatekey|apikey|accountkey|^key$/i;

export function sanitizeMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(metadata).map(([key, value]) => [
      key,
      SECRET_KEYS.test(key)
        ? '[redacted]'
        : value && typeof value === 'object' && !Array.isArray(value)
          ? sanitizeMetadata(value as Record<string, unknown>)
          : value,
    ]),
  );
}

export interface AuditQuery {
  workspaceId: string;
  tenantId?: string;
  action?: string;
  actorId?: string;
  outcome?: AuditEvent['outcome'];
  from?: string;
  to?: string;
  limit: number;
  continuationToken?: string;
}

/** Append-only audit trail: events are created, never replaced or deleted by the app. */
export class AuditLog {
  /** Records of a workspace asked for at once (a burst of starts, a scheduler tick) share requests. */
  private readonly creates: GroupedCreates;

  constructor(
    private readonly container: Container,
    private readonly clock: Clock,
  ) {
    this.creates = new GroupedCreates(container);
  }

  async record(event: NewAuditEvent): Promise<AuditEvent> {
    const { idempotencyKey, ...rest } = event;
    const doc: AuditEvent = {
      ...rest,
      id: idempotencyKey
        ? createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)
        : randomUUID(),
      tenantId: event.tenantId ?? null,
      metadata: sanitizeMetadata(event.metadata ?? {}),
      at: this.clock.now().toISOString(),
    };
    // 'exists' is the same idempotent event again.
    await this.creates.create(doc.workspaceId, doc);
    return doc;
  }

  async list(query: AuditQuery): Promise<{ items: AuditEvent[]; continuationToken?: string }> {
    const spec = new QueryBuilder()
      .where('c.workspaceId = @workspaceId', '@workspaceId', query.workspaceId)
      .where('c.tenantId = @tenantId', '@tenantId', query.tenantId)
      .where('c.action = @action', '@action', query.action)
      .where('c.actor.userId = @actorId', '@actorId', query.actorId)
      .where('c.outcome = @outcome', '@outcome', query.outcome)
      .where('c.at >= @from', '@from', query.from)
      .where('c.at <= @to', '@to', query.to)
      .build('c.at DESC');
    const iterator = this.container.items.query<AuditEvent>(spec, {
      partitionKey: query.workspaceId,
      maxItemCount: query.limit,
      continuationToken: query.continuationToken,
    });
    const page = await iterator.fetchNext();
    return {
      items: page.resources.map((doc) => withoutSystemFields(doc)),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }
}
