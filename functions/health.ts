import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { HOST_CONNECTION_SETTINGS } from '../shared/config';
import { appVersion } from '../shared/version';
import { checkHealth, settingProbe } from '../shared/health';
import { database } from '../shared/store/cosmos';

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: async (_request, context) => {
    const durable = df.getClient(context);
    const report = await checkHealth(
      {
        cosmos: async () => void (await database().read()),
        durable: async () =>
          void (await durable.getStatusBy({ createdTimeFrom: new Date(), runtimeStatus: [] })),
        signalr: settingProbe(HOST_CONNECTION_SETTINGS.signalR, ['', '__serviceUri']),
        serviceBus: settingProbe(HOST_CONNECTION_SETTINGS.serviceBus, ['', '__fullyQualifiedNamespace'], {
          optional: true,
        }),
      },
      appVersion(),
    );
    return { status: report.status === 'healthy' ? 200 : 503, jsonBody: report };
  },
});
