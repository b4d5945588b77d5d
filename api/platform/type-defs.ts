export const platformTypeDefs = /* GraphQL */ `
  type CreatedTenant {
    id: ID!
    name: String!
    "The first admin's user id: <tenant>:<email>."
    adminUserId: ID!
    "Give this to the admin, once: it sets their password (setPassword) and is valid until setPasswordExpiresAt."
    setPasswordToken: String!
    setPasswordExpiresAt: DateTime!
  }

  type CreateTenantPayload {
    ok: Boolean!
    "INVALID_INPUT (field named) or TENANT_EXISTS; empty when ok."
    errors: [UserError!]!
    tenant: CreatedTenant
  }

  type SetPasswordPayload {
    ok: Boolean!
    "INVALID_TOKEN (unknown, expired, used, or for another user) or WEAK_PASSWORD."
    errors: [UserError!]!
  }

  extend type Mutation {
    "The platform operator (X-Platform-Token, not a tenant role): create a brand and its first admin."
    createTenant(id: ID!, name: String!, adminEmail: String!, adminName: String): CreateTenantPayload!
    "Anyone with a set-password token: set that user's password, once."
    setPassword(tenantId: ID!, email: String!, token: String!, password: String!): SetPasswordPayload!
  }
`;
