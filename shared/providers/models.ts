import { z } from 'zod';

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
  credential: z.object({ secretName: z.string(), updatedAt: z.string(), updatedBy: z.string() }),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type ProviderConnection = z.infer<typeof providerConnectionSchema>;

const certificatePem = z
  .string()
  .refine((v) => v.includes('-----BEGIN CERTIFICATE-----'), 'must be a PEM certificate');
const privateKeyPem = z
  .string()
  .refine((v) => /-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(v), 'must be a PEM private key');

/** Write-only credential input: accepted on create and rotation, never returned. */
export const credentialInputSchema = z.discriminatedUnion('authType', [
  z.object({ authType: z.literal('client_secret'), clientSecret: z.string().min(1).max(1024) }),
  z.object({ authType: z.literal('certificate'), certificatePem, privateKeyPem }),
]);
export type CredentialInput = z.infer<typeof credentialInputSchema>;

/** What the API shows of a connection: no secret reference, whether it is the default. */
export function connectionView(connection: ProviderConnection, defaultConnectionId: string | null) {
  const { credential, kind: _kind, ...rest } = connection;
  return {
    ...rest,
    isDefault: connection.id === defaultConnectionId,
    credential: { configured: true, updatedAt: credential.updatedAt, updatedBy: credential.updatedBy },
  };
}
export type ProviderConnectionView = ReturnType<typeof connectionView>;
