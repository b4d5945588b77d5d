import type { Connection } from 'mongoose';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { applyLeadEvent, type LeadState } from '../domain/lifecycle/lead-state.ts';
import type { ReturnStats } from '../domain/lifecycle/return-policy.ts';
import { daysOfLeadDoc, fromLeadDoc, leadModel, toLeadDoc, utcDay } from './models/lead.ts';
import { leadDays } from './lead-days.ts';
import { leadEventModel, toEvent } from './models/lead-event.ts';
import { isDuplicateKey, onlyDuplicateKeys } from './duplicate-key.ts';

/**
 * Lead events and the lead read model. Events are appended with their unique
 * ids; the lead document is then advanced through the events that follow its
 * last applied sequence, in order, so a retried or out-of-order write can only
 * ever catch it up, never skip or repeat an event.
 */
/** Optional follow-ups after an append (kept apart from the store's own work). */
export interface LeadStoreHooks {
  /** Runs after the events are stored and the lead documents projected, e.g. reporting's `projectReportFacts`. */
  afterAppend?: (leadIds: string[], events: readonly LeadEvent[]) => Promise<void>;
}

/**
 * Lead states this process projected last, kept for the next flush of the
 * same lead (it then reads nothing). A lead's flushes from intake to delivery
 * come within seconds; later ones (a claim, a lapse, a return) may come hours
 * later and then read the lead by `_id` once. The bound was 20,000, every
 * lead of a 10,000-lead memory run (issue #16); 2,000 is 100 s of leads at 20/s.
 */
const RECENT_LEADS = 2_000;

export function leadStore(conn: Connection, hooks: LeadStoreHooks = {}) {
  const Events = leadEventModel(conn);
  const Leads = leadModel(conn);
  const days = leadDays(conn);
  const recent = new Map<string, LeadState>();
  const seen = new Map<string, number>();

  /**
   * Advances the lead document through the events after its last applied
   * sequence. Events in hand are used as they are; any missing one is read by
   * its id (`${leadId}#${seq}`), so this never queries by anything but `_id`.
   */
  async function project(leadId: string, inHand: readonly LeadEvent[] = [], mayExist = false): Promise<LeadState | undefined> {
    const bySeq = new Map(inHand.filter((e) => e.leadId === leadId).map((e) => [e.seq, e]));
    // Flushes of one lead come one after another, usually to the same worker:
    // the last state this process wrote saves reading it back. A worker whose
    // copy is behind reads the events it missed by id below. A flush that
    // brings event 1 is the lead's first: there is nothing to read yet, and
    // the insert below proves it (a retried first flush finds it there).
    let state: LeadState | undefined = recent.get(leadId);
    const first = !state && !mayExist && bySeq.has(1);
    if (!state && !first) {
      const doc = await Leads.findById(leadId).lean();
      state = doc ? fromLeadDoc(doc) : undefined;
    }
    const after = state?.lastEventSeq ?? 0;
    // With events in hand, read only what is missing before the last of them; the
    // end is known, and probing past it would cost a read that finds nothing (on
    // FerretDB a scan of every event). Without any (a rebuild), read to the end.
    // A batch that arrives after a later one (a retried flush) must also pick
    // up what was stored beyond it: read up to the highest sequence seen here.
    const last = bySeq.size > 0 ? Math.max(...bySeq.keys(), seen.get(leadId) ?? 0) : Infinity;
    if (bySeq.size > 0) seen.set(leadId, last);
    for (let seq = after + 1; seq <= last; seq++) {
      let e = bySeq.get(seq);
      if (!e) {
        const d = await Events.findById(`${leadId}#${seq}`).lean();
        if (!d) break; // the end, or a gap: an earlier event is still on its way
        e = toEvent(d);
      }
      state = applyLeadEvent(state, e);
    }
    const doc = state && toLeadDoc(state);
    // The day first: a list walks the tenant's days, so a lead written before its day could be missed.
    if (doc) await days.record(doc.tenantId, daysOfLeadDoc(doc));
    if (first && doc) {
      try {
        await Leads.create(doc);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return project(leadId, inHand, true); // written before (a retried flush): catch it up the usual way
      }
    } else if (doc && doc.lastEventSeq !== after) {
      await Leads.replaceOne({ _id: leadId }, doc, { upsert: true }).catch((err) => {
        if (!isDuplicateKey(err)) throw err; // a concurrent first insert: the next flush catches up
      });
    }
    if (state) {
      recent.delete(leadId);
      recent.set(leadId, state);
      if (recent.size > RECENT_LEADS) recent.delete(recent.keys().next().value!);
      if (seen.size > RECENT_LEADS) seen.delete(seen.keys().next().value!);
    }
    return state;
  }

  return {
    project,

    async append(events: LeadEvent[]): Promise<void> {
      if (events.length === 0) return;
      const docs = events.map(({ id, ...rest }) => ({ _id: id, ...rest }));
      await Events.insertMany(docs, { ordered: false }).catch((err) => {
        if (!onlyDuplicateKeys(err)) throw err;
      });
      const leadIds = [...new Set(events.map((e) => e.leadId))];
      for (const leadId of leadIds) await project(leadId, events);
      if (hooks.afterAppend) await hooks.afterAppend(leadIds, events);
    },

    /** A lead's events in order, read by id (no scan). */
    async events(leadId: string): Promise<LeadEvent[]> {
      const out: LeadEvent[] = [];
      for (let seq = 1; ; seq++) {
        const d = await Events.findById(`${leadId}#${seq}`).lean();
        if (!d) return out;
        out.push(toEvent(d));
      }
    },

    async get(leadId: string): Promise<LeadState | undefined> {
      const doc = await Leads.findById(leadId).lean();
      return doc ? fromLeadDoc(doc) : undefined;
    },

    /** Deliveries and accepted returns of a source over the trailing window (30 days by default), read day by day. */
    async returnStats(tenantId: string, sourceId: string, now: number, windowMs = 30 * 24 * 3600_000): Promise<ReturnStats> {
      const since = now - windowMs;
      const stats = { delivered: 0, returned: 0 };
      for await (const day of days.of(tenantId, utcDay(since), utcDay(now))) {
        const docs = await Leads.find({ tenantId, sourceId, deliveredDay: day }, { deliveredAt: 1, returned: 1 }).lean();
        for (const d of docs) {
          if (d.deliveredAt === undefined || d.deliveredAt < since) continue;
          stats.delivered++;
          if (d.returned !== undefined) stats.returned++;
        }
      }
      return stats;
    },
  };
}

export type LeadStore = ReturnType<typeof leadStore>;
