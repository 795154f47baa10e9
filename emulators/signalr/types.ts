export interface SignalRHubOptions {
  /** 0 = ephemeral. */
  port: number;
  /** Listen address, default '127.0.0.1'; URLs always use 'localhost'. */
  host?: string;
  /** The AccessKey of the connection string; access tokens are HS256-signed with it. */
  accessKey: string;
  /** Default 15000: the client gives up after 30 s without traffic from the server. */
  pingIntervalMs?: number;
}

/** A `signalR` output-binding message. Precedence: connectionId > userId > groupName > broadcast. */
export interface SignalRMessage {
  target: string;
  arguments: unknown[];
  userId?: string;
  groupName?: string;
  connectionId?: string;
}

/** A `signalR` output-binding group action; `removeAll` applies to a userId only. */
export interface SignalRGroupAction {
  action: 'add' | 'remove' | 'removeAll';
  groupName?: string;
  userId?: string;
  connectionId?: string;
}

export interface SignalRConnectionInfo {
  url: string;
  accessToken: string;
}

export interface SignalRConnectionSummary {
  hub: string;
  connectionId: string;
  userId?: string;
  groups: string[];
}

export interface SignalRHub {
  /** e.g. http://localhost:18888 */
  baseUrl: string;
  port: number;
  /** `Endpoint=http://localhost:PORT;AccessKey=...;Version=1.0;` (Azure format). */
  connectionString: string;
  /**
   * What the Functions `signalRConnectionInfo` input binding returns: {url: `${baseUrl}/client/?hub=<lowercased hub>`,
   * accessToken: HS256 JWT with aud=that url, exp, iat, nbf, nameid=userId when given}.
   */
  connectionInfo(hubName: string, userId?: string, ttlSeconds?: number): SignalRConnectionInfo;
  /**
   * Apply one item of a `signalR` output binding: a message or a group action (parsed as a message first, then as a
   * group action, like the extension). Throws for an item that is neither.
   */
  apply(hubName: string, item: SignalRMessage | SignalRGroupAction): void;
  /** For tests and diagnostics: live connections per hub with their userId and groups. */
  connections(hubName?: string): SignalRConnectionSummary[];
  /** Closes every WebSocket (close frame) and the HTTP server; resolves when all are closed. */
  stop(): Promise<void>;
}
