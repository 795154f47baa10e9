// Service Bus namespace and the `operation-events` topic the app publishes run lifecycle events to
// (serviceBus output binding). Topics need the Standard tier. SAS keys are disabled: the app sends with
// its managed identity (Azure Service Bus Data Sender on the topic, see access.bicep).

param location string
param tags object
param name string
param topicName string

resource serviceBus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: serviceBus
  name: topicName
  properties: {
    defaultMessageTimeToLive: 'P14D'
    // The app sets message id = run id + state, so a resent event is dropped here instead of downstream.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    enableBatchedOperations: true
  }
}

output namespaceName string = serviceBus.name
output topicName string = topic.name
// The host name the identity-based connection needs (`<name>.servicebus.windows.net` in the public cloud).
output fullyQualifiedNamespace string = split(replace(serviceBus.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
