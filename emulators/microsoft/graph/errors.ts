import type { ServiceKind } from '../reference/catalogue';

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

/** `2024-05-14T09:21:33` — the innerError date format of Graph. */
const graphDate = () => new Date().toISOString().slice(0, 19);

/** A Graph-shaped error: `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`. */
export function graphError(
  status: number,
  code: string,
  message: string,
  ids: RequestIds,
  headers: Record<string, string> = {},
): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: graphDate(),
          'request-id': ids.requestId,
          'client-request-id': ids.clientRequestId,
        },
      },
    },
  };
}

/**
 * Intune answers with its message wrapped in a JSON envelope (`_version`, `Message` with operation and
 * activity ids, `CustomApiErrorPhrase`, `RetryAfter`, `ErrorSourceService`, `HttpHeaders`).
 */
export function intuneMessage(
  text: string,
  ids: RequestIds,
  url: string,
  retryAfter: number | null = null,
): string {
  return JSON.stringify(
    {
      _version: 3,
      Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${ids.requestId} - Url: ${url}`,
      CustomApiErrorPhrase: '',
      RetryAfter: retryAfter,
      ErrorSourceService: '',
      HttpHeaders: '{}',
    },
    null,
    2,
  ).replace(/\n/g, '\r\n');
}

/** Errors whose code and message differ between Intune, the directory and the policy services. */
export const serviceErrors = {
  notFound(service: ServiceKind, id: string, ids: RequestIds, url: string): SimResponse {
    if (service === 'directory') {
      return graphError(
        404,
        'Request_ResourceNotFound',
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        ids,
      );
    }
    if (service === 'intune')
      return graphError(404, 'ResourceNotFound', intuneMessage('Resource not found.', ids, url), ids);
    return graphError(404, 'ResourceNotFound', `The resource '${id}' was not found.`, ids);
  },
  forbidden(service: ServiceKind, required: string[], ids: RequestIds, url: string): SimResponse {
    if (service === 'directory') {
      return graphError(
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
        ids,
      );
    }
    if (service === 'intune') {
      return graphError(
        403,
        'Forbidden',
        intuneMessage(
          `Application is not authorized to perform this operation. Application must have one of the following scopes: ${required.join(', ')}`,
          ids,
          url,
        ),
        ids,
      );
    }
    return graphError(
      403,
      'AccessDenied',
      'You cannot perform the requested operation, required scopes are missing in the token.',
      ids,
    );
  },
  throttled(service: ServiceKind, retryAfter: number, ids: RequestIds, url: string): SimResponse {
    const headers = { 'Retry-After': String(retryAfter) };
    if (service === 'intune') {
      return graphError(
        429,
        'TooManyRequests',
        intuneMessage('App request limit reached', ids, url, retryAfter),
        ids,
        headers,
      );
    }
    return graphError(429, 'TooManyRequests', 'Too many requests.', ids, headers);
  },
  badRequest(
    service: ServiceKind,
    message: string,
    ids: RequestIds,
    url: string,
    code = 'BadRequest',
  ): SimResponse {
    if (service === 'intune' && code === 'BadRequest')
      return graphError(400, code, intuneMessage(message, ids, url), ids);
    return graphError(400, code, message, ids);
  },
};
