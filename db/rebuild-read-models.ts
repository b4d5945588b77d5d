import type { Connection } from 'mongoose';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { applyLeadEvent, type LeadState } from '../domain/lifecycle/lead-state.ts';
import { factsFromEvents, type LeadFacts } from '../domain/reporting/facts.ts';
import {
  addEndpointFact,
  addLeadFact,
  emptyEndpointMetrics,
  emptySourceMetrics,
  sourceRowKey,
  type EndpointRollupRow,
  type SourceRollupRow,
} from '../domain/reporting/rollups.ts';
import { leadModel } from './models/lead.ts';
import { leadEventModel, toEvent } from './models/lead-event.ts';
import { MAX_BULK_UPDATES, reportStore, tenantReportSettings } from './report-store.ts';

export interface RebuildSummary {
  events: number;
  leads: number;
  endpointFacts: number;
  blocks: number;
  tenants: string[];
}

/** The reducer over the unbroken run of events from seq 1, exactly as the lead store projects it. */
function leadStateOf(events: readonly LeadEvent[]): LeadState | undefined {
  let state: LeadState | undefined;
  let expected = 1;
  for (const e of events) {
    if (e.seq < expected) continue; // a duplicate
    if (e.seq !== expected) break; // a gap: stop where the lead store would
    state = applyLeadEvent(state, e);
    expected += 1;
  }
  return state;
}

interface TenantDays {
  source: Map<string, Map<string, SourceRollupRow>>;
  endpoint: Map<string, Map<string, EndpointRollupRow>>;
}

/**
 * Rebuilds every read model from the `lead_events` collection: the lead
 * documents (the lead reducer), the reporting facts and all rollup blocks.
 * Everything is replaced by key, so running it twice gives the same result;
 * blocks no longer backed by any fact are removed, and the change marks seen
 * at the start are cleared (marks written during the run stay for the next
 * refresh).
 */
export async function rebuildReadModels(conn: Connection, opts: { tenantId?: string; log?: (line: string) => void } = {}): Promise<RebuildSummary> {
  const log = opts.log ?? (() => undefined);
  const Events = leadEventModel(conn);
  const Leads = leadModel(conn);
  const store = reportStore(conn);
  await Events.createIndexes();
  await Leads.createIndexes();
  await store.ensureIndexes();

  const filter = opts.tenantId ? { tenantId: opts.tenantId } : {};
  const tenantsBefore = new Map<string, string[]>();
  const zones = new Map<string, string>();
  const zoneOf = async (tenantId: string) => {
    if (!zones.has(tenantId)) {
      zones.set(tenantId, (await tenantReportSettings(conn, tenantId)).timeZone);
      tenantsBefore.set(tenantId, (await store.marksOf(tenantId)).map((m) => m._id));
    }
    return zones.get(tenantId)!;
  };

  const days = new Map<string, TenantDays>();
  const summary: RebuildSummary = { events: 0, leads: 0, endpointFacts: 0, blocks: 0, tenants: [] };
  let leadOps: unknown[] = [];
  let facts: LeadFacts[] = [];
  const flush = async () => {
    for (let i = 0; i < leadOps.length; i += MAX_BULK_UPDATES) await Leads.collection.bulkWrite(leadOps.slice(i, i + MAX_BULK_UPDATES) as never, { ordered: false });
    if (facts.length) await store.writeFacts(facts);
    leadOps = [];
    facts = [];
  };

  const fold = async (events: LeadEvent[]) => {
    const state = leadStateOf(events);
    if (!state) return;
    leadOps.push({ replaceOne: { filter: { _id: state.leadId }, replacement: { _id: state.leadId, ...state }, upsert: true } });
    const f = factsFromEvents(events, await zoneOf(state.tenantId));
    if (f) {
      facts.push(f);
      let t = days.get(state.tenantId);
      if (!t) days.set(state.tenantId, (t = { source: new Map(), endpoint: new Map() }));
      const srcDay = t.source.get(f.lead.day) ?? new Map<string, SourceRollupRow>();
      t.source.set(f.lead.day, srcDay);
      const key = sourceRowKey(f.lead);
      const row = srcDay.get(key) ?? { sourceId: f.lead.sourceId, state: f.lead.state, county: f.lead.county, m: emptySourceMetrics() };
      srcDay.set(key, row);
      addLeadFact(row.m, f.lead);
      for (const e of f.endpoints) {
        const epDay = t.endpoint.get(e.day) ?? new Map<string, EndpointRollupRow>();
        t.endpoint.set(e.day, epDay);
        const r = epDay.get(e.endpointId) ?? { endpointId: e.endpointId, m: emptyEndpointMetrics() };
        epDay.set(e.endpointId, r);
        addEndpointFact(r.m, e);
        summary.endpointFacts += 1;
      }
    }
    summary.leads += 1;
    if (leadOps.length >= 1000) await flush();
  };

  let current: LeadEvent[] = [];
  const cursor = Events.find(filter).sort({ leadId: 1, seq: 1 }).lean().cursor({ batchSize: 2000 });
  for await (const doc of cursor) {
    const e = toEvent(doc);
    summary.events += 1;
    if (current.length && current[0]!.leadId !== e.leadId) {
      await fold(current);
      current = [];
    }
    current.push(e);
    if (summary.events % 100_000 === 0) log(`${summary.events} events, ${summary.leads} leads`);
  }
  if (current.length) await fold(current);
  await flush();

  for (const [tenantId, t] of days) {
    summary.blocks += await store.replaceAllRollups(tenantId, {
      source: new Map([...t.source].map(([d, rows]) => [d, [...rows.values()]])),
      endpoint: new Map([...t.endpoint].map(([d, rows]) => [d, [...rows.values()]])),
    });
    await store.deleteMarks(tenantsBefore.get(tenantId) ?? []);
  }
  summary.tenants = [...days.keys()].sort();
  log(`rebuilt ${summary.leads} leads from ${summary.events} events; ${summary.endpointFacts} endpoint facts; ${summary.blocks} rollup blocks for ${summary.tenants.length} tenant(s)`);
  return summary;
}
