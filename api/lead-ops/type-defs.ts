export const leadOpsTypeDefs = /* GraphQL */ `
  enum SharePermission {
    "Sees the lead (contact masked)."
    view
    "Works the lead like its owner (contact in clear)."
    act
  }

  """
  The answer to a lead operation: ok with the lead as it is now, or the
  reason it was refused. Codes (lower case) come from the lead's own rules:
  not_offered, not_offered_to_you, already_claimed, deadline_passed,
  not_owned, not_permitted, same_owner, lead_closed, not_ready,
  not_delivered, already_returned, reason_not_allowed, window_closed,
  return_rate_exceeded; and from the API: not_found (missing, or not
  visible to the caller), invalid_input, unknown_user, unknown_endpoint.
  A role that may not attempt the operation at all gets a FORBIDDEN error.
  """
  type LeadActionPayload {
    ok: Boolean!
    "Why the operation was refused; null when ok."
    error: UserError
    "The lead after the operation, as the caller may see it (null when it is not, or no longer, visible)."
    lead: Lead
  }

  type ReturnLeadPayload {
    ok: Boolean!
    error: UserError
    lead: Lead
    "What the source is credited (staff and the lead's vendor; null for others)."
    creditCents: Int
    "The replacement lead routed for this one, when asked for."
    replacementLeadId: ID
  }

  extend type Mutation {
    "Agents: take a lead offered to them, before its deadline. Managers claim on behalf of one of the offered endpoints."
    claimLead(leadId: ID!, onBehalfOf: ID): LeadActionPayload!
    "Agents: pass on an offer; the lead goes to the next eligible member at once, as if the deadline had lapsed for them."
    declineOffer(leadId: ID!): LeadActionPayload!
    "Open a lead: the view is recorded in its history, and it is never a claim. Returns the lead as the caller may see it."
    viewLead(leadId: ID!): LeadActionPayload!
    "The owner, an act collaborator or a manager records progress. An offered agent's first status update claims the lead."
    updateLeadStatus(leadId: ID!, status: WorkStatus!, note: String): LeadActionPayload!
    "The owner or a manager shares the lead with a colleague (a user of the tenant: agent or staff)."
    shareLead(leadId: ID!, userId: ID!, permission: SharePermission!): LeadActionPayload!
    "Managers: hand the lead to another endpoint; it is delivered there and the old owner is told."
    reassignLead(leadId: ID!, toEndpointId: ID!, note: String): LeadActionPayload!
    """
    The receiving buyer, the owning agent or a manager returns a delivered lead
    inside the source's return window, naming an allowed reason. An accepted
    return credits the source; replace routes a replacement lead.
    """
    returnLead(leadId: ID!, reason: String!, evidence: String, replace: Boolean = false): ReturnLeadPayload!
  }
`;
