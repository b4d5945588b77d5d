// What each step of a lead's lifecycle answers: the activities produce these,
// the lifecycle decider reads them. Plain data, no personal data beyond what
// the lead itself carries.
import type { HeldReservation } from '../allocation/reservation-handle.ts';
import type { Target } from '../allocation/types.ts';
import type { LeadGeography } from '../geo/lead-geography.ts';
import type { ValidationSignals } from './lead-events.ts';
import type { RejectReason } from './lead-status.ts';
import type { ReturnPolicy } from './return-policy.ts';

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

export interface ValidationOutcome {
  outcome: 'accepted' | 'rejected';
  /** What routing may act on: line type, risk score, identity confidence (the flags are below). */
  signals?: ValidationSignals;
  rejectReason?: RejectReason;
  rejectDetail?: string;
  steps: ValidationStepResult[];
  flags: string[];
  geography?: LeadGeography;
  phoneE164?: string;
  consentChannels: Array<'sms' | 'email' | 'phone'>;
}

/** One endpoint a routing round chose, as the workflow carries it: what the decision said about it, and what the round took for it. */
export interface RouteTarget extends Pick<Target, 'endpointId' | 'name' | 'claimRequired' | 'claimDeadlineSec' | 'maxLapses' | 'pauseDeadlineOutsideHours'> {
  /** What the receiver pays for the lead, when it buys leads (absent when nothing). */
  priceCents?: number;
  /** What this lead holds at this endpoint (caps, open-unclaimed, orders); absent when nothing is limited. */
  reservation?: HeldReservation;
  /** A paced endpoint or tier: the lead's turn in its queue, when that is later than the routing. */
  deliverAt?: number;
}

export type RouteOutcome =
  | { kind: 'no_coverage'; configVersion: number; summary: string; decisionId: string }
  | { kind: 'manual_queue'; configVersion: number; summary: string; decisionId: string }
  /** Everyone who could take it is closed now: the lead waits for its turn after the first of them opens. */
  | { kind: 'held'; configVersion: number; summary: string; decisionId: string; until: number; opensAt: number; zone: string }
  /** Everyone who could take it is closed now, and the plan rejects such leads. */
  | { kind: 'closed'; configVersion: number; summary: string; decisionId: string }
  /** A review tier caught it: it waits for ops to approve or reject it. */
  | { kind: 'review'; configVersion: number; summary: string; decisionId: string }
  | {
      kind: 'assigned' | 'broadcast' | 'preassigned';
      configVersion: number;
      summary: string;
      decisionId: string;
      tier?: string;
      algorithm?: string;
      targets: RouteTarget[];
    };

export interface DeliveryReceipt {
  endpointId: string;
  method: string;
  status?: number;
  receiverRef?: string;
  /** Further methods (a text to the branch owner, say) are notices: their failures are reported, never failed over. */
  notices?: Array<{ method: string; ok: boolean; reason?: string }>;
}

/** One delivery's end, as the workflow saw it: a receipt, or the reason the retries gave up. */
export type DeliveryOutcome =
  { target: RouteTarget; ok: true; receipt: DeliveryReceipt; idempotencyKey: string } | { target: RouteTarget; ok: false; reason: string };
