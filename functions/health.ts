import * as df from 'durable-functions';
import { z } from 'zod';
import { HOST_CONNECTION_SETTINGS } from '../shared/config';
import { checkHealth, settingProbe } from '../shared/health';
import { getServices } from '../shared/app/services';
import { appVersion } from '../shared/version';
import { defineRoute } from './http/route';

const dependency = z.object({
  status: z.enum(['ok', 'unavailable']),
  latencyMs: z.number(),
  detail: z.string().optional(),
});
const healthReport = z.object({
  status: z.enum(['healthy', 'degraded']),
  checks: z.record(z.string(), dependency),
  version: z.string(),
});

defineRoute(
  {
    name: 'health',
    method: 'GET',
    path: '/health',
    summary: 'Liveness and the status of each dependency',
    tag: 'Meta',
    access: { kind: 'public' },
    responses: {
      200: { description: 'Every dependency answers', schema: healthReport },
      503: { description: 'At least one dependency does not answer', schema: healthReport },
    },
  },
  async ({ invocation }) => {
    const durable = df.getClient(invocation);
    const report = await checkHealth(
      {
        cosmos: async () => void (await getServices().cosmos.database.read()),
        durable: async () =>
          void (await durable.getStatusBy({ createdTimeFrom: new Date(), runtimeStatus: [] })),
        signalr: settingProbe(HOST_CONNECTION_SETTINGS.signalR, ['', '__serviceUri']),
        serviceBus: settingProbe(HOST_CONNECTION_SETTINGS.serviceBus, ['', '__fullyQualifiedNamespace'], {
          optional: true,
        }),
      },
      appVersion(),
    );
    return { status: report.status === 'healthy' ? 200 : 503, body: report };
  },
  { extraInputs: [df.input.durableClient()] },
);
