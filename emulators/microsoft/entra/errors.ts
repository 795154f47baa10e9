import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../graph/errors';

/**
 * An OAuth error the way Entra ID answers it: `error`, `error_description` (AADSTS code, text, trace and
 * correlation ids, timestamp), `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`.
 */
export function aadstsError(
  status: number,
  error: string,
  code: number,
  text: string,
  correlationId?: string,
): SimResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': traceId },
    body: {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export const aadsts = {
  tenantNotFound: (tenant: string, c?: string) =>
    aadstsError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
      c,
    ),
  unknownClient: (clientId: string, tenantName: string, c?: string) =>
    aadstsError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      c,
    ),
  wrongSecret: (clientId: string, c?: string) =>
    aadstsError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      c,
    ),
  expiredSecret: (clientId: string, c?: string) =>
    aadstsError(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
      c,
    ),
  missingCredential: (c?: string) =>
    aadstsError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      c,
    ),
  assertionSignature: (c?: string) =>
    aadstsError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.', c),
  assertionCertificateUnknown: (c?: string) =>
    aadstsError(
      401,
      'invalid_client',
      700027,
      'The certificate with identifier used to sign the client assertion is not registered on application.',
      c,
    ),
  assertionExpired: (c?: string) =>
    aadstsError(400, 'invalid_client', 700024, 'Client assertion is not within its valid time range.', c),
  assertionAudience: (c?: string) =>
    aadstsError(
      400,
      'invalid_client',
      700212,
      'No matching federated identity record found for presented assertion audience.',
      c,
    ),
  assertionIssuer: (c?: string) =>
    aadstsError(
      400,
      'invalid_client',
      700021,
      "Client assertion application identifier doesn't match 'client_id' parameter.",
      c,
    ),
  missingParameter: (name: string, c?: string) =>
    aadstsError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
      c,
    ),
  unsupportedGrant: (grant: string, c?: string) =>
    aadstsError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
      c,
    ),
  invalidScope: (scope: string, c?: string) =>
    aadstsError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      c,
    ),
  unknownResource: (resource: string, tenantName: string, c?: string) =>
    aadstsError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      c,
    ),
};
