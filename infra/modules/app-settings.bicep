// The Function App's app settings, all of them: the host's connections in their identity-based forms, the
// platform's, and every setting of shared/config.ts. No secrets: every connection authenticates with the
// app's managed identity. tests/infra checks this object against the code and docs/deploy.md.

param functionAppName string
param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param durableTaskHubName string
param applicationInsightsConnectionString string
param cosmosEndpoint string
param cosmosDatabaseName string
param signalRServiceUri string
param signalRHubName string
param serviceBusFullyQualifiedNamespace string
param keyVaultUri string
param continuationTokenKeySecretUri string
param logLevel string
param apiAudiences string
param apiIssuers string
param apiJwksUri string
param graphBaseUrl string
param graphAuthorityHost string
param graphMaxConcurrencyPerTenant int

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Functions host storage and the Durable Functions task hub (Azure Storage provider).
    AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
    AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
    AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
    AzureWebJobsStorage__credential: 'managedidentity'
    DURABLE_TASK_HUB: durableTaskHubName
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'

    // Connections of triggers and bindings (HOST_CONNECTION_SETTINGS in shared/config.ts).
    CosmosDBConnection__accountEndpoint: cosmosEndpoint
    CosmosDBConnection__credential: 'managedidentity'
    AzureSignalRConnectionString__serviceUri: signalRServiceUri
    AzureSignalRConnectionString__credential: 'managedidentity'
    ServiceBusConnection__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
    ServiceBusConnection__credential: 'managedidentity'

    // The app's own settings (the zod schema of shared/config.ts).
    COSMOS_ENDPOINT: cosmosEndpoint
    COSMOS_DATABASE: cosmosDatabaseName
    SIGNALR_HUB: signalRHubName
    LOG_LEVEL: logLevel
    AUTH_AUDIENCES: apiAudiences
    AUTH_ISSUERS: apiIssuers
    AUTH_JWKS_URI: apiJwksUri
    SECRET_STORE: 'keyvault'
    KEY_VAULT_URI: keyVaultUri
    // A Key Vault reference, resolved by the platform with the app's identity: the key is not in the template.
    CONTINUATION_TOKEN_KEY: '@Microsoft.KeyVault(SecretUri=${continuationTokenKeySecretUri})'
    GRAPH_BASE_URL: graphBaseUrl
    GRAPH_AUTHORITY_HOST: graphAuthorityHost
    GRAPH_MAX_CONCURRENCY_PER_TENANT: string(graphMaxConcurrencyPerTenant)
  }
}
