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
import { daysOfLeadDoc, leadModel, toLeadDoc } from './models/lead.ts';
import { leadDays } from './lead-days.ts';
import { leadEventModel, toEvent } from './models/lead-event.ts';
import { insertIgnoringDuplicates, reportStore, tenantReportSettings } from './report-store.ts';

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
 *
 * Facts and lead documents are deleted and inserted again rather than
 * replaced one by one: on the FerretDB test server every update or lookup by
 * key scans its collection, while inserts do not, so this is the only way a
 * million events rebuild in minutes rather than hours. Running it twice gives
 * the same result. A projection racing the rebuild is harmless: its
 * document wins over the rebuild's insert (a duplicate key), and a lead store
 * that finds its lead document gone folds it again from the events. While it
 * runs, lead lists and statements of the tenant are incomplete; reports are
 * not (rollups are replaced at the end). Change marks seen at the start are
 * cleared; marks written during the run stay for the next refresh.
 */
export async function rebuildReadModels(
  conn: Connection,
  opts: { tenantId?: string; leads?: boolean; log?: (line: string) => void } = {},
): Promise<RebuildSummary> {
  const log = opts.log ?? (() => undefined);
  const withLeads = opts.leads ?? true;
  const Events = leadEventModel(conn);
  const Leads = leadModel(conn);
  const leadDayList = leadDays(conn);
  const store = reportStore(conn);
  await Events.createIndexes();
  await Leads.createIndexes();
  await store.ensureIndexes();

  const filter = opts.tenantId ? { tenantId: opts.tenantId } : {};
  const marksBefore = await store.marksWhere(filter);
  if (withLeads) await Leads.collection.deleteMany(filter);
  await store.deleteFacts(filter);
  const zones = new Map<string, string>();
  const zoneOf = async (tenantId: string) => {
    if (!zones.has(tenantId)) zones.set(tenantId, (await tenantReportSettings(conn, tenantId)).timeZone);
    return zones.get(tenantId)!;
  };

  const tenantDays = new Map<string, TenantDays>();
  const summary: RebuildSummary = { events: 0, leads: 0, endpointFacts: 0, blocks: 0, tenants: [] };
  let leadDocs: object[] = [];
  let facts: LeadFacts[] = [];
  const flush = async () => {
    if (leadDocs.length) await insertIgnoringDuplicates(Leads.collection, leadDocs);
    if (facts.length) await store.insertFacts(facts);
    leadDocs = [];
    facts = [];
  };

  const fold = async (events: LeadEvent[]) => {
    const state = leadStateOf(events);
    if (!state) return;
    if (withLeads) {
      const doc = toLeadDoc(state);
      await leadDayList.record(doc.tenantId, daysOfLeadDoc(doc));
      leadDocs.push(doc);
    }
    const f = factsFromEvents(events, await zoneOf(state.tenantId));
    if (f) {
      facts.push(f);
      let t = tenantDays.get(state.tenantId);
      if (!t) tenantDays.set(state.tenantId, (t = { source: new Map(), endpoint: new Map() }));
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
    if (facts.length >= 2000) await flush();
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

  // A tenant asked for by name with no events left still gets its rollups cleared.
  if (opts.tenantId && !tenantDays.has(opts.tenantId)) tenantDays.set(opts.tenantId, { source: new Map(), endpoint: new Map() });
  for (const [tenantId, t] of tenantDays) {
    summary.blocks += await store.replaceAllRollups(tenantId, {
      source: new Map([...t.source].map(([d, rows]) => [d, [...rows.values()]])),
      endpoint: new Map([...t.endpoint].map(([d, rows]) => [d, [...rows.values()]])),
    });
  }
  await store.deleteMarks(marksBefore.map((m) => m._id));
  summary.tenants = [...tenantDays.keys()].sort();
  log(
    `rebuilt ${summary.leads} leads from ${summary.events} events; ${summary.endpointFacts} endpoint facts; ${summary.blocks} rollup blocks for ${summary.tenants.length} tenant(s)`,
  );
  return summary;
}
