// Azure SignalR Service in serverless mode: the Functions app hands out user-bound client tokens
// (REST :generateToken), manages tenant groups over REST and pushes through the signalR output binding;
// clients never talk to the app over WebSockets. Access keys are disabled, so the app authenticates with
// its managed identity (SignalR Service Owner, see access.bicep).

param location string
param tags object
param name string

@description('Free_F1 (20 connections, 20k messages a day, no SLA) or Standard_S1 (1,000 connections per unit).')
@allowed(['Free_F1', 'Standard_S1'])
param sku string

@description('Browser origins allowed to connect to the hub; empty allows any origin.')
param allowedOrigins array

resource signalR 'Microsoft.SignalRService/signalR@2023-02-01' = {
  name: name
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: sku
    tier: sku == 'Free_F1' ? 'Free' : 'Standard'
    capacity: 1
  }
  properties: {
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'True' }
    ]
    cors: { allowedOrigins: empty(allowedOrigins) ? ['*'] : allowedOrigins }
    disableLocalAuth: true
    disableAadAuth: false
    publicNetworkAccess: 'Enabled'
    tls: { clientCertEnabled: false }
  }
}

output name string = signalR.name
output serviceUri string = 'https://${signalR.properties.hostName}'
