// The activity signatures the lead workflow calls. Types only: the workflow
// imports this file with `import type`, the implementations live beside it.
// What the steps answer is domain data (`domain/lifecycle/step-results.ts`).
import type { ReservationHandle } from '../domain/allocation/reservation-handle.ts';
import type { LeadGeography } from '../domain/geo/lead-geography.ts';
import type { AlertReport } from '../domain/lifecycle/lead-events.ts';
import type { LeadSummary } from '../domain/alerts/alert-text.ts';
import type { Notice } from '../domain/lifecycle/decision.ts';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import type { LeadInput } from '../domain/intake/lead-input.ts';
import type { ReturnStats } from '../domain/lifecycle/return-policy.ts';
import type { DeliveryReceipt, LeadContext, RouteOutcome, ValidationOutcome } from '../domain/lifecycle/step-results.ts';

export interface RouteRequest {
  tenantId: string;
  leadId: string;
  sourceId: string;
  serviceLine: string;
  geography?: LeadGeography;
  flags: string[];
  preassignedEndpointId?: string;
  /** A manager released the held lead by hand: closed endpoints count as accepting after hours. */
  ignoreSchedules?: boolean;
  /** What validation found beside its flags, for tiers that select or pass over leads by it. */
  signals?: { lineType?: string; riskScore?: number; identityConfidence?: number };
  /** Ops approved the lead in review: review tiers are passed over. */
  reviewed?: boolean;
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
  /** The receiver must claim the lead first: its phone, email and street go masked. */
  contactHidden?: boolean;
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

export interface ValidationRequest {
  tenantId: string;
  leadId: string;
  sourceId: string;
  receivedAt: number;
  lead: LeadInput;
  duplicateWindowMs: number;
  /** A replacement is not a duplicate of the lead it replaces. */
  replacementOf?: string;
}

/** A notice to carry out, with what the alert may say about the lead (never its contact). */
export interface AlertRequest extends Notice {
  tenantId: string;
  leadId: string;
  lead: LeadSummary;
}

export interface LeadActivities {
  recordEvents(events: LeadEvent[]): Promise<void>;
  loadLeadContext(input: { tenantId: string; sourceId: string }): Promise<LeadContext>;
  validateLead(input: ValidationRequest): Promise<ValidationOutcome>;
  /**
   * Both of the above as the lead's first step, one local activity: the
   * source's context, then, when the source takes leads (no `problem`), the
   * validation chain under the source's duplicate window.
   */
  receiveLead(input: Omit<ValidationRequest, 'duplicateWindowMs'>): Promise<{ context: LeadContext; validation?: ValidationOutcome }>;
  sendAutoResponse(input: {
    tenantId: string;
    leadId: string;
    sourceId: string;
    lead: LeadInput;
    channels: Array<'sms' | 'email'>;
  }): Promise<{ sent: string[]; skipped?: string }>;
  routeLead(input: RouteRequest): Promise<RouteOutcome>;
  deliverLead(input: DeliveryRequest): Promise<DeliveryReceipt>;
  /** Gives back everything held under these handles; a handle given back before gives nothing twice. */
  releaseReservations(input: { handles: ReservationHandle[] }): Promise<number>;
  /** Gives back only what lasts until the lead has an owner (the open-unclaimed units). */
  settleReservations(input: { handles: ReservationHandle[] }): Promise<number>;
  /** Notifies the offered endpoints and returns the deadline, paused outside their business hours where configured. */
  offerLead(input: OfferRequest): Promise<{ deadlineAt: number }>;
  /** Alerts the people a notice names, in the app, by email and by SMS as each chose; `key` makes a retry or replay harmless. */
  notify(input: AlertRequest): Promise<AlertReport>;
  returnStats(input: { tenantId: string; sourceId: string }): Promise<ReturnStats>;
}
