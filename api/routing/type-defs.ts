export const routingTypeDefs = /* GraphQL */ `
  enum Verdict {
    "Got the lead."
    chosen
    "Eligible in a tier that was not reached or not decided on."
    eligible
    "Ruled out: the reason says why (territory, carve-out, licence, schedule, paused, a cap, no open order, excluded)."
    ineligible
    "Eligible, but the tier's algorithm ranked another first (its turn, weight, priority, bid...): the reason says on what."
    lost
  }

  "A counter a candidate was judged on, e.g. daily: 20 of 20."
  type Counter {
    name: String!
    value: String!
  }

  type CandidateExplanation {
    endpointId: ID!
    name: String!
    verdict: Verdict!
    "Plain English for ops."
    reason: String!
    counters: [Counter!]!
  }

  type TierExplanation {
    "0-based position in the plan; -1 for a step outside the plan (the source's own assignment)."
    index: Int!
    name: String!
    algorithm: String!
    "Why the walk stopped here or moved on."
    outcome: String!
    candidates: [CandidateExplanation!]!
  }

  type RoutingTier {
    index: Int!
    name: String!
    algorithm: String!
  }

  "An endpoint a decision chose."
  type ChosenEndpoint {
    endpointId: ID!
    name: String!
    "A person or rotation must claim it before a deadline; otherwise it is owned on delivery."
    claimRequired: Boolean!
    claimDeadlineSec: Int
    "The kind of grant it holds the lead's area by (exclusive, shared, secondary, fallback); null for a rotation member, a listed endpoint or the source's pick."
    territoryKind: String
    "The id of that grant."
    grantId: String
    "The grant's price factor (secondary grants sell cheaper; 1 otherwise)."
    priceFactor: Float!
    "What the receiver pays: its bid × the price factor; a secondary holder without a bid pays the lead's source cost × the price factor."
    priceCents: Int!
  }

  "One routing decision with its full explanation: every candidate of every tier walked, its verdict, reason and counters."
  type RoutingDecision {
    "assigned, broadcast or no_coverage."
    outcome: String!
    chosen: [ChosenEndpoint!]!
    tier: RoutingTier
    planId: String!
    configVersion: Int!
    summary: String!
    "How the lead's geography was settled, when it was not simply its ZIP."
    geography: String
    tiers: [TierExplanation!]!
    "The whole explanation as lines to read top to bottom."
    text: [String!]!
  }

  "A routing round of a real lead: its decision as stored when it was made."
  type RoutingRound {
    round: Int!
    decidedAt: DateTime!
    decision: RoutingDecision!
  }

  input SimulatedLead {
    sourceId: ID!
    "Defaults to the source's default service line."
    serviceLine: String
    "A ZIP, or a city and state to resolve one from."
    zip: String
    city: String
    state: String
    "Route as if the source had named this endpoint (assignTo)."
    assignTo: ID
    "Leave these endpoints out, as after a failed delivery or a lapsed offer."
    exclude: [ID!]
  }

  type RoutingSimulation {
    ok: Boolean!
    "INVALID_INPUT, UNKNOWN_SOURCE, UNKNOWN_ENDPOINT, UNRESOLVABLE_ADDRESS or NO_CONFIGURATION; empty when ok."
    errors: [UserError!]!
    "Where the lead was placed: ZIP, city, state, county, time zone."
    market: Market
    serviceLine: String
    "The instant the lead was judged at: the at asked for, or now."
    at: DateTime
    decision: RoutingDecision
  }

  enum HistoryDetail {
    "Lead events, the workflow's Temporal history and every routing explanation (staff)."
    full
    "The lead's own events, without routing details or money (agents)."
    events
  }

  enum TimelineOrigin {
    "A lead event: what happened to the lead."
    lead
    "A routing decision from the decision store."
    routing
    "The lead workflow's Temporal history: how it happened (activities, retries, timers, updates, signals)."
    workflow
  }

  type TimelineEntry {
    at: DateTime!
    origin: TimelineOrigin!
    "A lead event type (received, routed, delivered, offered, claimed, ...) or a workflow event (activity_failed, activity_pending, timer_started, timer_fired, update_accepted, update_rejected, signal, workflow_task_failed, ...)."
    kind: String!
    text: String!
    "The user who caused it, source:<id> for the source, system for the workflow."
    actor: String
    actorRole: String
    "Structured details; never personal data."
    data: JSON
    "For routing decisions: the round, matching routingRounds."
    round: Int
  }

  type WorkflowRun {
    workflowId: ID!
    "False once Temporal no longer holds the run (past its retention): the events and decisions remain."
    available: Boolean!
    status: String
    historyLength: Int
    note: String
  }

  type LeadHistory {
    leadId: ID!
    detail: HistoryDetail!
    "Everything in time order."
    entries: [TimelineEntry!]!
    "Staff: every routing round with its full explanation; null for agents."
    routingRounds: [RoutingRound!]
    "Staff: the lead workflow's run; null for agents."
    workflow: WorkflowRun
  }

  extend type Query {
    """
    Staff: who would get this lead now, or at any instant given as at, and why.
    Schedules, holidays and time zones are judged at that instant; the caps are
    read for the windows containing it as they stand now (what has been
    reserved in them so far, nothing projected). A dry run: nothing is
    reserved, no rotation turn is taken, nothing is written.
    """
    simulateRouting(lead: SimulatedLead!, at: DateTime): RoutingSimulation!
    "Staff: why this lead went where it went: every routing round's stored explanation. Null when the lead is not visible."
    leadExplanation(id: ID!): [RoutingRound!]
    "A lead's history as one readable timeline. Staff read everything; agents the events of leads offered to, owned by or shared with them. Null when the lead is not visible."
    leadHistory(id: ID!): LeadHistory
  }
`;
