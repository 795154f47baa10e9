import { describe, expect, it } from 'vitest';
import { HUB_METHODS } from '../../shared/live/names';
import { api, demoUser, freshWorkspace } from '../support/api';
import { liveClient, start } from './support';

const { tenantRunUpdated } = HUB_METHODS;

describe('a removed member loses live access at once (issue 20, item 9)', () => {
  it('takes her open connection and her later ones out of the tenant groups; a retried removal still revokes', async () => {
    const scope = await freshWorkspace('Live removal');
    const subscribe = (as: 'rita' | 'mike') =>
      api('POST', `/workspaces/${scope.workspaceId}/live/subscribe`, { as, body: {} });
    const rita = await liveClient('rita');
    const mike = await liveClient('mike'); // stays a member: what rita would have seen
    expect((await subscribe('rita')).status).toBe(200);
    expect((await subscribe('mike')).status).toBe(200);

    const before = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 10 });
    await rita.until(before.id, tenantRunUpdated, 'completed'); // the subscription works

    const ritaId = demoUser('rita').oid;
    expect(
      (await api('DELETE', `/workspaces/${scope.workspaceId}/members/${ritaId}`, { as: 'alice' })).status,
    ).toBe(204);
    // An answer lost after the removal: the retry finds no member (404) and still revokes.
    expect(
      (await api('DELETE', `/workspaces/${scope.workspaceId}/members/${ritaId}`, { as: 'alice' })).status,
    ).toBe(404);

    const later = await liveClient('rita'); // a connection opened after the removal
    expect((await subscribe('rita')).status).toBe(404); // and she cannot subscribe again

    const after = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 10 });
    await mike.until(after.id, tenantRunUpdated, 'completed');
    // Pushes of one batch leave together: by now anything addressed to rita would have arrived.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rita.of(after.id, tenantRunUpdated)).toEqual([]);
    expect(later.of(after.id, tenantRunUpdated)).toEqual([]);
  });
});
