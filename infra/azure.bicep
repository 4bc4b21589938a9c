// Partner Desk on Azure, in the shape of the Microsoft 365 Agents Toolkit's default bot template
// (templates/vsc/ts/default-bot/infra/azure.bicep): a user-assigned managed identity is the bot's identity and
// the app's identity for its tables, a Linux App Service runs the bot, and an Azure Bot with the Teams channel
// points at it. Additions over the template, each for a reason Partner Desk has:
//   - at least two instances behind one Azure Bot, with the platform health check on /healthz (it answers 503
//     when storage does not, so a sick instance leaves the load balancer);
//   - the tables: a Storage account (default) or Azure Cosmos DB for Table, reached with the managed identity
//     through a data-plane role, never with a key (keys are turned off on both);
//   - every app setting Partner Desk needs in production (src/config; test/unit/toolkit-project.test.ts loads
//     the config from exactly these settings).
// `m365agents provision` / `atk provision` deploys it with the values of azure.parameters.json, whose
// ${{VARIABLES}} come from env/.env.<environment>; the outputs below are written back there.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@description('App Service plan SKU. Basic (B1) runs up to 3 instances; Premium v3 (P0v3 and up) scales further.')
param webAppSKU string

@minValue(2)
@description('Instances of the bot behind the one Azure Bot. At least two: the platform health check only takes a failing instance out when another one is there, and the outbox shares its tenant shards across instances.')
param instanceCount int = 2

@description('The runtime stack: Node.js 20 LTS on Linux.')
param linuxFxVersion string = 'NODE|20-lts'

@maxLength(42)
param botDisplayName string

@description('Comma-separated customer and partner tenant ids that may use the bot, or * for every tenant (ALLOWED_TENANTS).')
param allowedTenants string

@allowed([
  'storage'
  'cosmos'
])
@description('Where the tables live: an Azure Storage account, or Azure Cosmos DB for Table (the same protocol at larger scale).')
param tablesBackend string = 'storage'

@description('Prefix of every table the bot creates (TABLE_PREFIX).')
param tablePrefix string = 'pd'

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param identityName string = resourceBaseName
// Storage and Cosmos DB account names are global and take lowercase letters and digits only.
param storageAccountName string = 'st${uniqueString(resourceGroup().id, resourceBaseName)}'
param cosmosAccountName string = 'cosmos-${uniqueString(resourceGroup().id, resourceBaseName)}'
param location string = resourceGroup().location

var useCosmos = tablesBackend == 'cosmos'

// Built-in Azure role "Storage Table Data Contributor": read, write and delete tables and entities.
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Azure Cosmos DB for Table's own built-in data-plane role "Cosmos DB Built-in Data Contributor" (a Cosmos DB role
// definition on the account, not an Azure RBAC role): readMetadata, tables/* and tables/containers/entities/*.
var cosmosTableDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: identityName
}

// --- Tables -------------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = if (!useCosmos) {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Partner Desk reaches its tables with the managed identity only; with shared keys off, a leaked key is worthless.
    allowSharedKeyAccess: false
  }
}

resource storageTableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!useCosmos) {
  name: guid(storage.id, identity.id, storageTableDataContributorRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributorRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = if (useCosmos) {
  name: cosmosAccountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [
      {
        name: 'EnableTable'
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
      }
    ]
    // Keys off: Microsoft Entra ID (the managed identity) is the only way in, as for the Storage account.
    disableLocalAuth: true
  }
}

// Microsoft documents data-plane role-based access for Azure Cosmos DB for Table as a preview ("Use role-based
// access control with Azure Cosmos DB for Table (preview)"), and the tableRoleAssignments resource type has preview
// API versions only. It is used anyway because it is the only way Microsoft documents to keep keys out of the app;
// README.md ("Deploy to Azure with the Microsoft 365 Agents Toolkit") says so. @azure/data-tables asks for a
// https://cosmos.azure.com/.default token when the endpoint is *.table.cosmos.azure.com, so the same
// TABLES_ACCOUNT_URL + managed identity settings serve both backends.
resource cosmosTableDataContributor 'Microsoft.DocumentDB/databaseAccounts/tableRoleAssignments@2024-12-01-preview' = if (useCosmos) {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosTableDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/tableRoleDefinitions/${cosmosTableDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// The table endpoint the bot is given. Cosmos DB for Table's endpoint is not among the account's outputs, so it is
// built from the documented host name pattern (public cloud). One line: the Toolkit's pinned Bicep (v0.9.1) has no
// multi-line expressions. ARM evaluates only the branch the condition selects, so the absent resource is never read.
var tablesAccountUrl = useCosmos ? 'https://${cosmosAccountName}.table.cosmos.azure.com:443/' : storage.properties.primaryEndpoints.table

// --- Compute ------------------------------------------------------------------------------------------------

// Compute resources for the web app: Linux, and at least two instances.
resource serverfarm 'Microsoft.Web/serverfarms@2023-12-01' = {
  kind: 'app,linux'
  location: location
  name: serverfarmsName
  sku: {
    name: webAppSKU
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

// The web app that hosts the bot.
resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  kind: 'app,linux'
  location: location
  name: webAppName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      alwaysOn: true
      // Answers 503 when storage does not; App Service then routes around the instance and replaces it if it stays sick.
      healthCheckPath: '/healthz'
      // From source with tsx (a runtime dependency), as `npm start` does: the language files (src/cards/strings/*.json
      // other than English) are read from the source tree at start and are not copied by `npm run build`.
      // node directly rather than npm, so App Service's SIGTERM reaches the bot and it drains before stopping.
      appCommandLine: 'node --import tsx src/index.ts'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        {
          name: 'WEBSITE_RUN_FROM_PACKAGE'
          value: '1' // Run from the deployed zip, mounted read-only: every instance runs the same complete release.
        }
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false' // The Toolkit's deploy step installs and builds; the zip is what runs.
        }
        {
          name: 'HOST'
          value: '0.0.0.0' // App Service forwards to PORT, which it sets itself, from outside the container.
        }
        {
          name: 'MicrosoftAppId'
          value: identity.properties.clientId
        }
        {
          name: 'MicrosoftAppType'
          value: 'UserAssignedMSI'
        }
        {
          name: 'MicrosoftAppTenantId'
          value: identity.properties.tenantId
        }
        {
          name: 'ALLOWED_TENANTS'
          value: allowedTenants
        }
        {
          name: 'TABLES_ACCOUNT_URL'
          value: tablesAccountUrl
        }
        {
          name: 'TABLES_MANAGED_IDENTITY_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'TABLE_PREFIX'
          value: tablePrefix
        }
        {
          // Where a partner's admin consent returns (PUBLIC_BASE_URL/connect/consented). Built from the name because
          // the site cannot read its own defaultHostName here; that is <name>.azurewebsites.net unless the app is
          // created with a unique default host name, which this template does not ask for.
          name: 'PUBLIC_BASE_URL'
          value: 'https://${webAppName}.azurewebsites.net'
        }
        {
          name: 'LOG_LEVEL'
          value: logLevel
        }
      ]
    }
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
}

// Register the web app as a bot with the Bot Framework.
module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// The outputs are written to env/.env.<environment> (https://aka.ms/teamsfx-actions/arm-deploy).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output TABLES_ACCOUNT_URL string = tablesAccountUrl
