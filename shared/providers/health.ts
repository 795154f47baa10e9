import { updateWithEtag } from '../store/documents';
import { container } from '../store/cosmos';
import type { ProviderConnection } from './models';

/** The connection remembers its last health check: `{status, checkedAt, reasonCode}`, and its status follows it. */
export async function recordHealthCheck(
  run: { workspaceId: string },
  connection: ProviderConnection,
  check: { status: 'succeeded' | 'failed'; reasonCode: string | null },
): Promise<void> {
  await updateWithEtag<ProviderConnection>(
    container('tenants'),
    connection.id,
    run.workspaceId,
    (current) => ({
      ...current,
      lastHealthCheck: { ...check, checkedAt: new Date().toISOString() },
      status:
        current.status === 'disabled'
          ? 'disabled'
          : check.status === 'succeeded'
            ? 'connected'
            : check.reasonCode === 'provider_permission_denied'
              ? 'needs_consent'
              : 'error',
    }),
    'The provider connection',
  );
}
