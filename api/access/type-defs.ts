export const accessTypeDefs = /* GraphQL */ `
  "A person who signs in to one tenant."
  type User {
    userId: ID!
    email: String!
    name: String!
    role: Role!
    endpointId: ID
    sourceId: ID
    disabled: Boolean!
    createdAt: DateTime!
  }

  input CreateUserInput {
    email: String!
    name: String!
    role: Role!
    "At least 12 characters."
    password: String!
    "Required for agents and buyers: the endpoint they act for."
    endpointId: ID
    "Required for vendors: the source they post for."
    sourceId: ID
  }

  type UserPayload {
    ok: Boolean!
    user: User
    errors: [UserError!]!
  }

  "A source's intake key, as listed: the key itself is shown once, when issued."
  type ApiKey {
    id: ID!
    sourceId: ID!
    "The first characters of the key, to tell keys apart."
    prefix: String!
    createdAt: DateTime!
    revokedAt: DateTime
  }

  type ApiKeyPayload {
    ok: Boolean!
    "The whole key: shown this once and never again (only its SHA-256 is stored)."
    key: String
    apiKey: ApiKey
    errors: [UserError!]!
  }

  type RevokePayload {
    ok: Boolean!
    errors: [UserError!]!
  }

  extend type Query {
    "Admins: the tenant's users."
    users: [User!]!
    "Admins and ops: a source's keys, newest first."
    apiKeys(sourceId: ID!): [ApiKey!]!
  }

  extend type Mutation {
    "Admins: a user with a role, bound to an endpoint (agent, buyer) or a source (vendor)."
    createUser(input: CreateUserInput!): UserPayload!
    "Admins: the user's tokens stop working on their next request."
    disableUser(userId: ID!): UserPayload!
    enableUser(userId: ID!): UserPayload!
    "Admins and ops: a new key for a source."
    issueApiKey(sourceId: ID!): ApiKeyPayload!
    "A new key; the old ones keep working until revoked, so a sender can switch without a gap."
    rotateApiKey(sourceId: ID!): ApiKeyPayload!
    revokeApiKey(sourceId: ID!, keyId: ID!): RevokePayload!
  }
`;
