// Key Vault for provider credentials (client secrets and certificates of customer-tenant connections).
// RBAC mode, no access policies: only the Function App's identity may write secrets (Key Vault Secrets
// Officer, see access.bicep).

param location string
param tags object
param name string

@description('Purge protection: deleted secrets cannot be purged before the retention ends (recommended in production; it also keeps the vault name taken for that long after `azd down`).')
param purgeProtection bool

@secure()
@description('HMAC key of list continuation tokens (read by the app through a Key Vault reference).')
param continuationTokenKey string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // Once on it can never be turned off, and the API rejects `false`: leave it out instead.
    enablePurgeProtection: purgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
  }
}

resource continuationTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'continuation-token-key'
  properties: { value: continuationTokenKey }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
output continuationTokenKeySecretUri string = continuationTokenSecret.properties.secretUri
