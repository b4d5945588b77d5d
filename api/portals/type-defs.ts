export const portalsTypeDefs = /* GraphQL */ `
  type ReasonCount {
    reason: String!
    count: Int!
  }

  "A vendor's submissions over a period, by outcome."
  type AcceptanceStats {
    from: DateTime!
    to: DateTime!
    received: Int!
    accepted: Int!
    rejected: Int!
    "accepted / received, 0..1; null when nothing was received."
    acceptanceRate: Float
    rejectedByReason: [ReasonCount!]!
  }

  "A vendor's acceptance over a period, or the reason the period was refused (from not before to)."
  type AcceptanceResult {
    ok: Boolean!
    errors: [UserError!]!
    "Null when not ok."
    stats: AcceptanceStats
  }

  "A delivered lead whose return window is still open."
  type OpenReturnWindow {
    lead: Lead!
    closesAt: DateTime!
    secondsLeft: Int!
    allowedReasons: [String!]!
  }

  type OpenReturnWindowList {
    ok: Boolean!
    "A bad first is refused here, with no windows."
    errors: [UserError!]!
    nodes: [OpenReturnWindow!]!
  }

  input SubmissionFilter {
    status: [LeadStatus!]
    receivedFrom: DateTime
    receivedTo: DateTime
  }

  extend type Query {
    "Vendors: their source's leads, newest first, each with its status and rejection reason."
    mySubmissions(filter: SubmissionFilter, first: Int = 50, after: String): LeadConnection!
    "Vendors: received, accepted and rejected leads over a period (default: the last 30 days)."
    myAcceptance(from: DateTime, to: DateTime): AcceptanceResult!
    "Vendors: their source's returned leads; buyers: the leads they returned."
    myReturns(first: Int = 50, after: String): LeadConnection!
    "Buyers: leads delivered to them, newest first."
    myDeliveries(filter: SubmissionFilter, first: Int = 50, after: String): LeadConnection!
    "Buyers: delivered leads that can still be returned, closing soonest first."
    openReturnWindows(first: Int = 50): OpenReturnWindowList!
  }
`;
