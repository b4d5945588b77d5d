import { LEAD_STATUSES, REJECT_REASONS, WORK_STATUSES } from '../../domain/lifecycle/lead-status.ts';

export const leadsTypeDefs = /* GraphQL */ `
  "Where a lead is in its lifecycle."
  enum LeadStatus {
    ${LEAD_STATUSES.join('\n    ')}
  }

  "The owner's progress with the consumer."
  enum WorkStatus {
    ${WORK_STATUSES.join('\n    ')}
  }

  enum RejectReason {
    ${REJECT_REASONS.join('\n    ')}
  }

  enum BillingState {
    pending
    billable
    credited
    final
    not_billed
  }

  enum ContactVisibility {
    "Shown as stored."
    clear
    "Phone, email, street and IP masked; last name reduced to its initial."
    masked
  }

  "The consumer's personal data, decrypted for the roles that may read it and masked for the others. The phone is the verified E.164 number once validation produced one."
  type Contact {
    visibility: ContactVisibility!
    firstName: String
    lastName: String
    phone: String
    email: String
    street: String
    city: String
    state: String
    zip: String
    consentIp: String
    "The source's free fields (in clear only; null when masked)."
    fields: JSON
  }

  "Where the lead is (no personal data): state, county, ZIP, time zone."
  type Market {
    state: String
    countyFips: String
    zip: String
    city: String
    timeZone: String
  }

  type Rejection {
    reason: RejectReason!
    detail: String!
  }

  type Collaborator {
    userId: ID!
    permission: String!
    by: String!
    at: DateTime!
  }

  type LeadReturn {
    reason: String!
    at: DateTime!
    creditCents: Int!
    replacementLeadId: ID
  }

  "The return window of a delivered lead, from the source's contract."
  type ReturnWindow {
    closesAt: DateTime!
    open: Boolean!
    secondsLeft: Int!
    allowedReasons: [String!]!
  }

  """
  A lead as the read model holds it. Fields a role may not read are null:
  costCents (staff, the lead's vendor), priceCents (staff, the buyer it was
  delivered to), routingSummary and configVersion (staff), offeredTo,
  ownerEndpointId and collaborators (staff and agents).
  """
  type Lead {
    id: ID!
    status: LeadStatus!
    serviceLine: String!
    sourceId: ID!
    externalId: String
    receivedAt: DateTime!
    market: Market
    rejection: Rejection
    flags: [String!]!
    "What validation measured, by the offline checks or the tenant's providers (staff)."
    signals: ValidationSignals
    workStatus: WorkStatus
    "While the lead waits (held because everyone who could take it is closed, or paced): until when."
    heldUntil: DateTime
    "Why it waits, in words: who is closed and who opens first, or whose pace it keeps."
    heldReason: String
    offeredTo: [ID!]
    offerDeadlineAt: DateTime
    ownerEndpointId: ID
    collaborators: [Collaborator!]
    deliveredTo: ID
    deliveredAt: DateTime
    claimedAt: DateTime
    costCents: Int
    priceCents: Int
    routingSummary: String
    configVersion: Int
    returned: LeadReturn
    billing: BillingState!
    returnWindow: ReturnWindow
    contact: Contact
    updatedAt: DateTime!
  }

  "What validation measured that routing may act on; no value of the consumer's."
  type ValidationSignals {
    "mobile, landline, voip, toll_free, premium_rate, other or unknown."
    lineType: String
    "0 to 100; the offline score or the risk provider's."
    riskScore: Float
    "0 to 100: the weaker of the identity provider's name-to-phone and name-to-address matches."
    identityConfidence: Float
  }

  "A page reads at most 31 days of leads, so it can hold fewer than asked for, even none, while hasNextPage is true: go on from endCursor."
  type PageInfo {
    endCursor: String
    hasNextPage: Boolean!
  }

  "A page of leads. A bad page argument (first, after) or filter is refused in errors, with no leads."
  type LeadConnection {
    ok: Boolean!
    errors: [UserError!]!
    nodes: [Lead!]!
    pageInfo: PageInfo!
  }

  input LeadFilter {
    status: [LeadStatus!]
    sourceId: ID
    "Leads owned by, delivered to or offered to this endpoint."
    endpointId: ID
    serviceLine: String
    "Received at or after."
    receivedFrom: DateTime
    "Received before."
    receivedTo: DateTime
  }

  extend type Query {
    "A lead the caller may see, or null."
    lead(id: ID!): Lead
    "Leads the caller may see, newest first: staff every lead of the tenant, agents those offered to, owned by or shared with them, vendors their source's, buyers their deliveries."
    leads(filter: LeadFilter, first: Int = 50, after: String): LeadConnection!
  }
`;
