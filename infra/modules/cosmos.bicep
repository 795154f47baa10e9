// Cosmos DB for NoSQL: the account, the app's database and every container of
// shared/store/containers.ts, read from the JSON that `npm run infra:generate` writes from it (a test fails
// when that file is stale), so partition keys, unique keys, TTLs and indexing cannot drift from the code.

param location string
param tags object
param accountName string
param databaseName string

@description('Serverless (pay per request, no idle cost) or provisioned autoscale throughput shared by the database.')
param serverless bool

@description('Autoscale ceiling in RU/s of the shared database throughput (provisioned mode only; 10% of it is the floor that is billed when idle).')
@minValue(1000)
param autoscaleMaxThroughput int

var containers = loadJsonContent('../generated/containers.json').containers

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
    // Entra ID only: no account keys for data, and no key-based changes to databases or containers
    // (those are made here, through Azure Resource Manager).
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
    // Point-in-time restore for the last 7 days, at no extra cost.
    backupPolicy: { type: 'Continuous', continuousModeProperties: { tier: 'Continuous7Days' } }
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: { id: databaseName }
    // Serverless accounts reject any throughput setting.
    options: serverless ? {} : { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for container in containers: {
    parent: database
    name: container.id
    properties: {
      resource: container.resource
    }
  }
]

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
