/**
 * GraphQL types and queries for reports and reconciliation statements. Dates
 * are local dates of the tenant's zone ("YYYY-MM-DD"), months "YYYY-MM";
 * money is in whole cents (Float because totals can pass 2^31 cents). Every
 * query answers { ok, errors, <report or statement> }: a bad argument is a
 * UserError naming it, a slice the caller may not see a FORBIDDEN error.
 */
export const reportTypeDefs = /* GraphQL */ `
  "How to group a source report: at most one time grain (DAY, WEEK, MONTH) plus any of SOURCE, STATE, COUNTY."
  enum SourceReportGrouping {
    DAY
    WEEK
    MONTH
    SOURCE
    STATE
    COUNTY
  }

  "How to group an endpoint report: at most one time grain plus ENDPOINT."
  enum EndpointReportGrouping {
    DAY
    WEEK
    MONTH
    ENDPOINT
  }

  enum TimeGrouping {
    DAY
    WEEK
    MONTH
  }

  enum SpeedBy {
    SOURCE
    ENDPOINT
  }

  "Median and 90th percentile of a duration, read from histograms with 8 buckets per doubling (within ±4.4 %)."
  type Timing {
    count: Int!
    medianMs: Float
    p90Ms: Float
  }

  type ReportReasonCount {
    reason: String!
    count: Int!
  }

  type RejectCounts {
    invalid: Int!
    duplicate: Int!
    dnc: Int!
    noCoverage: Int!
    risk: Int!
  }

  type StatusCounts {
    contacted: Int!
    appointment: Int!
    qualified: Int!
    won: Int!
    lost: Int!
  }

  "One group of a source report. Every lead counts on the local day it was received."
  type SourceReportRow {
    "First day of the period, when grouped by a time grain."
    period: String
    sourceId: ID
    state: String
    "County FIPS code."
    county: String
    received: Int!
    accepted: Int!
    rejected: Int!
    rejectedByReason: RejectCounts!
    "Received, not yet validated."
    pending: Int!
    "Accepted and waiting now: held while everyone who could take them is closed, or paced."
    waiting: Int!
    delivered: Int!
    claimed: Int!
    escalated: Int!
    returned: Int!
    returnedByReason: [ReportReasonCount!]!
    "Lead-level cost under each source's cost basis (flat fees are on the statement)."
    spendCents: Float!
    creditCents: Float!
    netCostCents: Float!
    costPerAcceptedCents: Float
    "Accepted ÷ (accepted + rejected)."
    acceptanceRate: Float
    "Returned ÷ delivered."
    returnRate: Float
    intakeToDelivery: Timing!
    deliveryToClaim: Timing!
  }

  type SourceReportResult {
    ok: Boolean!
    errors: [UserError!]!
    "Null when not ok."
    report: SourceReport
  }

  type SourceReport {
    from: String!
    to: String!
    timeZone: String!
    "True when recent changes could not be folded in before answering (another refresh held the tenant)."
    stale: Boolean!
    rows: [SourceReportRow!]!
  }

  "One group of an endpoint report. A receiver's metrics count on the local day the lead first reached it."
  type EndpointReportRow {
    period: String
    endpointId: ID
    leads: Int!
    offered: Int!
    offers: Int!
    claimed: Int!
    lapsed: Int!
    delivered: Int!
    deliveryFailures: Int!
    returned: Int!
    returnedByReason: [ReportReasonCount!]!
    billedCents: Float!
    creditedCents: Float!
    netCents: Float!
    claimRate: Float
    deliveryToClaim: Timing!
    intakeToDelivery: Timing!
    statusesReached: StatusCounts!
    "Leads that reached contacted or further (appointment, qualified, won), each counted once: what the performance score's contact part reads."
    contacted: Int!
  }

  type EndpointReportResult {
    ok: Boolean!
    errors: [UserError!]!
    "Null when not ok."
    report: EndpointReport
  }

  type EndpointReport {
    from: String!
    to: String!
    timeZone: String!
    stale: Boolean!
    rows: [EndpointReportRow!]!
  }

  type SpeedRow {
    period: String
    by: SpeedBy!
    id: ID!
    delivered: Int!
    intakeToDelivery: Timing!
    deliveryToClaim: Timing!
  }

  type SpeedReportResult {
    ok: Boolean!
    errors: [UserError!]!
    "Null when not ok."
    report: SpeedReport
  }

  type SpeedReport {
    from: String!
    to: String!
    timeZone: String!
    stale: Boolean!
    rows: [SpeedRow!]!
  }

  enum StatementParty {
    SOURCE
    BUYER
  }

  enum StatementStatus {
    OPEN
    CLOSED
  }

  enum StatementLineState {
    OPEN
    FINAL
    CREDITED
    NOT_BILLED
  }

  type StatementLine {
    leadId: ID!
    "Received (source statements) or delivered (buyer statements), ISO 8601."
    at: String!
    billedCents: Int!
    creditedCents: Int!
    netCents: Int!
    state: StatementLineState!
    rejectReason: String
    returnReason: String
  }

  "A page of a statement's lines; a bad offset or limit is refused here, with no lines."
  type StatementLinePage {
    ok: Boolean!
    errors: [UserError!]!
    nodes: [StatementLine!]!
  }

  "A lead whose recorded final billed amount differs from the statement: the statement stays open over it."
  type Discrepancy {
    leadId: ID!
    expectedCents: Int!
    recordedCents: Int!
  }

  "What a source is owed, or a buyer owes, for one month. Closes by itself once the month is over and every line is settled."
  type Statement {
    party: StatementParty!
    partyId: ID!
    period: String!
    "Cost basis of the source contract (per_lead, per_accepted_lead, flat)."
    basis: String
    status: StatementStatus!
    openReason: String!
    leads: Int!
    leadsBilled: Int!
    billedCents: Float!
    returnsCredited: Int!
    creditedCents: Float!
    flatFeeCents: Float!
    netCents: Float!
    openLines: Int!
    discrepancies: [Discrepancy!]!
    lineCount: Int!
    "offset from 0, limit 1 to 5000."
    lines(offset: Int = 0, limit: Int = 500): StatementLinePage!
  }

  type StatementResult {
    ok: Boolean!
    errors: [UserError!]!
    "Null when not ok."
    statement: Statement
  }

  extend type Query {
    "Source quality by market and day. Staff see every source of the tenant; vendors only their own."
    sourceReport(from: String!, to: String!, groupBy: [SourceReportGrouping!], sourceId: ID, state: String): SourceReportResult!
    "Offers, claims, lapses, speed and statuses per endpoint. Staff see every endpoint; buyers only their own."
    endpointReport(from: String!, to: String!, groupBy: [EndpointReportGrouping!], endpointId: ID): EndpointReportResult!
    "Median and p90 from intake to delivery (and delivery to claim), per source or per endpoint."
    speedToLead(from: String!, to: String!, by: SpeedBy!, groupBy: [TimeGrouping!], sourceId: ID, endpointId: ID): SpeedReportResult!
    "A source's statement for a month. Staff, or the source's own vendor."
    sourceStatement(sourceId: ID!, month: String!): StatementResult!
    "A buyer endpoint's statement (its deliveries, returns and invoice) for a month. Staff, or the buyer itself."
    buyerStatement(endpointId: ID!, month: String!): StatementResult!
  }
`;
