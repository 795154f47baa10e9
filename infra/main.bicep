// TenantAtlas Operations on Azure: `azd up` provisions this and deploys the package `npm run build` makes.
// Every parameter is described in docs/deploy.md; azd fills them from infra/main.parameters.json.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer the Flex Consumption plan.')
@metadata({ azd: { type: 'location' } })
param location string

@description('Resource group to create; default rg-<environmentName>.')
param resourceGroupName string = ''

@minLength(1)
@description('Accepted audiences of API tokens, comma-separated: the API app registration\'s client id and/or its Application ID URI.')
param apiAudiences string

@description('Accepted token issuers, comma-separated; {tenantid} stands for the token\'s own tenant (multi-tenant API). Default: v2.0 tokens of this tenant.')
param apiIssuers string = ''

@description('Signing keys (JWKS) of the token issuer. Default: this tenant\'s keys.')
param apiJwksUri string = ''

@description('Browser origins allowed to call the API and connect to SignalR (the admin portal), comma-separated.')
param allowedOrigins string = ''

@description('Cosmos DB capacity: serverless (no idle cost) or provisioned autoscale throughput.')
param cosmosServerless bool = true

@minValue(1000)
@description('Provisioned mode only: autoscale maximum RU/s shared by the database.')
param cosmosAutoscaleMaxThroughput int = 1000

@minLength(1)
@description('Cosmos DB database of every container (COSMOS_DATABASE).')
param cosmosDatabaseName string = 'tenantatlas'

@allowed(['Free_F1', 'Standard_S1'])
@description('SignalR Service tier.')
param signalRSku string = 'Free_F1'

@description('SignalR hub name (SIGNALR_HUB): lower-case letters, digits and underscores.')
param signalRHubName string = 'operations'

@allowed(['20', '22'])
@description('Node.js version of the Functions runtime.')
param nodeVersion string = '22'

@minValue(40)
@maxValue(1000)
@description('Maximum Flex Consumption instances.')
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
@description('Memory per instance in MB.')
param instanceMemoryMB int = 2048

@description('Microsoft Graph root (GRAPH_BASE_URL); change it only for a national cloud.')
param graphBaseUrl string = 'https://graph.microsoft.com'

@minValue(1)
@maxValue(64)
@description('Graph requests in flight at once per customer tenant in each instance (GRAPH_MAX_CONCURRENCY_PER_TENANT).')
param graphMaxConcurrencyPerTenant int = 8

@allowed(['debug', 'info', 'warn', 'error'])
@description('Minimum level of the app\'s own logs (LOG_LEVEL).')
param logLevel string = 'info'

@maxLength(45)
@description('Durable Functions task hub (DURABLE_TASK_HUB); default one per environment. Letters and digits, starting with a letter.')
param durableTaskHubName string = ''

@description('Key Vault purge protection (recommended in production; it cannot be turned off again).')
param keyVaultPurgeProtection bool = false

@secure()
@description('HMAC key of list continuation tokens, kept in Key Vault. A fresh random value per provision by default: tokens issued before a provision then answer 400 `invalid_continuation_token` and clients start the list again.')
param continuationTokenKey string = newGuid()

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var taskHub = empty(durableTaskHubName) ? 'TenantAtlas${resourceToken}' : durableTaskHubName
var loginEndpoint = environment().authentication.loginEndpoint
// The Entra authority of this cloud, without the trailing slash the Graph settings do not want.
var authorityHost = endsWith(loginEndpoint, '/') ? substring(loginEndpoint, 0, length(loginEndpoint) - 1) : loginEndpoint
var issuers = empty(apiIssuers) ? '${loginEndpoint}${tenant().tenantId}/v2.0' : apiIssuers
var jwksUri = empty(apiJwksUri) ? '${loginEndpoint}${tenant().tenantId}/discovery/v2.0/keys' : apiJwksUri
var origins = empty(allowedOrigins) ? [] : map(split(allowedOrigins, ','), origin => trim(origin))

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'st${resourceToken}'
    deploymentContainerName: 'app-package-${resourceToken}'
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  scope: rg
  params: {
    location: location
    tags: tags
    accountName: 'cosmos-${resourceToken}'
    databaseName: cosmosDatabaseName
    serverless: cosmosServerless
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'sigr-${resourceToken}'
    sku: signalRSku
    allowedOrigins: origins
  }
}

module serviceBus 'modules/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'sb-${resourceToken}'
    topicName: 'operation-events'
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'kv-${resourceToken}'
    purgeProtection: keyVaultPurgeProtection
    continuationTokenKey: continuationTokenKey
  }
}

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    location: location
    tags: tags
    name: 'func-api-${resourceToken}'
    planName: 'plan-${resourceToken}'
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    nodeVersion: nodeVersion
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    allowedOrigins: origins
  }
}

module access 'modules/access.bicep' = {
  name: 'access'
  scope: rg
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    cosmosAccountName: cosmos.outputs.accountName
    signalRName: signalR.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    serviceBusTopicName: serviceBus.outputs.topicName
    keyVaultName: keyVault.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
  }
}

// Applied after the roles exist, so the host's first start with these settings can already connect.
module appSettings 'modules/app-settings.bicep' = {
  name: 'app-settings'
  scope: rg
  dependsOn: [access]
  params: {
    functionAppName: functionApp.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    durableTaskHubName: taskHub
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    signalRServiceUri: signalR.outputs.serviceUri
    signalRHubName: signalRHubName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    keyVaultUri: keyVault.outputs.uri
    continuationTokenKeySecretUri: keyVault.outputs.continuationTokenKeySecretUri
    logLevel: logLevel
    apiAudiences: apiAudiences
    apiIssuers: issuers
    apiJwksUri: jwksUri
    graphBaseUrl: graphBaseUrl
    graphAuthorityHost: authorityHost
    graphMaxConcurrencyPerTenant: graphMaxConcurrencyPerTenant
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output DURABLE_TASK_HUB string = taskHub
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri
output AZURE_SIGNALR_SERVICE_URI string = signalR.outputs.serviceUri
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
