import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ConnectionIdentity } from './client-connection';
import { InvalidAccessTokenError, verifyAccessToken } from './token';

/** Negotiated connections are redeemed at once by real clients; this only bounds abandoned ones. */
const RESERVATION_TTL_MS = 5 * 60_000;

export interface Reservation {
  connectionId: string;
  connectionToken: string;
}

/** Decides who may connect: verifies access tokens and hands out single-use connection tokens at negotiate. */
export class ClientGate {
  private readonly reservations = new Map<string, ConnectionIdentity & { expiresAt: number }>();

  constructor(
    private readonly accessKey: string,
    private readonly clientUrl: (hub: string) => string,
  ) {}

  /** Returns the userId (`nameid`) of a valid token for the hub; throws InvalidAccessTokenError otherwise. */
  authorize(hub: string, token: string | undefined): { userId?: string } {
    if (!token) {
      throw new InvalidAccessTokenError(
        'Missing access token (Authorization: Bearer <token> or access_token=<token>).',
      );
    }
    const { nameid } = verifyAccessToken(token, this.accessKey, this.clientUrl(hub));
    return typeof nameid === 'string' && nameid !== '' ? { userId: nameid } : {};
  }

  /** Negotiate version 0 clients connect with the connectionId itself, so it doubles as the token. */
  reserve(hub: string, userId: string | undefined, negotiateVersion: number): Reservation {
    const now = Date.now();
    for (const [token, reservation] of this.reservations) {
      if (reservation.expiresAt <= now) this.reservations.delete(token);
    }
    const connectionId = randomId();
    const connectionToken = negotiateVersion >= 1 ? randomId() : connectionId;
    this.reservations.set(connectionToken, {
      hub,
      connectionId,
      userId,
      expiresAt: now + RESERVATION_TTL_MS,
    });
    return { connectionId, connectionToken };
  }

  redeem(connectionToken: string, hub: string): ConnectionIdentity | undefined {
    const reservation = this.reservations.get(connectionToken);
    if (!reservation || reservation.hub !== hub || reservation.expiresAt <= Date.now()) return undefined;
    this.reservations.delete(connectionToken);
    const { connectionId, userId } = reservation;
    return userId === undefined ? { hub, connectionId } : { hub, connectionId, userId };
  }

  clear(): void {
    this.reservations.clear();
  }
}

/** Node clients send the token as a Bearer header; browsers cannot on WebSockets and use `access_token`. */
export function requestToken(request: IncomingMessage, url: URL): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? url.searchParams.get('access_token') ?? undefined;
}

export function requestedHub(url: URL): string | undefined {
  return url.searchParams.get('hub')?.toLowerCase() || undefined;
}

export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
