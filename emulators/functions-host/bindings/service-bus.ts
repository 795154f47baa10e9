import { ServiceBusClient, type ServiceBusSender } from '@azure/service-bus';
import { DefaultAzureCredential } from '@azure/identity';
import { randomUUID } from 'node:crypto';
import type { OutputBindingProvider } from '../invoke';

export interface LocalServiceBusMessage {
  messageId: string;
  entity: string;
  body: unknown;
  enqueuedTime: string;
}

/**
 * `serviceBus` output. With a connection configured (`<connection>` as a connection string, or
 * `<connection>__fullyQualifiedNamespace` for identity) messages go to Service Bus with
 * `@azure/service-bus`; otherwise they are kept in a local topic that tests and users can read at
 * `GET /_local/servicebus/{entity}`.
 */
export class ServiceBusOutput implements OutputBindingProvider {
  readonly local = new Map<string, LocalServiceBusMessage[]>();
  private readonly clients = new Map<string, ServiceBusClient>();
  private readonly senders = new Map<string, ServiceBusSender>();

  constructor(private readonly env: Record<string, string | undefined>) {}

  async deliver(binding: Record<string, unknown>, value: unknown): Promise<void> {
    const entity = String(binding.topicName ?? binding.queueName ?? '');
    if (!entity) throw new Error('serviceBus output binding needs a queueName or topicName.');
    const bodies = Array.isArray(value) ? value : [value];
    const sender = this.sender(String(binding.connection ?? 'AzureWebJobsServiceBus'), entity);
    if (sender) {
      await sender.sendMessages(bodies.map((body) => ({ body })));
      return;
    }
    const list = this.local.get(entity) ?? [];
    for (const body of bodies) {
      list.push({ messageId: randomUUID(), entity, body, enqueuedTime: new Date().toISOString() });
    }
    this.local.set(entity, list);
  }

  messages(entity: string): LocalServiceBusMessage[] {
    return this.local.get(entity) ?? [];
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((s) => s.close()));
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }

  private sender(connection: string, entity: string): ServiceBusSender | undefined {
    const connectionString = this.env[connection];
    const namespace = this.env[`${connection}__fullyQualifiedNamespace`];
    if (!connectionString && !namespace) return undefined;
    const key = `${connection}/${entity}`;
    let sender = this.senders.get(key);
    if (!sender) {
      let client = this.clients.get(connection);
      if (!client) {
        client = connectionString
          ? new ServiceBusClient(connectionString)
          : new ServiceBusClient(namespace!, new DefaultAzureCredential());
        this.clients.set(connection, client);
      }
      sender = client.createSender(entity);
      this.senders.set(key, sender);
    }
    return sender;
  }
}
