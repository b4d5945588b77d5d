export const leadOpsTypeDefs = /* GraphQL */ `
  enum SharePermission {
    "Sees the lead (contact masked)."
    view
    "Works the lead like its owner (contact in clear)."
    act
  }

  """
  The answer to a lead operation: ok with the lead as it is now, or the
  reasons it was refused. Codes come from the lead's own rules:
  NOT_OFFERED, NOT_OFFERED_TO_YOU, ALREADY_CLAIMED, DEADLINE_PASSED,
  NOT_OWNED, NOT_PERMITTED, SAME_OWNER, LEAD_CLOSED, NOT_READY,
  NOT_DELIVERED, ALREADY_RETURNED, REASON_NOT_ALLOWED, WINDOW_CLOSED,
  RETURN_RATE_EXCEEDED, NOT_HELD, NOT_IN_REVIEW; and from the API: NOT_FOUND (missing, or not
  visible to the caller), INVALID_INPUT, UNKNOWN_USER, UNKNOWN_ENDPOINT.
  A role that may not attempt the operation at all gets a FORBIDDEN error.
  """
  type LeadActionPayload {
    ok: Boolean!
    "Why the operation was refused; empty when ok."
    errors: [UserError!]!
    "The lead after the operation, as the caller may see it (null when it is not, or no longer, visible)."
    lead: Lead
  }

  type ReturnLeadPayload {
    ok: Boolean!
    errors: [UserError!]!
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
    "Managers: hand the lead to another endpoint; it is delivered there and the old owner is told. A held lead can be reassigned too."
    reassignLead(leadId: ID!, toEndpointId: ID!, note: String): LeadActionPayload!
    "Managers: release a held lead (one waiting because everyone who could take it is closed): it is routed now, closed endpoints taking it as if they accepted leads after hours. NOT_HELD when it is not held."
    releaseHeldLead(leadId: ID!): LeadActionPayload!
    "Managers and ops: approve a lead in the review queue (leads(status: review)); it routes on, past review tiers. NOT_IN_REVIEW when it is not there."
    approveLead(leadId: ID!, note: String): LeadActionPayload!
    "Managers and ops: reject a lead in the review queue, against its source and unbilled, with the reason (invalid, duplicate, dnc or risk)."
    rejectLead(leadId: ID!, reason: RejectReason!, note: String): LeadActionPayload!
    """
    The receiving buyer, the owning agent or a manager returns a delivered lead
    inside the source's return window, naming an allowed reason. An accepted
    return credits the source; replace routes a replacement lead.
    """
    returnLead(leadId: ID!, reason: String!, evidence: String, replace: Boolean = false): ReturnLeadPayload!
  }
`;
