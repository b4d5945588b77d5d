import type { LeadMarket } from '../geo/lead-geography.ts';
import type { LeadEvent, ValidationSignals } from './lead-events.ts';
import type { BillingState, LeadStatus, RejectReason, SharePermission, WorkStatus } from './lead-status.ts';

export interface Collaborator {
  userId: string;
  permission: SharePermission;
  by: string;
  at: number;
}

export interface LeadState {
  leadId: string;
  tenantId: string;
  sourceId: string;
  serviceLine: string;
  externalId?: string;
  /** Verified where validation resolved it, else as posted. */
  market?: LeadMarket;
  replacementOf?: string;
  status: LeadStatus;
  receivedAt: number;
  costCents: number;
  rejection?: { reason: RejectReason; detail: string };
  flags: string[];
  /** Line type, risk score, identity confidence, as validation measured them. */
  signals?: ValidationSignals;
  configVersion?: number;
  routingSummary?: string;
  /** Why a review tier caught the lead, while it waits in the review queue. */
  reviewReason?: string;
  /** While the lead waits (held while everyone is closed, or paced): until when, and why in words. */
  heldUntil?: number;
  heldReason?: string;
  /** Endpoints the lead is currently offered to (waiting for a claim). */
  offeredTo: string[];
  offerDeadlineAt?: number;
  offerRound: number;
  /** Everyone who let an offer of this lead lapse; never offered it again. */
  lapsedBy: string[];
  /** The single primary owner (an endpoint id), once there is one. */
  ownerEndpointId?: string;
  collaborators: Collaborator[];
  workStatus?: WorkStatus;
  deliveredAt?: number;
  deliveredTo?: string;
  /** What the receiver pays for this lead, where it buys leads. */
  priceCents?: number;
  claimedAt?: number;
  returned?: { reason: string; at: number; creditCents: number; replacementLeadId?: string };
  billing: BillingState;
  lastEventSeq: number;
  updatedAt: number;
}

export function initialLeadState(e: Extract<LeadEvent, { type: 'received' }>): LeadState {
  return {
    leadId: e.leadId,
    tenantId: e.tenantId,
    sourceId: e.data.sourceId,
    serviceLine: e.data.serviceLine,
    ...(e.data.externalId ? { externalId: e.data.externalId } : {}),
    ...(e.data.market ? { market: e.data.market } : {}),
    ...(e.data.replacementOf ? { replacementOf: e.data.replacementOf } : {}),
    status: 'received',
    receivedAt: e.at,
    costCents: e.data.costCents,
    flags: [],
    offeredTo: [],
    offerRound: 0,
    lapsedBy: [],
    collaborators: [],
    billing: 'pending',
    lastEventSeq: e.seq,
    updatedAt: e.at,
  };
}

/**
 * Applies one event. Pure and idempotent by sequence number: an event at or
 * below the last applied sequence changes nothing (projections may replay).
 */
export function applyLeadEvent(state: LeadState | undefined, e: LeadEvent): LeadState {
  if (e.type === 'received') return state ?? initialLeadState(e);
  if (!state) throw new Error(`event ${e.id} (${e.type}) arrived before the lead's "received" event`);
  if (e.seq <= state.lastEventSeq) return state;
  const s: LeadState = { ...state, lastEventSeq: e.seq, updatedAt: e.at };
  switch (e.type) {
    case 'validated':
      return {
        ...s,
        flags: e.data.flags,
        ...(e.data.signals ? { signals: e.data.signals } : {}),
        status: e.data.outcome === 'accepted' ? 'routing' : s.status,
        ...(e.data.market ? { market: e.data.market } : {}),
      };
    case 'rejected':
      return {
        ...s,
        status: 'rejected',
        rejection: { reason: e.data.reason, detail: e.data.detail },
        billing: 'not_billed',
        offeredTo: [],
        heldUntil: undefined,
        heldReason: undefined,
        reviewReason: undefined,
      };
    case 'auto_responded':
      return s;
    case 'routed':
      return {
        ...s,
        configVersion: e.data.configVersion,
        routingSummary: e.data.summary,
        status: e.data.outcome === 'manual_queue' ? 'manual_queue' : 'delivering',
        heldUntil: undefined,
        heldReason: undefined,
      };
    case 'held':
      return { ...s, status: 'held', heldUntil: e.data.until, heldReason: e.data.summary, routingSummary: e.data.summary };
    case 'released':
      return { ...s, heldUntil: undefined, heldReason: undefined };
    case 'review_requested':
      return { ...s, status: 'review', reviewReason: e.data.summary, routingSummary: e.data.summary };
    case 'review_approved':
      return { ...s, status: 'routing', reviewReason: undefined };
    case 'delivered':
      return {
        ...s,
        status: s.status === 'held' ? 'delivering' : s.status,
        heldUntil: undefined,
        heldReason: undefined,
        deliveredAt: s.deliveredAt ?? e.at,
        deliveredTo: e.data.endpointId,
        ...(e.data.priceCents !== undefined ? { priceCents: e.data.priceCents } : {}),
        billing: s.billing === 'pending' ? 'billable' : s.billing,
      };
    case 'delivery_failed':
      return s;
    case 'offered':
      return { ...s, status: 'offered', offeredTo: e.data.endpointIds, offerDeadlineAt: e.data.deadlineAt, offerRound: e.data.round };
    case 'claimed':
      return { ...s, status: 'assigned', ownerEndpointId: e.data.endpointId, claimedAt: e.at, offeredTo: [], offerDeadlineAt: undefined };
    case 'assigned':
      return { ...s, status: 'assigned', ownerEndpointId: e.data.endpointId, offeredTo: [], offerDeadlineAt: undefined };
    case 'viewed':
    case 'alerted':
      return s;
    case 'lapsed':
      return { ...s, offeredTo: [], offerDeadlineAt: undefined, lapsedBy: [...new Set([...s.lapsedBy, ...e.data.endpointIds])] };
    case 'reassigned':
      return { ...s, status: 'assigned', ownerEndpointId: e.data.toEndpointId, offeredTo: [], offerDeadlineAt: undefined };
    case 'escalated':
      return { ...s, status: e.data.kind === 'undeliverable' ? 'undeliverable' : 'escalated', offeredTo: [], offerDeadlineAt: undefined };
    case 'shared': {
      const others = s.collaborators.filter((c) => c.userId !== e.data.userId);
      return { ...s, collaborators: [...others, { userId: e.data.userId, permission: e.data.permission, by: e.actor.userId, at: e.at }] };
    }
    case 'status_changed':
      return { ...s, workStatus: e.data.status };
    case 'return_accepted':
      return {
        ...s,
        billing: 'credited',
        returned: {
          reason: e.data.reason,
          at: e.at,
          creditCents: e.data.creditCents,
          ...(e.data.replacementLeadId ? { replacementLeadId: e.data.replacementLeadId } : {}),
        },
      };
    case 'return_refused':
      return s;
    case 'billing_final':
      return {
        ...s,
        status: s.status === 'rejected' ? s.status : 'closed',
        billing: s.billing === 'credited' || s.billing === 'not_billed' ? s.billing : 'final',
      };
  }
}
