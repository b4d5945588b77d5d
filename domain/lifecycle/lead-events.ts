import type { AlertChannel, AlertKind } from '../../schema/alert-settings.ts';
import type { LeadMarket } from '../geo/lead-geography.ts';
import type { Actor } from './actor.ts';
import type { RejectReason, SharePermission, WorkStatus } from './lead-status.ts';

/** What validation measured that routing may act on, by whichever provider answered. */
export interface ValidationSignals {
  lineType?: string;
  riskScore?: number;
  identityConfidence?: number;
}

/**
 * Everything that happens to a lead, as data. The workflow emits these; the
 * same reducer turns them into the workflow's live state and into the
 * MongoDB read model, so the two can never disagree.
 */
export type LeadEventBody =
  | {
      type: 'received';
      data: {
        sourceId: string;
        serviceLine: string;
        externalId?: string;
        costCents: number;
        preassignedEndpointId?: string;
        /** Where the lead says it is, as posted (before verification): reporting's market when validation never resolved one. */
        market?: LeadMarket;
        replacementOf?: string;
      };
    }
  | {
      type: 'validated';
      data: {
        outcome: 'accepted' | 'rejected';
        steps: Array<{ step: string; outcome: 'pass' | 'flag' | 'fail'; reason?: string }>;
        flags: string[];
        /** What the checks measured that routing acts on (line type, risk score, identity confidence); no value of the consumer's. */
        signals?: ValidationSignals;
        /** The verified market (state, county, ZIP, time zone): what routing and reporting use. */
        market?: LeadMarket;
      };
    }
  | { type: 'rejected'; data: { reason: RejectReason; detail: string } }
  | { type: 'auto_responded'; data: { channels: string[]; skipped?: string } }
  | {
      type: 'routed';
      data: {
        configVersion: number;
        outcome: 'assigned' | 'broadcast' | 'preassigned' | 'manual_queue';
        endpointIds: string[];
        tier?: string;
        algorithm?: string;
        summary: string;
      };
    }
  /** `priceCents`: what the receiver pays (bid × the grant's price factor), where it buys leads. */
  | { type: 'delivered'; data: { endpointId: string; method: string; idempotencyKey: string; priceCents?: number } }
  | { type: 'delivery_failed'; data: { endpointId: string; reason: string } }
  /**
   * The lead waits: `closed` until its turn after the first endpoint that could
   * take it opens (held leads of one market go out in arrival order, within
   * the endpoints' hourly capacity); `paced` until its turn in a paced
   * endpoint's or tier's queue. `zone` is where "until" is read.
   */
  | { type: 'held'; data: { why: 'closed' | 'paced'; until: number; zone?: string; endpointIds: string[]; summary: string } }
  /** A review tier caught the lead: it waits for ops to approve or reject it. `summary` says which tier and why. */
  | { type: 'review_requested'; data: { summary: string } }
  /** Ops approved the lead in review: it routes on, past review tiers. */
  | { type: 'review_approved'; data: { note?: string } }
  /** A manager released a held lead by hand: it is routed now, closed or not. */
  | { type: 'released'; data: Record<string, never> }
  | { type: 'offered'; data: { endpointIds: string[]; deadlineAt: number; round: number } }
  | { type: 'claimed'; data: { endpointId: string; implicit: boolean } }
  /** Ownership on delivery, for receivers that do not claim (a location's system, a partner, a buyer), or by a manager's hand. */
  | { type: 'assigned'; data: { endpointId: string; by: 'delivery' | 'manager' } }
  /** Opening a lead is recorded and never claims it. */
  | { type: 'viewed'; data: { endpointId?: string } }
  | { type: 'lapsed'; data: { endpointIds: string[]; round: number } }
  | { type: 'reassigned'; data: { fromEndpointId?: string; toEndpointId: string; note?: string } }
  | { type: 'escalated'; data: { kind: 'undeliverable' | 'claim_lapses' | 'manual'; reason: string } }
  | { type: 'shared'; data: { userId: string; permission: SharePermission } }
  | { type: 'status_changed'; data: { status: WorkStatus; note?: string } }
  | { type: 'return_accepted'; data: { reason: string; evidence?: string; creditCents: number; replacementLeadId?: string } }
  | { type: 'return_refused'; data: { reason: string; code: string } }
  | { type: 'billing_final'; data: { billedCents: number } }
  /** Who was told what, on which channel: what went out, what failed and what was skipped (and why). */
  | { type: 'alerted'; data: AlertReport };

export type LeadEventType = LeadEventBody['type'];

export type LeadEvent = LeadEventBody & {
  /** `${leadId}#${seq}`: unique, so projecting an event twice changes nothing. */
  id: string;
  leadId: string;
  tenantId: string;
  seq: number;
  at: number;
  actor: Pick<Actor, 'userId' | 'role'>;
};

/** One person on one channel. */
export interface AlertLine {
  userId: string;
  name: string;
  channel: AlertChannel;
}

export interface AlertReport {
  kind: AlertKind;
  sent: AlertLine[];
  failed: Array<AlertLine & { reason: string }>;
  /** Quiet hours, no mobile number, a channel not configured. */
  skipped: Array<AlertLine & { reason: string }>;
}
