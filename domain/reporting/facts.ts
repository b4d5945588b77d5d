import type { LeadMarket } from '../geo/lead-geography.ts';
import type { LeadEvent } from '../lifecycle/lead-events.ts';
import type { RejectReason, WorkStatus } from '../lifecycle/lead-status.ts';
import { localDay, monthOf } from './calendar.ts';

/**
 * What reporting needs to know about one lead, recomputed from that lead's
 * events alone. Writing it by key (the lead id) is idempotent and order-safe:
 * the same events always give the same fact, and more events only ever give a
 * later fact.
 */
export interface LeadFact {
  leadId: string;
  tenantId: string;
  sourceId: string;
  serviceLine: string;
  receivedAt: number;
  /** Local date of receipt in the tenant's zone: everything about the lead counts on this day. */
  day: string;
  month: string;
  /** Market: verified where validation resolved it, else as posted; "" when unknown. */
  state: string;
  county: string;
  costCents: number;
  outcome: 'pending' | 'accepted' | 'rejected';
  rejectReason?: RejectReason;
  /** First successful delivery to any receiver. */
  deliveredAt?: number;
  /** First claim by any receiver. */
  claimedAt?: number;
  escalated?: 'undeliverable' | 'claim_lapses' | 'manual';
  /** Waiting now: held while everyone who could take it is closed, or paced, and not yet delivered. */
  waiting?: { why: 'closed' | 'paced'; until: number };
  returned?: { reason: string; at: number; creditCents: number; endpointId?: string };
  billingFinal?: { at: number; billedCents: number };
  replacementOf?: string;
  /** Highest sequence number folded in (events after a gap wait for the missing one). */
  lastSeq: number;
}

/** One receiver's part in a lead: offers, delivery, claim, statuses, what it pays. */
export interface EndpointFact {
  leadId: string;
  tenantId: string;
  endpointId: string;
  sourceId: string;
  receivedAt: number;
  /** When the lead first reached this receiver (offer, delivery or hand assignment); its metrics count on this local day. */
  firstAt: number;
  day: string;
  offers: number;
  lapses: number;
  deliveryFailures: number;
  deliveredAt?: number;
  /** What the receiver pays for the lead (first priced delivery to it). */
  priceCents?: number;
  /** Local month of the priced delivery: the buyer statement it belongs to. */
  billingMonth?: string;
  claimedAt?: number;
  /** From the moment the lead was put in front of this receiver (its last offer or delivery) to its claim. */
  claimMs?: number;
  /** Work statuses reached while this receiver owned the lead. */
  statuses: WorkStatus[];
  /** A return accepted while this receiver held the lead: it is credited its price. */
  returned?: { reason: string; at: number };
  /** The lead went on to another receiver after this one. */
  movedOn: boolean;
  billingFinalAt?: number;
  lastSeq: number;
}

export interface LeadFacts {
  lead: LeadFact;
  endpoints: EndpointFact[];
}

const marketOf = (m: LeadMarket | undefined) => ({ state: m?.state ?? '', county: m?.countyFips ?? '' });

/**
 * Folds a lead's events into its facts. Events may arrive in any order and
 * twice: they are de-duplicated by sequence number and only the unbroken run
 * from the "received" event (seq 1) is used. Undefined until "received" is there.
 */
export function factsFromEvents(events: readonly LeadEvent[], timeZone: string): LeadFacts | undefined {
  const bySeq = new Map<number, LeadEvent>();
  for (const e of events) if (!bySeq.has(e.seq)) bySeq.set(e.seq, e);
  const first = bySeq.get(1);
  if (!first || first.type !== 'received') return undefined;

  const receivedDay = localDay(first.at, timeZone);
  const lead: LeadFact = {
    leadId: first.leadId,
    tenantId: first.tenantId,
    sourceId: first.data.sourceId,
    serviceLine: first.data.serviceLine,
    receivedAt: first.at,
    day: receivedDay,
    month: monthOf(receivedDay),
    ...marketOf(first.data.market),
    costCents: first.data.costCents,
    outcome: 'pending',
    ...(first.data.replacementOf ? { replacementOf: first.data.replacementOf } : {}),
    lastSeq: 1,
  };

  const eps = new Map<string, EndpointFact & { shownAt: number }>();
  const touch = (endpointId: string, at: number) => {
    let f = eps.get(endpointId);
    if (!f) {
      const day = localDay(at, timeZone);
      f = {
        leadId: lead.leadId,
        tenantId: lead.tenantId,
        endpointId,
        sourceId: lead.sourceId,
        receivedAt: lead.receivedAt,
        firstAt: at,
        day,
        offers: 0,
        lapses: 0,
        deliveryFailures: 0,
        statuses: [],
        movedOn: false,
        lastSeq: 0,
        shownAt: at,
      };
      eps.set(endpointId, f);
    }
    return f;
  };
  let owner: string | undefined;
  /** The receiver holding the lead (its owner, else its last delivery): a return is made by it and credits it. */
  let holder: string | undefined;
  const handTo = (endpointId: string) => {
    if (holder && holder !== endpointId) eps.get(holder)!.movedOn = true;
    holder = endpointId;
  };

  for (let seq = 2; bySeq.has(seq); seq++) {
    const e = bySeq.get(seq)!;
    lead.lastSeq = seq;
    switch (e.type) {
      case 'validated':
        if (e.data.market) Object.assign(lead, marketOf(e.data.market));
        if (e.data.outcome === 'accepted' && lead.outcome === 'pending') lead.outcome = 'accepted';
        break;
      case 'rejected':
        lead.outcome = 'rejected';
        lead.rejectReason = e.data.reason;
        delete lead.waiting;
        break;
      case 'delivered': {
        const f = touch(e.data.endpointId, e.at);
        f.shownAt = e.at;
        if (f.deliveredAt === undefined) f.deliveredAt = e.at;
        if (f.priceCents === undefined && e.data.priceCents !== undefined) {
          f.priceCents = e.data.priceCents;
          f.billingMonth = monthOf(localDay(e.at, timeZone));
        }
        if (lead.deliveredAt === undefined) lead.deliveredAt = e.at;
        delete lead.waiting;
        handTo(e.data.endpointId);
        break;
      }
      case 'delivery_failed':
        touch(e.data.endpointId, e.at).deliveryFailures += 1;
        break;
      case 'held':
        lead.waiting = { why: e.data.why, until: e.data.until };
        break;
      case 'routed':
        if (lead.waiting?.why === 'closed') delete lead.waiting;
        break;
      case 'offered':
        for (const id of e.data.endpointIds) {
          const f = touch(id, e.at);
          f.offers += 1;
          f.shownAt = e.at;
        }
        break;
      case 'lapsed':
        for (const id of e.data.endpointIds) touch(id, e.at).lapses += 1;
        break;
      case 'claimed': {
        const f = touch(e.data.endpointId, e.at);
        if (f.claimedAt === undefined) {
          f.claimedAt = e.at;
          f.claimMs = Math.max(0, e.at - f.shownAt);
        }
        if (lead.claimedAt === undefined) lead.claimedAt = e.at;
        owner = e.data.endpointId;
        handTo(owner);
        break;
      }
      case 'assigned':
        touch(e.data.endpointId, e.at);
        owner = e.data.endpointId;
        handTo(owner);
        break;
      case 'reassigned':
        touch(e.data.toEndpointId, e.at);
        owner = e.data.toEndpointId;
        handTo(owner);
        break;
      case 'escalated':
        lead.escalated = e.data.kind;
        break;
      case 'status_changed':
        if (owner) {
          const f = eps.get(owner)!;
          if (!f.statuses.includes(e.data.status)) f.statuses.push(e.data.status);
        }
        break;
      case 'return_accepted':
        if (!lead.returned) {
          lead.returned = { reason: e.data.reason, at: e.at, creditCents: e.data.creditCents, ...(holder ? { endpointId: holder } : {}) };
          if (holder) eps.get(holder)!.returned = { reason: e.data.reason, at: e.at };
        }
        break;
      case 'billing_final':
        if (!lead.billingFinal) lead.billingFinal = { at: e.at, billedCents: e.data.billedCents };
        for (const f of eps.values()) if (f.billingFinalAt === undefined) f.billingFinalAt = e.at;
        break;
      default:
        break; // received again, routing, attempts, views, shares, refusals: nothing to count
    }
  }

  const endpoints = [...eps.values()].map(({ shownAt: _shown, ...f }) => ({ ...f, lastSeq: lead.lastSeq }));
  return { lead, endpoints };
}

/** Key of an endpoint fact: one per lead and receiver. */
export const endpointFactId = (f: Pick<EndpointFact, 'leadId' | 'endpointId'>) => `${f.leadId}|${f.endpointId}`;
