export const intakeTypeDefs = /* GraphQL */ `
  type SubmitLeadPayload {
    ok: Boolean!
    "The lead's id; the same lead posted again answers with the same id."
    leadId: ID
    "True when this lead was already received (same source and external id, or same payload)."
    duplicate: Boolean
    "Each problem names the field as the source calls it."
    errors: [UserError!]!
  }

  extend type Mutation {
    """
    Posts a lead. A source's API key (X-Api-Key header) or a vendor user posts
    for its own source; admins and ops name the source. The payload is an
    object of fields named as the source's contract maps them (the same body
    as POST /intake/:sourceKey).
    """
    submitLead(sourceId: ID, payload: JSON!): SubmitLeadPayload!
  }
`;
