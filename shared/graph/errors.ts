import { AtlasError } from '../errors';

/** The stable reason codes of Graph failures (DOMAIN.md); run failures and problem responses carry them. */
export type GraphReasonCode =
  | 'provider_auth_failed'
  | 'provider_permission_denied'
  | 'graph_throttled'
  | 'graph_unavailable'
  | 'graph_error';

export interface GraphRequestErrorInit {
  reasonCode: GraphReasonCode;
  /** Already sanitized: no token, secret or response body. */
  message: string;
  status?: number;
  graphCode?: string;
  requestId?: string;
  cause?: unknown;
}

/**
 * A failed Graph (or token) request, after the pipeline's retries. `retryable` says whether running the
 * operation again later may succeed (throttling, outages), not whether this request will be retried.
 */
export class GraphRequestError extends AtlasError {
  override readonly reasonCode: GraphReasonCode;
  readonly code: GraphReasonCode;
  /** Graph's HTTP status (none when no response came back). */
  readonly status?: number;
  override readonly retryable: boolean;
  readonly graphCode?: string;
  readonly requestId?: string;

  constructor(init: GraphRequestErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.reasonCode = init.reasonCode;
    this.code = init.reasonCode;
    this.status = init.status;
    this.graphCode = init.graphCode;
    this.requestId = init.requestId;
    this.retryable = init.reasonCode === 'graph_throttled' || init.reasonCode === 'graph_unavailable';
  }
}

export function isGraphNotFound(error: unknown): boolean {
  return error instanceof GraphRequestError && error.status === 404;
}

const MAX_MESSAGE_LENGTH = 200;
const TOKEN_LIKE = /\beyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*|\b[A-Za-z0-9~._-]{32,}\b/g;

/**
 * A Graph error message cut down to something a run failure may show: Intune's JSON envelope unwrapped to
 * its first sentence, anything token-like masked, the length capped.
 */
export function shortGraphMessage(message: unknown): string {
  if (typeof message !== 'string') return '';
  let text = message.trim();
  if (text.startsWith('{')) {
    try {
      const envelope = JSON.parse(text) as { Message?: unknown };
      text = typeof envelope.Message === 'string' ? envelope.Message : '';
    } catch {
      text = '';
    }
  }
  text = text.split(' - Operation ID')[0]!.replace(TOKEN_LIKE, '…').replace(/\s+/g, ' ').trim();
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

export function reasonForStatus(status: number): GraphReasonCode {
  if (status === 401) return 'provider_auth_failed';
  if (status === 403) return 'provider_permission_denied';
  if (status === 429) return 'graph_throttled';
  if (status >= 500 || status === 408) return 'graph_unavailable';
  return 'graph_error';
}

/** The error for a Graph response that stayed unsuccessful after the pipeline's retries. */
export function graphResponseError(response: {
  status: number;
  graphCode?: string;
  graphMessage?: string;
  requestId?: string;
  cause?: unknown;
}): GraphRequestError {
  const detail = shortGraphMessage(response.graphMessage);
  const code = response.graphCode ? ` (${response.graphCode})` : '';
  return new GraphRequestError({
    reasonCode: reasonForStatus(response.status),
    message: `Microsoft Graph answered ${response.status}${code}${detail ? `: ${detail}` : ''}`,
    status: response.status,
    graphCode: response.graphCode,
    requestId: response.requestId,
    cause: response.cause,
  });
}

/** The error for a request that never got an answer (connection refused or reset, timeout). */
export function graphTransportError(cause: unknown): GraphRequestError {
  const code = transportCode(cause);
  return new GraphRequestError({
    reasonCode: 'graph_unavailable',
    message: `Microsoft Graph could not be reached${code ? ` (${code})` : ''}`,
    cause,
  });
}

/** `ECONNRESET`, `UND_ERR_SOCKET`, `AbortError`… from fetch's error or its cause. */
export function transportCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const candidate = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string') return candidate.code;
    if (candidate.name === 'AbortError' || candidate.name === 'TimeoutError') return candidate.name;
    current = candidate.cause;
  }
  return undefined;
}

/** What the AADSTS codes we expect from a misconfigured connection mean, in words an admin can act on. */
const AADSTS_MEANINGS: Readonly<Record<string, string>> = {
  '7000215': 'the client secret is wrong',
  '7000222': 'the client secret has expired',
  '700016': 'the application was not found in the tenant',
  '90002': 'the tenant was not found',
  '900023': 'the tenant id is not valid',
  '700027': 'the certificate assertion was rejected',
  '700024': 'the certificate assertion is outside its validity period',
  '7000112': 'the application is disabled',
  '65001': 'admin consent has not been granted',
  '50126': 'the credentials are invalid',
  '53003': 'a Conditional Access policy blocked the sign-in',
};

interface IdentityFailure {
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  errorResponse?: { error?: unknown; errorDescription?: unknown };
  errors?: unknown;
}

/**
 * Maps a token failure of @azure/identity (AuthenticationError, CredentialUnavailableError, …) to
 * `provider_auth_failed`, or `graph_unavailable` when Entra could not be reached at all. The message
 * keeps the AADSTS code and our own description of it, never Entra's text (it echoes the client id and
 * trace ids) nor anything from the request.
 */
export function identityError(error: unknown): GraphRequestError {
  const failure = (error ?? {}) as IdentityFailure;
  const description = [failure.errorResponse?.errorDescription, failure.message]
    .filter((part): part is string => typeof part === 'string')
    .join(' ');
  const aadsts = /AADSTS(\d+)/.exec(description)?.[1];
  if (!aadsts && isNetworkFailure(failure, description)) {
    return new GraphRequestError({
      reasonCode: 'graph_unavailable',
      message: 'Entra ID could not be reached to obtain a token',
      cause: error,
    });
  }
  const meaning = aadsts ? AADSTS_MEANINGS[aadsts] : undefined;
  const code = aadsts ? `AADSTS${aadsts}` : undefined;
  const reason = code ? `${code}${meaning ? `: ${meaning}` : ''}` : 'no token was issued';
  return new GraphRequestError({
    reasonCode: 'provider_auth_failed',
    message: `Entra ID rejected the connection's credentials (${reason})`,
    status: typeof failure.statusCode === 'number' ? failure.statusCode : undefined,
    graphCode:
      code ?? (typeof failure.errorResponse?.error === 'string' ? failure.errorResponse.error : undefined),
    cause: error,
  });
}

function isNetworkFailure(failure: IdentityFailure, description: string): boolean {
  if (transportCode(failure)?.startsWith('E')) return true;
  return /network_error|ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|fetch failed|socket hang up/i.test(
    description,
  );
}
