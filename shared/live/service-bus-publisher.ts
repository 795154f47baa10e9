import { DefaultAzureCredential } from '@azure/identity';
import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from '@azure/service-bus';
import type { ServiceBusConnection } from '../config';
import type { RunEventPublisher, RunLifecycleEvent } from './run-events';

/**
 * Sends lifecycle events with `@azure/service-bus`, because the Functions `serviceBus` output binding
 * cannot set a message id for Node apps (only the body): without it the topic's duplicate detection
 * could not drop a resent event. One client and sender per process.
 */
export class ServiceBusRunEventPublisher implements RunEventPublisher {
  private readonly client: ServiceBusClient;
  private readonly sender: ServiceBusSender;

  constructor(connection: ServiceBusConnection, topic: string) {
    this.client =
      'connectionString' in connection
        ? new ServiceBusClient(connection.connectionString)
        : new ServiceBusClient(connection.fullyQualifiedNamespace, new DefaultAzureCredential());
    this.sender = this.client.createSender(topic);
  }

  async publish(events: RunLifecycleEvent[]): Promise<void> {
    let batch = await this.sender.createMessageBatch();
    for (const event of events) {
      const message = toMessage(event);
      if (batch.tryAddMessage(message)) continue;
      await this.sender.sendMessages(batch);
      batch = await this.sender.createMessageBatch();
      if (!batch.tryAddMessage(message)) throw new Error(`Event ${event.messageId} is too large to send.`);
    }
    if (batch.count > 0) await this.sender.sendMessages(batch);
  }

  /** Other events on the same topic (`inventory.changed`), each with its own id, subject and properties. */
  async publishMessages(
    messages: Array<{
      messageId: string;
      subject: string;
      body: unknown;
      applicationProperties: Record<string, string>;
    }>,
  ): Promise<void> {
    let batch = await this.sender.createMessageBatch();
    for (const message of messages) {
      const outgoing: ServiceBusMessage = { ...message, contentType: 'application/json' };
      if (batch.tryAddMessage(outgoing)) continue;
      await this.sender.sendMessages(batch);
      batch = await this.sender.createMessageBatch();
      if (!batch.tryAddMessage(outgoing)) throw new Error(`Event ${message.messageId} is too large to send.`);
    }
    if (batch.count > 0) await this.sender.sendMessages(batch);
  }

  async close(): Promise<void> {
    await this.sender.close();
    await this.client.close();
  }
}

function toMessage(event: RunLifecycleEvent): ServiceBusMessage {
  return {
    messageId: event.messageId,
    body: event.body,
    contentType: 'application/json',
    subject: event.body.state,
    // Lets subscriptions filter without reading bodies (e.g. only completed runs of one type).
    applicationProperties: {
      runType: event.body.runType,
      state: event.body.state,
      outcome: event.body.outcome,
      tenantId: event.body.tenantId,
    },
  };
}
