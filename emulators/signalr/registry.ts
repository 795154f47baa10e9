import type { ClientConnection } from './client-connection';
import { invocation } from './protocol';
import type { SignalRConnectionSummary, SignalRGroupAction, SignalRMessage } from './types';

/** Live (handshaken) connections of every hub, their groups, and message delivery. */
export class ConnectionRegistry {
  private readonly live = new Map<string, ClientConnection>();
  /** Like Azure, a group joined by userId holds for that user's current and future connections. */
  private readonly userGroups = new Map<string, Set<string>>();

  add(connection: ClientConnection): void {
    this.live.set(connection.connectionId, connection);
  }

  remove(connection: ClientConnection): void {
    if (this.live.get(connection.connectionId) === connection) this.live.delete(connection.connectionId);
  }

  all(): ClientConnection[] {
    return [...this.live.values()];
  }

  list(hub?: string): SignalRConnectionSummary[] {
    return this.all()
      .filter((connection) => hub === undefined || connection.identity.hub === hub)
      .map((connection) => ({ ...connection.identity, groups: [...this.groupsOf(connection)].sort() }));
  }

  send(hub: string, message: SignalRMessage): void {
    const text = invocation(message.target, message.arguments);
    for (const connection of this.recipients(hub, message)) connection.send(text);
  }

  applyGroupAction(hub: string, groupAction: SignalRGroupAction): void {
    const { action, groupName, connectionId, userId } = groupAction;
    if (connectionId) {
      const connection = this.live.get(connectionId);
      if (!connection || connection.identity.hub !== hub || !groupName) return;
      if (action === 'add') connection.groups.add(groupName);
      else connection.groups.delete(groupName);
      return;
    }
    if (!userId) throw new Error('A signalR group action needs a userId or a connectionId.');
    const key = userKey(hub, userId);
    const connections = this.inHub(hub).filter((connection) => connection.identity.userId === userId);
    if (action === 'removeAll') {
      this.userGroups.delete(key);
      for (const connection of connections) connection.groups.clear();
    } else if (action === 'add' && groupName) {
      this.userGroups.set(key, (this.userGroups.get(key) ?? new Set()).add(groupName));
    } else if (action === 'remove' && groupName) {
      this.userGroups.get(key)?.delete(groupName);
      for (const connection of connections) connection.groups.delete(groupName);
    }
  }

  private recipients(hub: string, message: SignalRMessage): ClientConnection[] {
    const connections = this.inHub(hub);
    if (message.connectionId) return connections.filter((c) => c.connectionId === message.connectionId);
    if (message.userId) return connections.filter((c) => c.identity.userId === message.userId);
    const groupName = message.groupName;
    if (groupName) return connections.filter((c) => this.groupsOf(c).has(groupName));
    return connections;
  }

  private groupsOf(connection: ClientConnection): Set<string> {
    const { hub, userId } = connection.identity;
    const viaUser = userId === undefined ? undefined : this.userGroups.get(userKey(hub, userId));
    return new Set([...connection.groups, ...(viaUser ?? [])]);
  }

  private inHub(hub: string): ClientConnection[] {
    return this.all().filter((connection) => connection.identity.hub === hub);
  }
}

function userKey(hub: string, userId: string): string {
  return JSON.stringify([hub, userId]);
}
