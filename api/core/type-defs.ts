export const coreTypeDefs = /* GraphQL */ `
  scalar DateTime
  scalar JSON

  """
  A business rejection: the request was understood and refused, with the
  reason. Every mutation, and every query whose arguments can be wrong,
  answers { ok, errors: [UserError!]!, ...result }: errors is empty when ok.
  Authentication and permission failures are GraphQL errors instead
  (extensions.code UNAUTHENTICATED or FORBIDDEN), as are internal errors
  (masked as "Unexpected error.").
  """
  type UserError {
    "UPPER_SNAKE_CASE, e.g. INVALID_INPUT, NOT_FOUND, INVALID_CONFIG, EMAIL_TAKEN, ALREADY_CLAIMED, DEADLINE_PASSED (README, Error contract, lists them all)."
    code: String!
    message: String!
    "The input field or configuration path at fault, e.g. endpoints[12].territories[3].zips."
    field: String
    "Line and column in an imported text, for syntax errors."
    line: Int
    column: Int
  }

  enum Role {
    admin
    ops
    manager
    agent
    vendor
    buyer
  }

  "How the caller authenticated."
  enum CredentialKind {
    "A signed-in user's bearer token."
    user
    "A source's API key: it may only submit that source's leads."
    api_key
  }

  "The caller."
  type Me {
    userId: ID!
    role: Role!
    tenantId: ID!
    "The endpoint an agent or buyer acts for."
    endpointId: ID
    "The source a vendor posts for."
    sourceId: ID
    via: CredentialKind!
  }

  "A brand: every other object belongs to exactly one."
  type Tenant {
    id: ID!
    name: String!
  }

  "State of one part of the stack."
  type PartHealth {
    ok: Boolean!
    detail: String!
  }

  "Whether the database, Temporal and at least one worker are reachable."
  type Health {
    ok: Boolean!
    mongo: PartHealth!
    temporal: PartHealth!
    worker: PartHealth!
  }

  type SignInPayload {
    ok: Boolean!
    "Send as Authorization: Bearer <token>."
    token: String
    expiresAt: DateTime
    me: Me
    errors: [UserError!]!
  }

  type Query {
    "The caller, or null when anonymous."
    me: Me
    "The caller's own tenant."
    tenant: Tenant!
    "Admins and ops: the state of the stack."
    health: Health!
  }

  type Mutation {
    "A bearer token for valid credentials. A wrong password and an unknown user give the same answer."
    signIn(tenantId: ID!, email: String!, password: String!): SignInPayload!
  }
`;
