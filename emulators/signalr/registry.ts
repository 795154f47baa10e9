import type { ClientConnection } from './client-connection';
import { invocation } from './protocol';
import type { SignalRConnectionSummary, SignalRGroupAction, SignalRMessage } from './types';

/** Live (handshaken) connections of every hub, their groups, and message delivery. */
export class ConnectionRegistry {
  private readonly live = new Map<string, ClientConnection>();
  /**
   * Like Azure, a group joined by userId holds for that user's current and future connections, until its
   * TTL (if any) passes: group name → expiry in epoch ms, or undefined for no expiry.
   */
  private readonly userGroups = new Map<string, Map<string, number | undefined>>();

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
      this.addUserToGroup(hub, userId, groupName);
    } else if (action === 'remove' && groupName) {
      this.userGroups.get(key)?.delete(groupName);
      for (const connection of connections) connection.groups.delete(groupName);
    }
  }

  /** `ttlSeconds` as the REST API's `ttl`: undefined = no expiry, 0 = only the user's current connections. */
  addUserToGroup(hub: string, userId: string, groupName: string, ttlSeconds?: number): void {
    if (ttlSeconds === 0) {
      for (const connection of this.inHub(hub).filter((c) => c.identity.userId === userId))
        connection.groups.add(groupName);
      return;
    }
    const key = userKey(hub, userId);
    const groups = this.userGroups.get(key) ?? new Map<string, number | undefined>();
    groups.set(groupName, ttlSeconds === undefined ? undefined : Date.now() + ttlSeconds * 1000);
    this.userGroups.set(key, groups);
  }

  isUserInGroup(hub: string, userId: string, groupName: string): boolean {
    const groups = this.userGroups.get(userKey(hub, userId));
    if (groups?.has(groupName) && (groups.get(groupName) ?? Infinity) > Date.now()) return true;
    return this.inHub(hub).some((c) => c.identity.userId === userId && c.groups.has(groupName));
  }

  addConnectionToGroup(hub: string, connectionId: string, groupName: string): boolean {
    const connection = this.live.get(connectionId);
    if (!connection || connection.identity.hub !== hub) return false;
    connection.groups.add(groupName);
    return true;
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
    const now = Date.now();
    const current = [...(viaUser ?? [])].filter(([, expiresAt]) => (expiresAt ?? Infinity) > now);
    return new Set([...connection.groups, ...current.map(([group]) => group)]);
  }

  private inHub(hub: string): ClientConnection[] {
    return this.all().filter((connection) => connection.identity.hub === hub);
  }
}

function userKey(hub: string, userId: string): string {
  return JSON.stringify([hub, userId]);
}
