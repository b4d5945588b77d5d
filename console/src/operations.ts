import { TIERS } from './views/explanation-fields.ts';

/**
 * Every GraphQL operation the console sends, in one place: the console uses
 * nothing but the API's public schema, and `operations.test.ts` validates each
 * of these against it (a renamed field fails the build's tests, not a user).
 */
export const MY_LEADS = `leads(filter: { status: [assigned] }, first: 20) { nodes { id serviceLine workStatus
  contact { visibility firstName lastName phone email } returnWindow { open allowedReasons } } }`;
export const STATEMENT_BODY = `ok errors { code message field } statement { party partyId period status openReason leads leadsBilled billedCents returnsCredited creditedCents flatFeeCents netCents openLines
  discrepancies { leadId expectedCents recordedCents } lines(limit: 200) { nodes { leadId at billedCents creditedCents netCents state rejectReason returnReason } } }`;
export const BOARD_LEADS = `query($f: LeadFilter) { leads(filter: $f, first: 100) { ok errors { code message field } nodes {
  id status serviceLine sourceId receivedAt market { city state zip } offeredTo ownerEndpointId heldUntil heldReason routingSummary } }
  config { document } }`;
export const REASSIGN = `mutation($id: ID!, $to: ID!, $note: String) { reassignLead(leadId: $id, toEndpointId: $to, note: $note) { ok errors { code message field } lead { id status ownerEndpointId } } }`;
export const RELEASE = `mutation($id: ID!) { releaseHeldLead(leadId: $id) { ok errors { code message field } lead { id status } } }`;
export const CONFIG_VERSIONS = `{ configVersions(first: 20) { version author note createdAt } config { version } }`;
export const CONFIG_DIFF = `query($from: Int!, $to: Int!) { configDiff(from: $from, to: $to) { ok errors { code message field } changes { path kind text } } }`;
export const ROLLBACK = `mutation($v: Int!) { rollbackConfig(version: $v, note: "rolled back from the console") { ok version errors { code message field } } }`;
export const CONFIG = `{ config { version document } exportConfig(format: yaml) { text } }`;
export const IMPORT_CONFIG = `mutation($text: String!) { importConfig(text: $text, format: yaml, note: "imported from the console") { ok version errors { code message field line column } } }`;
export const LEAD_PAGE = `query($id: ID!) {
  lead(id: $id) { id status serviceLine sourceId receivedAt ownerEndpointId offeredTo routingSummary market { city state zip } contact { visibility firstName phone email } }
  leadHistory(id: $id) {
    entries { at origin kind text actor }
    routingRounds { round decidedAt decision { outcome summary ${TIERS} } }
    workflow { workflowId available status historyLength }
  } }`;
export const WORK_STATUS = `mutation($id: ID!, $s: WorkStatus!, $n: String) { r: updateLeadStatus(leadId: $id, status: $s, note: $n) { ok errors { code message field } } }`;
export const SHARE = `mutation($id: ID!, $u: ID!, $p: SharePermission!) { r: shareLead(leadId: $id, userId: $u, permission: $p) { ok errors { code message field } } }`;
export const AGENT_RETURN = `mutation($id: ID!, $reason: String!, $e: String) { r: returnLead(leadId: $id, reason: $reason, evidence: $e) { ok errors { code message field } } }`;
export const INBOX = `{ myNotifications(first: 50) { unreadCount nodes { id leadId kind message at link read } } }`;
export const MARK_ALL_READ = `mutation { markNotificationsRead(all: true) { ok unreadCount } }`;
export const OFFERS = `{ myOffers { ok errors { code message field } nodes { leadId round deadlineAt lead { id serviceLine market { city state zip } contact { visibility firstName phone email } } } }
  ${MY_LEADS} }`;
export const CLAIM = `mutation($id: ID!) { claimLead(leadId: $id) { ok errors { code message field } lead { id status } } }`;
export const DECLINE = `mutation($id: ID!) { declineOffer(leadId: $id) { ok errors { code message field } } }`;
export const VENDOR_PORTAL = `{ mySubmissions(first: 100) { nodes { id status billing receivedAt serviceLine costCents rejection { reason } returned { reason creditCents } } }
  myAcceptance { stats { received accepted rejected acceptanceRate rejectedByReason { reason count } } } }`;
export const BUYER_PORTAL = `{ myDeliveries(first: 100) { nodes { id serviceLine deliveredAt billing priceCents returned { reason } } }
  openReturnWindows { nodes { lead { id serviceLine } closesAt allowedReasons } } }`;
export const BUYER_RETURN = `mutation($id: ID!, $reason: String!, $evidence: String) { returnLead(leadId: $id, reason: $reason, evidence: $evidence) { ok errors { code message field } lead { id billing returned { reason } } } }`;
export const REPORTS = `query($from: String!, $to: String!) {
  sourceReport(from: $from, to: $to, groupBy: [SOURCE, STATE]) { ok errors { code message field } report { timeZone rows { sourceId state received accepted rejected delivered claimed rejectedByReason { invalid duplicate dnc noCoverage risk } } } }
  config { document }
  endpointReport(from: $from, to: $to, groupBy: [ENDPOINT]) { ok errors { code message field } report { rows { endpointId leads offered claimed lapsed returned claimRate billedCents creditedCents netCents returnedByReason { reason count } deliveryToClaim { medianMs p90Ms } } } }
}`;
export const SIMULATE = `query($lead: SimulatedLead!, $at: DateTime) { simulateRouting(lead: $lead, at: $at) { ok errors { code message field }
  at market { city state zip } serviceLine decision { outcome summary chosen { endpointId name } ${TIERS} } } config { document } }`;
export const SOURCE_STATEMENT = `query($id: ID!, $m: String!) { r: sourceStatement(sourceId: $id, month: $m) { ${STATEMENT_BODY} } }`;
export const BUYER_STATEMENT = `query($id: ID!, $m: String!) { r: buyerStatement(endpointId: $id, month: $m) { ${STATEMENT_BODY} } }`;
export const CONFIG_DOCUMENT = `{ config { document } }`;
