import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportScope } from '../domain/access/policy.ts';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { factsFromEvents, type LeadFacts } from '../domain/reporting/facts.ts';
import { generateLeadEvents, SAMPLE_OPTIONS } from '../domain/reporting/generate-events.ts';
import type { SourceReportArgs } from '../domain/reporting/report-args.ts';
import { endpointReportRows, sourceReportRows, type CostBasisKind } from '../domain/reporting/report-rows.ts';
import { endpointRowsOf, sourceRowsOf } from '../domain/reporting/rollups.ts';
import { reportService } from '../services/reports.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { insertEvents, REPORT_ZONE, seedReportTenant } from '../testing/report-fixtures.ts';
import { leadStore } from './lead-store.ts';
import { rollupModel, leadFactModel } from './models/report.ts';
import { rebuildReadModels } from './rebuild-read-models.ts';
import { projectReportFacts, reportStore } from './report-store.ts';

const TENANT = 'rt1';
// The whole tenant: the slice the policy grants staff.
const OPS: ReportScope = { tenantId: TENANT };
const BASES: Record<string, CostBasisKind> = { web: 'per_lead', affiliate: 'per_accepted_lead', flatco: 'flat' };
const RANGE = { from: '2026-03-01', to: '2026-04-15' };

// 120 leads over a month, events stored as the workflow would store them.
const leads = [...generateLeadEvents({ ...SAMPLE_OPTIONS, tenantId: TENANT, leads: 120, seed: 3 })];
const allEvents = leads.flat();

/** What the reports must say, computed without the database. */
function expected(eventsByLead: LeadEvent[][]) {
  const facts = eventsByLead.map((events) => factsFromEvents(events, REPORT_ZONE)).filter((f): f is LeadFacts => !!f);
  const source = sourceReportRows(
    [{ period: RANGE.from, rows: sourceRowsOf(facts.map((f) => f.lead)) }],
    ['source', 'state', 'county'],
    (id) => BASES[id],
    undefined,
  );
  const endpoint = endpointReportRows([{ period: RANGE.from, rows: endpointRowsOf(facts.flatMap((f) => f.endpoints)) }], true, undefined);
  return { source, endpoint };
}

describe('report projections', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectTestDb('reports');
    await reportStore(conn).ensureIndexes();
    await seedReportTenant(conn, TENANT);
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  const service = () => reportService(conn);
  const sourceReport = () => service().sourceReport(OPS, { ...RANGE, groupBy: ['source', 'state', 'county'] });
  const endpointReport = () => service().endpointReport(OPS, { ...RANGE, groupBy: ['endpoint'] });

  it('projects appended events into facts and rollups that match the events exactly', async () => {
    // A quarter of the leads arrive through the lead store in two appends each, its hook projecting them.
    const store = leadStore(conn, { afterAppend: (ids, events) => projectReportFacts(conn, ids, { events }) });
    for (const events of leads.slice(0, 30)) {
      await store.append(events.slice(0, 3));
      await store.append(events.slice(3));
    }
    // The rest in bulk, then one projection call for all of them.
    await insertEvents(conn, leads.slice(30).flat());
    await projectReportFacts(
      conn,
      leads.slice(30).map((e) => e[0]!.leadId),
    );

    const want = expected(leads);
    const src = await sourceReport();
    expect(src.stale).toBe(false);
    expect(src.rows).toEqual(want.source);
    expect((await endpointReport()).rows).toEqual(want.endpoint);
    expect(await leadFactModel(conn).countDocuments({ tenantId: TENANT, fact: 'lead' })).toBe(120);
  });

  it('changes nothing when events are applied again or projected twice', async () => {
    const before = await rollupModel(conn).find({ tenantId: TENANT }, { rows: 1 }).sort({ _id: 1 }).lean();
    await leadStore(conn).append(leads[5]!);
    await projectReportFacts(
      conn,
      leads.slice(0, 30).map((e) => e[0]!.leadId),
      { refresh: true },
    );
    await projectReportFacts(
      conn,
      leads.slice(0, 30).map((e) => e[0]!.leadId),
    );
    const after = await rollupModel(conn).find({ tenantId: TENANT }, { rows: 1 }).sort({ _id: 1 }).lean();
    expect(after).toEqual(before);
    expect((await sourceReport()).rows).toEqual(expected(leads).source);
  });

  it('waits for a missing event and catches up once it arrives', async () => {
    const [lead] = [...generateLeadEvents({ ...SAMPLE_OPTIONS, tenantId: TENANT, leads: 1, seed: 99, idPrefix: 'GAP' })];
    const missing = lead!.find((e) => e.type === 'delivered')!;
    await insertEvents(
      conn,
      lead!.filter((e) => e !== missing),
    );
    await projectReportFacts(conn, [missing.leadId]);
    const partial = await leadFactModel(conn).findById(missing.leadId).lean();
    expect(partial?.lastSeq).toBe(missing.seq - 1);
    expect(partial?.deliveredAt).toBeUndefined();

    await insertEvents(conn, [missing]);
    await projectReportFacts(conn, [missing.leadId]);
    expect((await leadFactModel(conn).findById(missing.leadId).lean())?.lastSeq).toBe(lead!.length);
    expect((await sourceReport()).rows).toEqual(expected([...leads, lead!]).source);
    leads.push(lead!);
  });

  it('stays exact when many projections of the same days run at once', async () => {
    const more = [...generateLeadEvents({ ...SAMPLE_OPTIONS, tenantId: TENANT, leads: 48, seed: 5, idPrefix: 'CC' })];
    await insertEvents(conn, more.flat());
    // Eight writers at once, each with its own leads on overlapping days; each refreshes (or finds the lease taken).
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        projectReportFacts(
          conn,
          more.filter((_, i) => i % 8 === w).map((e) => e[0]!.leadId),
          { refresh: true },
        ),
      ),
    );
    leads.push(...more);
    // Whatever a writer left pending, the report folds in before it answers.
    const src = await sourceReport();
    expect(src.stale).toBe(false);
    expect(src.rows).toEqual(expected(leads).source);
    expect(await reportStore(conn).pendingDays(TENANT, '2026-01-01', '2026-12-31')).toEqual([]);
  });

  it('rebuilds the same read models from the events collection, and a second rebuild changes nothing', async () => {
    const incremental = { source: (await sourceReport()).rows, endpoint: (await endpointReport()).rows };
    await Promise.all([rollupModel(conn).deleteMany({}), leadFactModel(conn).deleteMany({})]);
    expect((await sourceReport()).rows).toEqual([]);

    const summary = await rebuildReadModels(conn, { tenantId: TENANT });
    expect(summary).toMatchObject({ leads: leads.length, events: leads.flat().length, tenants: [TENANT] });
    expect((await sourceReport()).rows).toEqual(incremental.source);
    expect((await endpointReport()).rows).toEqual(incremental.endpoint);

    const first = await rollupModel(conn).find({ tenantId: TENANT }, { rows: 1 }).sort({ _id: 1 }).lean();
    await rebuildReadModels(conn, { tenantId: TENANT });
    expect(await rollupModel(conn).find({ tenantId: TENANT }, { rows: 1 }).sort({ _id: 1 }).lean()).toEqual(first);
    // The lead documents come back from the same reducer the lead store uses.
    const lead = await leadStore(conn).get(allEvents[0]!.leadId);
    expect(lead?.lastEventSeq).toBe(leads[0]!.length);
  });

  it('groups by day, week and month with the same totals', async () => {
    const totals = async (groupBy: SourceReportArgs['groupBy']) => {
      const r = await service().sourceReport(OPS, { ...RANGE, groupBy: [...groupBy, 'source'] });
      return { rows: r.rows, received: r.rows.reduce((a, x) => a + x.received, 0), net: r.rows.reduce((a, x) => a + x.netCostCents, 0) };
    };
    const [none, day, week, month] = await Promise.all([totals([]), totals(['day']), totals(['week']), totals(['month'])]);
    expect(none.received).toBe(leads.length);
    for (const g of [day, week, month]) expect([g.received, g.net]).toEqual([none.received, none.net]);
    // Leads count on the day they arrived: all of March here, so April has no rows.
    expect(new Set(month.rows.map((r) => r.period))).toEqual(new Set(['2026-03-01']));
    expect(new Set(week.rows.map((r) => r.period)).size).toBe(6); // the weeks starting Feb 23 … Mar 30
    expect(day.rows.every((r) => r.period! >= RANGE.from && r.period! <= RANGE.to)).toBe(true);
  });
});
