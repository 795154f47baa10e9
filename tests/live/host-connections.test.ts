import { describe, expect, it } from 'vitest';
import { parseHostConnections } from '../../shared/config';
import { ConfigError } from '../../shared/errors';

describe('host connections the app reads itself (SignalR REST, Service Bus sender)', () => {
  it('takes the local connection strings, keeping every "=" of a base64 access key', () => {
    expect(
      parseHostConnections({
        AzureSignalRConnectionString: 'Endpoint=http://localhost;Port=8888;AccessKey=abc/def==;Version=1.0;',
        ServiceBusConnection:
          'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s=',
      }),
    ).toEqual({
      signalR: { endpoint: 'http://localhost:8888', accessKey: 'abc/def==' },
      serviceBus: {
        connectionString: 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=s=',
      },
    });
  });

  it('takes the identity-based forms Azure uses, and nothing when neither is set', () => {
    expect(
      parseHostConnections({
        AzureSignalRConnectionString__serviceUri: 'https://atlas.service.signalr.net/',
        ServiceBusConnection__fullyQualifiedNamespace: 'atlas.servicebus.windows.net',
      }),
    ).toEqual({
      signalR: { endpoint: 'https://atlas.service.signalr.net' },
      serviceBus: { fullyQualifiedNamespace: 'atlas.servicebus.windows.net' },
    });
    expect(parseHostConnections({})).toEqual({});
  });

  it('uses the identity when a connection string has no AccessKey, and refuses one without an endpoint', () => {
    expect(
      parseHostConnections({
        AzureSignalRConnectionString:
          'Endpoint=https://atlas.service.signalr.net;AuthType=azure.msi;Version=1.0;',
      }).signalR,
    ).toEqual({ endpoint: 'https://atlas.service.signalr.net' });
    expect(() => parseHostConnections({ AzureSignalRConnectionString: 'AccessKey=x;' })).toThrow(ConfigError);
    expect(() => parseHostConnections({ AzureSignalRConnectionString__serviceUri: 'not a url' })).toThrow(
      ConfigError,
    );
  });
});
