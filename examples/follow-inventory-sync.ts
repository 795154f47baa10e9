// Starts an inventory sync of a tenant and follows it live, typed by the API's own OpenAPI document.
//   npx openapi-typescript http://localhost:7071/api/openapi.json -o examples/api-types.ts
//   API=http://localhost:7071/api TOKEN=$(npm run -s token -- olga) WORKSPACE=… TENANT=… \
//     npx tsx examples/follow-inventory-sync.ts
import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import type { components, operations } from './api-types';

type StartBody = NonNullable<operations['startOperation']['requestBody']>['content']['application/json'];
type Started = operations['startOperation']['responses'][202]['content']['application/json'];
type Run = operations['getOperation']['responses'][200]['content']['application/json'];
type Problem = components['schemas']['Problem'];
/** A live update (`runUpdated`) carries the run's state as of that moment. */
type RunUpdate = Pick<Run, 'status' | 'outcome' | 'progress' | 'label' | 'summary'> & {
  event: 'queued' | 'running' | 'progress' | 'completed';
  runId: string;
};

export async function followInventorySync(api: string, token: string, workspaceId: string, tenantId: string) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // Connect first, so no update of the run is missed; updates of other runs are ignored.
  const live = new HubConnectionBuilder()
    .withUrl(api, { accessTokenFactory: () => token })
    .configureLogging(LogLevel.Warning)
    .build();
  const updates: RunUpdate[] = [];
  let runId: string | undefined;
  let ended!: () => void;
  const completed = new Promise<void>((resolve) => (ended = resolve));
  const show = (update: RunUpdate) => {
    console.log(update.summary);
    if (update.event === 'completed') ended();
  };
  live.on('runUpdated', (update: RunUpdate) => {
    if (runId === undefined) updates.push(update);
    else if (update.runId === runId) show(update);
  });
  await live.start();
  try {
    const body: StartBody = { type: 'inventory.sync' };
    const response = await fetch(`${api}/workspaces/${workspaceId}/tenants/${tenantId}/operations`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const problem = (await response.json()) as Problem;
      throw new Error(`${problem.code}: ${problem.detail}`);
    }
    const { run } = (await response.json()) as Started;
    runId = run.id;
    updates.filter((update) => update.runId === runId).forEach(show);
    await completed;
    const final = await fetch(`${api}/operations/${run.id}`, { headers });
    return (await final.json()) as Run;
  } finally {
    await live.stop();
  }
}

if (require.main === module) {
  const { API = 'http://localhost:7071/api', TOKEN = '', WORKSPACE = '', TENANT = '' } = process.env;
  followInventorySync(API, TOKEN, WORKSPACE, TENANT).then(
    (run) => console.log(`${run.outcome}: ${run.counts.total} objects`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
