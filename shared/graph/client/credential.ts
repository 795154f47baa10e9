import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { PUBLIC_AUTHORITY_HOST, type GraphSettings } from '../settings';

/** The credential of a provider connection, fetched from the secret store by the caller. Never logged. */
export type ConnectionCredential =
  { kind: 'secret'; secret: string } | { kind: 'certificate'; certificatePem: string; privateKeyPem: string };

/**
 * An @azure/identity credential for the connection's app registration. Instance discovery only exists
 * in the public cloud: any other authority (sovereign clouds, the local cloud) turns it off.
 */
export function createTokenCredential(
  entraTenantId: string,
  clientId: string,
  credential: ConnectionCredential,
  settings: Pick<GraphSettings, 'GRAPH_AUTHORITY_HOST'>,
): TokenCredential {
  const options = {
    authorityHost: settings.GRAPH_AUTHORITY_HOST,
    disableInstanceDiscovery: settings.GRAPH_AUTHORITY_HOST !== PUBLIC_AUTHORITY_HOST,
  };
  if (credential.kind === 'secret') {
    return new ClientSecretCredential(entraTenantId, clientId, credential.secret, options);
  }
  // @azure/identity reads the private key and the certificate from one PEM string.
  const pem = `${credential.privateKeyPem.trim()}\n${credential.certificatePem.trim()}\n`;
  return new ClientCertificateCredential(entraTenantId, clientId, { certificate: pem }, options);
}

/** The `.default` scope of the configured Graph: its root URL is its resource identifier. */
export function graphScope(settings: Pick<GraphSettings, 'GRAPH_BASE_URL'>): string {
  return `${settings.GRAPH_BASE_URL}/.default`;
}
