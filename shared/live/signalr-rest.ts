import type { TokenCredential } from '@azure/identity';
import { SignJWT } from 'jose';
import { ServiceUnavailableError } from '../errors';

/** What a client needs to connect to the hub: the negotiate redirect (`{url, accessToken}`). */
export interface ClientConnectionInfo {
  url: string;
  accessToken: string;
}

/** The parts of SignalR Service the app drives itself (a port; the fan-out pushes through the binding). */
export interface LiveHub {
  /** A client token bound to this user id (`nameid`), so user-targeted pushes reach only them. */
  clientConnection(userId: string): Promise<ClientConnectionInfo>;
  /** Adds the user (all current and future connections) to the groups for `ttlSeconds`. */
  addUserToGroups(userId: string, groups: string[], ttlSeconds: number): Promise<void>;
  /** Takes the user (open connections and the membership kept for later ones) out of the groups. */
  removeUserFromGroups(userId: string, groups: string[]): Promise<void>;
}

export interface SignalRRestOptions {
  /** `https://<name>.service.signalr.net` (or the local emulator). */
  endpoint: string;
  hub: string;
  /** Signs REST and client tokens locally (connection string with AccessKey). */
  accessKey?: string;
  /** Otherwise: Microsoft Entra tokens of the app's identity (SignalR Service Owner role). */
  credential?: TokenCredential;
  clientTokenMinutes?: number;
}

/** 2022-11-01 is the first data-plane version with `:generateToken`. */
const API_VERSION = '2022-11-01';
const ENTRA_SCOPE = 'https://signalr.azure.com/.default';
const REQUEST_TIMEOUT_MS = 10_000;
const GROUP_CONCURRENCY = 8;

/**
 * Azure SignalR Service data-plane REST API. In serverless mode with identity-based connections there
 * is no access key to sign client tokens with, and the `signalRConnectionInfo` binding can only take
 * the user id from a request header, which a caller could forge: our API validates its JWTs itself, so
 * `:generateToken?userId=<oid>` is asked for with the verified oid instead.
 */
export class SignalRRestClient implements LiveHub {
  private readonly hub: string;

  constructor(private readonly options: SignalRRestOptions) {
    if (!options.accessKey && !options.credential)
      throw new Error('SignalRRestClient needs an accessKey or a credential.');
    this.hub = options.hub.toLowerCase();
  }

  async clientConnection(userId: string): Promise<ClientConnectionInfo> {
    const response = await this.request('POST', `/api/hubs/${this.hub}/:generateToken`, {
      userId,
      minutesToExpire: String(this.options.clientTokenMinutes ?? 60),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!token) throw unavailable(new Error('generateToken answered without a token'));
    return { url: `${this.options.endpoint}/client/?hub=${this.hub}`, accessToken: token };
  }

  async addUserToGroups(userId: string, groups: string[], ttlSeconds: number): Promise<void> {
    await this.eachGroup(userId, groups, 'PUT', { ttl: String(ttlSeconds) });
  }

  async removeUserFromGroups(userId: string, groups: string[]): Promise<void> {
    await this.eachGroup(userId, groups, 'DELETE', {});
  }

  private async eachGroup(
    userId: string,
    groups: string[],
    method: 'PUT' | 'DELETE',
    query: Record<string, string>,
  ): Promise<void> {
    const queue = [...groups];
    const worker = async () => {
      for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
        await this.request(
          method,
          `/api/hubs/${this.hub}/users/${encodeURIComponent(userId)}/groups/${encodeURIComponent(group)}`,
          query,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(GROUP_CONCURRENCY, groups.length) }, worker));
  }

  private async request(method: string, path: string, query: Record<string, string>): Promise<Response> {
    const url = `${this.options.endpoint}${path}`;
    const search = new URLSearchParams({ ...query, 'api-version': API_VERSION });
    let response: Response;
    try {
      response = await fetch(`${url}?${search.toString()}`, {
        method,
        headers: { authorization: `Bearer ${await this.token(url)}` },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw unavailable(error);
    }
    if (!response.ok) {
      const detail = await response.text().catch(() => '');
      throw unavailable(new Error(`${method} ${path}: ${response.status} ${detail.slice(0, 200)}`));
    }
    return response;
  }

  /** Access key: an HS256 JWT whose audience is the request URL without query (as Azure requires). */
  private async token(audience: string): Promise<string> {
    if (this.options.accessKey) {
      return new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(this.options.accessKey));
    }
    const token = await this.options.credential!.getToken(ENTRA_SCOPE);
    if (!token) throw unavailable(new Error('no Microsoft Entra token for SignalR'));
    return token.token;
  }
}

function unavailable(cause: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError(
    'live_unavailable',
    'Live updates are unavailable right now; try again.',
    {
      cause,
    },
  );
}
