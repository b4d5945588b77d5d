import type { Connection } from 'mongoose';
import { leadStore, type LeadStore } from '../db/lead-store.ts';
import { notificationStore, type Notification, type NotificationStore } from '../db/notification-store.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';

export interface OpenOffer {
  tenantId: string;
  endpointId: string;
  leadId: string;
  round: number;
  deadlineAt: number;
  lead: LeadState;
}

/** How far back an inbox is read for offers that may still be open. */
export const OFFER_LOOKBACK = 100;
/** The offer notification is written just before the read model shows the offer: a young one is looked at again. */
export const OFFER_SETTLE_MS = 60_000;

type Verdict = { kind: 'open'; offer: OpenOffer } | { kind: 'pending' } | { kind: 'gone' };

/**
 * An endpoint's open offers, found through its in-app inbox (every offer
 * leaves an `offered` notification there, with its claim deadline) and
 * checked against the lead read model, all by point reads on `_id`: no
 * filtered query over the `leads` collection, which FerretDB would answer by
 * scanning it. Only offers still inside their deadline cost a lead read.
 */
export function openOffers(mongo: Connection, deps: { notes?: NotificationStore; leads?: LeadStore } = {}) {
  const notes = deps.notes ?? notificationStore(mongo);
  const leads = deps.leads ?? leadStore(mongo);

  async function judge(tenantId: string, endpointId: string, n: Notification, now: number): Promise<Verdict> {
    // Past its deadline an offer can no longer be claimed: no need to read the lead (on FerretDB even a
    // point read costs time in proportion to the collection).
    if (n.deadlineAt !== undefined && n.deadlineAt <= now) return { kind: 'gone' };
    const lead = await leads.get(n.leadId);
    const young = now - n.at <= OFFER_SETTLE_MS;
    if (!lead) return young ? { kind: 'pending' } : { kind: 'gone' };
    if (lead.tenantId !== tenantId) return { kind: 'gone' };
    if (lead.status === 'offered' && lead.offeredTo.includes(endpointId)) {
      return { kind: 'open', offer: { tenantId, endpointId, leadId: lead.leadId, round: lead.offerRound, deadlineAt: lead.offerDeadlineAt ?? 0, lead } };
    }
    const over = !young || !!lead.ownerEndpointId || lead.lapsedBy.includes(endpointId);
    return over ? { kind: 'gone' } : { kind: 'pending' };
  }

  const offeredNotes = async (tenantId: string, endpointId: string, limit: number) => {
    const seen = new Set<string>();
    // Newest first; one offer per lead (an endpoint is never offered the same lead twice).
    return (await notes.latest(tenantId, endpointId, limit)).filter((n) => n.kind === 'offered' && !seen.has(n.leadId) && seen.add(n.leadId));
  };

  return {
    /** The endpoint's offers waiting for a claim now, newest first. */
    async list(tenantId: string, endpointId: string, now: number, limit = OFFER_LOOKBACK): Promise<OpenOffer[]> {
      const verdicts = await Promise.all((await offeredNotes(tenantId, endpointId, limit)).map((n) => judge(tenantId, endpointId, n, now)));
      return verdicts.flatMap((v) => (v.kind === 'open' ? [v.offer] : []));
    },

    /**
     * For a subscription: each call returns the offers not returned before,
     * oldest first. A notification is settled once its offer was returned or
     * is known to be over; after that it costs nothing (the inbox's documents
     * are cached in process), so a quiet poll is a single point read.
     */
    watcher(tenantId: string, endpointId: string, lookback = 20) {
      const settled = new Set<string>();
      return async (now: number): Promise<OpenOffer[]> => {
        const fresh: OpenOffer[] = [];
        for (const n of (await offeredNotes(tenantId, endpointId, lookback)).reverse()) {
          const key = `${n.leadId}@${n.at}`;
          if (settled.has(key)) continue;
          const v = await judge(tenantId, endpointId, n, now);
          if (v.kind === 'pending') continue;
          settled.add(key);
          if (settled.size > 5000) settled.delete(settled.values().next().value!);
          if (v.kind === 'open') fresh.push(v.offer);
        }
        return fresh;
      };
    },
  };
}

export type OpenOffers = ReturnType<typeof openOffers>;
