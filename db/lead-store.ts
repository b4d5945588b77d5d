import type { Connection } from 'mongoose';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { applyLeadEvent, type LeadState } from '../domain/lifecycle/lead-state.ts';
import type { ReturnStats } from '../domain/lifecycle/return-policy.ts';
import { leadModel } from './models/lead.ts';
import { leadEventModel, toEvent } from './models/lead-event.ts';

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;
const allDuplicates = (err: unknown) => {
  const e = err as { code?: number; writeErrors?: Array<{ code?: number; err?: { code?: number } }> };
  if (e?.code === 11000 && !e.writeErrors) return true;
  return !!e?.writeErrors?.length && e.writeErrors.every((w) => (w.code ?? w.err?.code) === 11000);
};

/**
 * Lead events and the lead read model. Events are appended with their unique
 * ids; the lead document is then advanced through the events that follow its
 * last applied sequence, in order, so a retried or out-of-order write can only
 * ever catch it up, never skip or repeat an event.
 */
/** Optional follow-ups after an append (kept apart from the store's own work). */
export interface LeadStoreHooks {
  /** Runs after the events are stored and the lead documents projected, e.g. reporting's `projectReportFacts`. */
  afterAppend?: (leadIds: string[]) => Promise<void>;
}

export function leadStore(conn: Connection, hooks: LeadStoreHooks = {}) {
  const Events = leadEventModel(conn);
  const Leads = leadModel(conn);

  async function project(leadId: string): Promise<LeadState | undefined> {
    const doc = await Leads.findById(leadId).lean();
    let state: LeadState | undefined = doc ? (({ _id, ...s }) => s as LeadState)(doc) : undefined;
    const after = state?.lastEventSeq ?? 0;
    const next = await Events.find({ leadId, seq: { $gt: after } }).sort({ seq: 1 }).lean();
    let expected = after + 1;
    for (const d of next) {
      if (d.seq !== expected) break; // a gap: an earlier event is still on its way
      state = applyLeadEvent(state, toEvent(d));
      expected += 1;
    }
    if (state && state.lastEventSeq !== after) {
      await Leads.replaceOne({ _id: leadId }, { _id: leadId, ...state }, { upsert: true }).catch((err) => {
        if (!isDuplicateKey(err)) throw err; // a concurrent first insert: the next flush catches up
      });
    }
    return state;
  }

  return {
    project,

    async append(events: LeadEvent[]): Promise<void> {
      if (events.length === 0) return;
      const docs = events.map(({ id, ...rest }) => ({ _id: id, ...rest }));
      await Events.insertMany(docs, { ordered: false }).catch((err) => {
        if (!allDuplicates(err)) throw err;
      });
      const leadIds = [...new Set(events.map((e) => e.leadId))];
      for (const leadId of leadIds) await project(leadId);
      if (hooks.afterAppend) await hooks.afterAppend(leadIds);
    },

    async events(leadId: string): Promise<LeadEvent[]> {
      return (await Events.find({ leadId }).sort({ seq: 1 }).lean()).map(toEvent);
    },

    async get(leadId: string): Promise<LeadState | undefined> {
      const doc = await Leads.findById(leadId).lean();
      return doc ? (({ _id, ...s }) => s as LeadState)(doc) : undefined;
    },

    /** Deliveries and accepted returns of a source over the trailing window (30 days by default). */
    async returnStats(tenantId: string, sourceId: string, now: number, windowMs = 30 * 24 * 3600_000): Promise<ReturnStats> {
      const since = now - windowMs;
      const [delivered, returned] = await Promise.all([
        Leads.countDocuments({ tenantId, sourceId, deliveredAt: { $gte: since } }),
        Leads.countDocuments({ tenantId, sourceId, deliveredAt: { $gte: since }, returned: { $exists: true } }),
      ]);
      return { delivered, returned };
    },
  };
}

export type LeadStore = ReturnType<typeof leadStore>;
