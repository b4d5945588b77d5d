// The activity signatures the lead workflow calls. Types only: the workflow
// imports this file with `import type`, the implementations live beside it.
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import type { RejectReason } from '../domain/lifecycle/lead-status.ts';
import type { ReturnPolicy, ReturnStats } from '../domain/lifecycle/return-policy.ts';

export interface LeadAddress {
  street?: string;
  city?: string;
  state?: string;
  zip?: string;
}

export interface ConsentRecord {
  text: string;
  timestamp: string;
  ip?: string;
  pageUrl?: string;
  geolocation?: { lat: number; lon: number };
  /** Channels the consumer agreed to be contacted on. */
  channels?: Array<'sms' | 'email' | 'phone'>;
}

/** A lead as intake accepted it: shape-checked, not yet verified. */
export interface LeadInput {
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
  address?: LeadAddress;
  serviceLine: string;
  fields: Record<string, string>;
  consent?: ConsentRecord;
}

export interface LeadWorkflowInput {
  tenantId: string;
  leadId: string;
  sourceId: string;
  externalId?: string;
  receivedAt: number;
  lead: LeadInput;
  /** The source already named the receiver: allocation is skipped. */
  preassignedEndpointId?: string;
  replacementOf?: string;
  /** Endpoints a replacement must not go to (the one that returned the original). */
  excludeEndpointIds?: string[];
}

export interface LeadContext {
  sourceName: string;
  costCents: number;
  returnPolicy: ReturnPolicy;
  duplicateWindowMs: number;
  /** Auto-response templates of the source, if any. */
  autoResponse: { sms?: string; email?: { subject: string; body: string } };
  /** Manual distribution: leads park in a manager's queue instead of being routed. */
  manualDistribution: boolean;
  /** Set when the lead cannot be taken at all (its source was removed or paused since intake). */
  problem?: string;
}

export interface ValidationStepResult {
  step: string;
  outcome: 'pass' | 'flag' | 'fail';
  reason?: string;
  data?: Record<string, unknown>;
}

export interface Geography {
  zip: string;
  state: string;
  countyFips?: string;
  lat?: number;
  lon?: number;
  timeZone?: string;
  resolvedFrom?: string;
}

export interface ValidationOutcome {
  outcome: 'accepted' | 'rejected';
  rejectReason?: RejectReason;
  rejectDetail?: string;
  steps: ValidationStepResult[];
  flags: string[];
  geography?: Geography;
  phoneE164?: string;
  consentChannels: Array<'sms' | 'email' | 'phone'>;
}

export interface RouteTarget {
  endpointId: string;
  name: string;
  /** A person or rotation must claim; a location, partner or buyer owns the lead on delivery. */
  claimRequired: boolean;
  claimDeadlineSec?: number;
  maxLapses?: number;
  /** The claim clock stops while the receiver is closed. */
  pauseDeadlineOutsideHours?: boolean;
  /** What the receiver pays for the lead (bid × price factor), when it buys leads. */
  priceCents?: number;
  /** Keys of the reservations this lead holds for this endpoint. */
  reservationKeys: string[];
}

export type RouteOutcome =
  | { kind: 'no_coverage'; configVersion: number; summary: string; decisionId: string }
  | { kind: 'manual_queue'; configVersion: number; summary: string; decisionId: string }
  | {
      kind: 'assigned' | 'broadcast' | 'preassigned';
      configVersion: number;
      summary: string;
      decisionId: string;
      tier?: string;
      algorithm?: string;
      targets: RouteTarget[];
    };

export interface RouteRequest {
  tenantId: string;
  leadId: string;
  sourceId: string;
  serviceLine: string;
  geography?: Geography;
  flags: string[];
  preassignedEndpointId?: string;
  /** Everyone who failed delivery or let an offer lapse: never chosen again for this lead. */
  exclude: string[];
  /** Numbered per lead, every routing (failover, reassignment) a new one: a retried round starts clean. */
  round: number;
  /** Workflow time: schedules and cap windows are judged at it, so tests with time skipping and production agree. */
  at: number;
}

export interface DeliveryRequest {
  tenantId: string;
  leadId: string;
  sourceId: string;
  /** The lead as the workflow holds it: delivery reads nothing back. */
  lead: LeadInput;
  endpointId: string;
  /** Stable per lead × endpoint: a retry is never a second lead at the receiver. */
  idempotencyKey: string;
}

export interface DeliveryReceipt {
  endpointId: string;
  method: string;
  status?: number;
  receiverRef?: string;
  /** Further methods (a text to the branch owner, say) are notices: their failures are reported, never failed over. */
  notices?: Array<{ method: string; ok: boolean; reason?: string }>;
}

export interface OfferRequest {
  tenantId: string;
  leadId: string;
  endpointIds: string[];
  round: number;
  deadlineSec: number;
  /** Pause the clock while the (first) receiver is outside its business hours. */
  pauseOutsideHours?: boolean;
  /** Workflow time the offer is made at. */
  at: number;
}

export interface LeadActivities {
  recordEvents(events: LeadEvent[]): Promise<void>;
  loadLeadContext(input: { tenantId: string; sourceId: string }): Promise<LeadContext>;
  validateLead(input: { tenantId: string; leadId: string; sourceId: string; receivedAt: number; lead: LeadInput; duplicateWindowMs: number; replacementOf?: string }): Promise<ValidationOutcome>;
  sendAutoResponse(input: { tenantId: string; leadId: string; sourceId: string; lead: LeadInput; channels: Array<'sms' | 'email'> }): Promise<{ sent: string[]; skipped?: string }>;
  routeLead(input: RouteRequest): Promise<RouteOutcome>;
  deliverLead(input: DeliveryRequest): Promise<DeliveryReceipt>;
  releaseReservations(input: { leadId: string; keys: string[] }): Promise<number>;
  /** Notifies the offered endpoints and returns the deadline, paused outside their business hours where configured. */
  offerLead(input: OfferRequest): Promise<{ deadlineAt: number }>;
  /** In-app notifications; no endpoint ids means the tenant's managers. `key` makes a retry harmless. */
  notify(input: { tenantId: string; leadId: string; kind: 'lapsed' | 'escalated' | 'claimed' | 'reassigned' | 'shared'; endpointIds: string[]; message: string; key: string }): Promise<void>;
  returnStats(input: { tenantId: string; sourceId: string }): Promise<ReturnStats>;
}
