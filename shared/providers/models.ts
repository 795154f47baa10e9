import { z } from 'zod';
import {
  expiresSoon,
  MAX_CERTIFICATE_PEM_CHARS,
  MAX_PRIVATE_KEY_PEM_CHARS,
  parseCertificateCredential,
} from './certificate';

export const connectionStatusSchema = z.enum(['connected', 'needs_consent', 'error', 'disabled']);

export const providerConnectionSchema = z.object({
  id: z.string(),
  kind: z.literal('providerConnection'),
  workspaceId: z.string(),
  tenantId: z.string(),
  provider: z.literal('microsoft'),
  displayName: z.string(),
  /** Canonical identity of the customer's Entra tenant. */
  entraTenantId: z.string(),
  clientId: z.string(),
  authType: z.enum(['client_secret', 'certificate']),
  status: connectionStatusSchema,
  lastHealthCheck: z
    .object({
      status: z.enum(['succeeded', 'failed']),
      checkedAt: z.string(),
      reasonCode: z.string().nullable(),
    })
    .nullable(),
  /** A reference into the secret store; the value itself never enters Cosmos. */
  credential: z.object({
    secretName: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    /** Certificate credentials: what the parser read (thumbprint and validity), never the key. */
    certificate: z
      .object({ thumbprint: z.string(), notBefore: z.string(), expiresAt: z.string() })
      .optional(),
  }),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type ProviderConnection = z.infer<typeof providerConnectionSchema>;

/**
 * A certificate credential, checked by a real parser (shared/providers/certificate.ts): size-capped
 * before parsing, a matching private key, not expired.
 */
const certificateCredential = z
  .object({
    authType: z.literal('certificate'),
    certificatePem: z.string().min(1).max(MAX_CERTIFICATE_PEM_CHARS),
    privateKeyPem: z.string().min(1).max(MAX_PRIVATE_KEY_PEM_CHARS),
  })
  .superRefine((value, context) => {
    // Expiry is checked by the service with its clock; this is the parse and the key match.
    const parsed = parseCertificateCredential(value.certificatePem, value.privateKeyPem, null);
    if (!parsed.ok) context.addIssue({ code: 'custom', path: [parsed.field], message: parsed.message });
  });

/** Write-only credential input: accepted on create and rotation, never returned. */
export const credentialInputSchema = z.discriminatedUnion('authType', [
  z.object({ authType: z.literal('client_secret'), clientSecret: z.string().min(1).max(1024) }),
  certificateCredential,
]);
export type CredentialInput = z.infer<typeof credentialInputSchema>;

/** What the API shows of a connection: no secret reference, whether it is the default. */
export function connectionView(
  connection: ProviderConnection,
  defaultConnectionId: string | null,
  now: Date,
) {
  const { credential, kind: _kind, ...rest } = connection;
  return {
    ...rest,
    isDefault: connection.id === defaultConnectionId,
    credential: {
      configured: true,
      updatedAt: credential.updatedAt,
      updatedBy: credential.updatedBy,
      ...(credential.certificate && { certificate: credential.certificate }),
    },
    healthWarnings: healthWarningsOf(connection, now),
  };
}
/** Warnings about a connection that has not failed yet: computed when read, so they are always current. */
function healthWarningsOf(connection: ProviderConnection, now: Date) {
  const certificate = connection.credential.certificate;
  if (!certificate || !expiresSoon(certificate.expiresAt, now)) return [];
  return [
    {
      code: 'certificate_expiring' as const,
      message: `The certificate expires on ${certificate.expiresAt}; rotate the credential before then.`,
      expiresAt: certificate.expiresAt,
    },
  ];
}

export type ProviderConnectionView = ReturnType<typeof connectionView>;
