import { tenantGroup } from '../live/names';
import { changeRecordSchema, type ChangeRecord } from './model';
import { toChangeView, type ChangeView } from './change-feed';

/** Client-side method of the push of a new change (`connection.on('inventoryChanged', …)`). */
export const INVENTORY_CHANGED_METHOD = 'inventoryChanged';
/** `subject` (and `type` in the body) of change events on the operation-events topic. */
export const INVENTORY_CHANGED_EVENT = 'inventory.changed';

/** A `signalR` output item: a feed entry to everyone watching the tenant. */
export interface ChangePush {
  target: typeof INVENTORY_CHANGED_METHOD;
  groupName: string;
  arguments: [ChangeView];
}

/** Body of an `inventory.changed` event: the feed entry, with its id as the Service Bus message id. */
export interface ChangeEvent {
  messageId: string;
  subject: typeof INVENTORY_CHANGED_EVENT;
  body: ChangeView & { eventId: string; type: typeof INVENTORY_CHANGED_EVENT };
  applicationProperties: { type: string; tenantId: string; kind: string; policyType: string };
}

/** Sends change events with their message ids (Service Bus in Azure). */
export interface ChangeEventPublisher {
  publishChanges(events: ChangeEvent[]): Promise<void>;
}

export function changeEvent(change: ChangeRecord): ChangeEvent {
  const view = toChangeView(change);
  return {
    // The change record's id: one per run and item, so a re-delivered document sends the same message
    // (Service Bus drops it) while a later change back to an earlier content (same version id) does not.
    messageId: change.id,
    subject: INVENTORY_CHANGED_EVENT,
    body: { ...view, eventId: change.id, type: INVENTORY_CHANGED_EVENT },
    applicationProperties: {
      type: INVENTORY_CHANGED_EVENT,
      tenantId: change.tenantId,
      kind: change.kind,
      policyType: change.policyType,
    },
  };
}

/**
 * New change records (the inventory container's change feed, where they are one document kind among
 * many) → a live push to the tenant's SignalR group and an `inventory.changed` event each. Everything
 * else in the batch is skipped. At least once: a re-delivered batch pushes again (clients key entries by
 * id) and sends the same message ids.
 */
export async function fanOutChanges(
  documents: unknown[],
  publisher?: ChangeEventPublisher,
): Promise<{ pushes: ChangePush[]; unpublished: ChangeEvent[] }> {
  const changes: ChangeRecord[] = [];
  for (const document of documents) {
    if ((document as { docType?: unknown } | null)?.docType !== 'change') continue;
    const parsed = changeRecordSchema.safeParse(document);
    if (parsed.success) changes.push(parsed.data);
  }
  const pushes = changes.map((change): ChangePush => ({
    target: INVENTORY_CHANGED_METHOD,
    groupName: tenantGroup(change.tenantId),
    arguments: [toChangeView(change)],
  }));
  const events = changes.map(changeEvent);
  if (publisher && events.length > 0) {
    await publisher.publishChanges(events);
    return { pushes, unpublished: [] };
  }
  return { pushes, unpublished: events };
}
