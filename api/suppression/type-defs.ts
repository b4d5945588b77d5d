export const suppressionTypeDefs = /* GraphQL */ `
  "A do-not-call or suppression list a tenant's leads are checked against."
  type SuppressionListInfo {
    "federal, state or internal."
    list: String!
    "The state of a state registry."
    state: String
    "global (the shared registries) or tenant (the tenant's own list)."
    scope: String!
    "The upload checked now (0: nothing uploaded yet); uploads are checked only once whole."
    version: Int!
    "Entries of that upload."
    uploaded: Int!
    "Single additions (consumer opt-outs, manual entries), kept across uploads."
    added: Int!
    updatedAt: DateTime
    by: String
    note: String
  }

  type SuppressionRowError {
    line: Int!
    message: String!
  }

  type SuppressionChangePayload {
    ok: Boolean!
    errors: [UserError!]!
    "Values taken (added or removed)."
    changed: Int!
    "Values refused, by position in the list given (line 1 is the first value)."
    rejected: [SuppressionRowError!]!
  }

  extend type Query {
    "Staff: the lists this tenant's leads are checked against, with versions and counts. Uploads go to POST /suppression-lists/:list."
    suppressionLists: [SuppressionListInfo!]!
  }

  extend type Mutation {
    "Admins and ops: add phones or emails to the tenant's internal list, kept across uploads."
    addSuppressionEntries(values: [String!]!): SuppressionChangePayload!
    "Admins and ops: take a phone or email off the tenant's internal list (its single addition and its entry in the current upload)."
    removeSuppressionEntry(value: String!): SuppressionChangePayload!
  }
`;
