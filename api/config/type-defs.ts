export const configTypeDefs = /* GraphQL */ `
  """
  Configuration items travel as JSON in exactly the shape of the YAML/JSON
  import (schema/*.ts is the one definition). Every change is validated as a
  whole document and published as a new version; errors name the path, e.g.
  endpoints[12].territories[3].zips.
  """
  type TenantConfig {
    version: Int!
    author: String!
    note: String
    createdAt: DateTime!
    "The whole document."
    document: JSON!
    sources: [SourceConfig!]!
    endpoints: [EndpointConfig!]!
    territories: [TerritoryConfig!]!
    rotations: [RotationConfig!]!
    routingPlans: [RoutingPlanConfig!]!
  }

  "A source contract: cost basis, field mapping, return policy."
  type SourceConfig {
    id: ID!
    name: String!
    status: String!
    returnWindowSec: Int!
    config: JSON!
  }

  "Where a lead can go."
  type EndpointConfig {
    id: ID!
    name: String!
    kind: String!
    paused: Boolean!
    config: JSON!
  }

  "A top-level territory grant or carve-out (grants written inside an endpoint are part of that endpoint)."
  type TerritoryConfig {
    id: ID!
    endpointId: ID
    kind: String!
    config: JSON!
  }

  type RotationConfig {
    id: ID!
    name: String!
    members: [ID!]!
    config: JSON!
  }

  type RoutingPlanConfig {
    id: ID!
    name: String
    sourceId: ID
    serviceLine: String
    isDefault: Boolean!
    config: JSON!
  }

  "One published version, without its document."
  type ConfigVersionInfo {
    version: Int!
    author: String!
    note: String
    createdAt: DateTime!
  }

  enum ConfigFormat {
    yaml
    json
  }

  type ConfigExport {
    version: Int!
    format: ConfigFormat!
    text: String!
  }

  "One change between two configuration versions."
  type ConfigChange {
    "Where, as import errors name it, list items by id: endpoints.dallas.caps.daily."
    path: String!
    "added, removed or changed."
    kind: String!
    before: JSON
    after: JSON
    "The change in words."
    text: String!
  }

  type ConfigDiff {
    ok: Boolean!
    "NOT_FOUND when either version does not exist."
    errors: [UserError!]!
    "The two versions compared, with who published them and why; null when refused."
    from: ConfigVersionInfo
    to: ConfigVersionInfo
    changes: [ConfigChange!]!
  }

  type ConfigChangePayload {
    ok: Boolean!
    "The version this change published."
    version: Int
    errors: [UserError!]!
  }

  extend type Query {
    "Staff: the latest configuration, or a given version."
    config(version: Int): TenantConfig
    "Staff: published versions, newest first."
    configVersions(first: Int = 20): [ConfigVersionInfo!]!
    "Staff: what changed from one version to another, by path, in words."
    configDiff(from: Int!, to: Int!): ConfigDiff!
    "Staff: the whole configuration as YAML or JSON text, ready to import."
    exportConfig(format: ConfigFormat = yaml, version: Int): ConfigExport
  }

  extend type Mutation {
    "Admins and ops: add a source, or replace the one with the same id."
    upsertSource(source: JSON!, note: String): ConfigChangePayload!
    deleteSource(id: ID!, note: String): ConfigChangePayload!
    upsertEndpoint(endpoint: JSON!, note: String): ConfigChangePayload!
    deleteEndpoint(id: ID!, note: String): ConfigChangePayload!
    upsertTerritory(territory: JSON!, note: String): ConfigChangePayload!
    deleteTerritory(id: ID!, note: String): ConfigChangePayload!
    upsertRotation(rotation: JSON!, note: String): ConfigChangePayload!
    deleteRotation(id: ID!, note: String): ConfigChangePayload!
    upsertRoutingPlan(routingPlan: JSON!, note: String): ConfigChangePayload!
    deleteRoutingPlan(id: ID!, note: String): ConfigChangePayload!
    "Admins: replace the whole configuration from YAML or JSON text (format guessed when omitted)."
    importConfig(text: String!, format: ConfigFormat, note: String): ConfigChangePayload!
    "Admins and ops: publish an earlier version's configuration as the next version (checked like any change); past decisions keep the version they used."
    rollbackConfig(version: Int!, note: String): ConfigChangePayload!
  }
`;
