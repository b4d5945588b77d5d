import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromLeadDoc, leadModel } from '../db/models/lead.ts';
import { leadEventModel } from '../db/models/lead-event.ts';
import { rebuildReadModels } from '../db/rebuild-read-models.ts';
import { reportRequests } from '../api/reports/report-request.ts';
import type { Principal, ReportScope } from '../domain/access/policy.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import { localDay, monthOf } from '../domain/reporting/calendar.ts';
import { generateLeadEvents, SAMPLE_OPTIONS } from '../domain/reporting/generate-events.ts';
import type { Statement } from '../domain/reporting/statements.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { insertEvents, REPORT_ZONE, seedReportTenant } from '../testing/report-fixtures.ts';
import { reportService } from './reports.ts';

const TENANT = 'recon';
// The whole tenant: the slice the policy grants staff (who may read which statement is tested at the end, through the request layer).
const OPS: ReportScope = { tenantId: TENANT };
const AFTER_WINDOWS = Date.UTC(2026, 3, 20, 17); // April 20: every March return window has closed
const MONTH = '2026-03';
const monthOfInstant = (at: number) => monthOf(localDay(at, REPORT_ZONE));

// A month of traffic (1,500 leads) with rejections, returns and escalations that managers resolve.
const leads = [...generateLeadEvents({ ...SAMPLE_OPTIONS, tenantId: TENANT, leads: 1500, seed: 42, resolveEscalations: true, now: AFTER_WINDOWS })];

describe('reconciliation statements for a month', () => {
  let conn: Connection;
  let records: LeadState[];
  let finalBilled: Map<string, number>;

  beforeAll(async () => {
    conn = await connectTestDb('recon');
    await seedReportTenant(conn, TENANT);
    await insertEvents(conn, leads.flat());
    await rebuildReadModels(conn, { tenantId: TENANT });
    // The lead records: the lead reducer's documents and the final billed amounts the leads recorded.
    records = (await leadModel(conn).find({ tenantId: TENANT }).lean()).map(fromLeadDoc);
    finalBilled = new Map(
      (await leadEventModel(conn).find({ tenantId: TENANT, type: 'billing_final' }).lean()).map((e) => [
        e.leadId,
        (e.data as { billedCents: number }).billedCents,
      ]),
    );
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('has the month it claims to have: every lead stored and projected', () => {
    expect(records).toHaveLength(1500);
    expect(records.filter((r) => r.billing === 'credited').length).toBeGreaterThan(50);
    expect(records.filter((r) => r.status === 'rejected').length).toBeGreaterThan(100);
  });

  it.each([
    ['web', 'per_lead'],
    ['affiliate', 'per_accepted_lead'],
  ] as const)('source %s (%s): every line and every total equals the lead records to the cent, and the statement has closed', async (sourceId, basis) => {
    const s = await reportService(conn, { now: () => AFTER_WINDOWS }).sourceStatement(OPS, { sourceId, month: MONTH });
    const mine = records.filter((r) => r.sourceId === sourceId && monthOfInstant(r.receivedAt) === MONTH);
    const billedOf = (r: LeadState) => (r.status === 'rejected' ? 0 : basis === 'per_accepted_lead' && r.deliveredAt === undefined ? 0 : r.costCents);
    const creditedOf = (r: LeadState) => (billedOf(r) > 0 && r.returned ? r.returned.creditCents : 0);

    expect(s.lines.map((l) => l.leadId).sort()).toEqual(mine.map((r) => r.leadId).sort());
    const byId = new Map(s.lines.map((l) => [l.leadId, l]));
    for (const r of mine) {
      const line = byId.get(r.leadId)!;
      expect([line.billedCents, line.creditedCents, line.netCents]).toEqual([billedOf(r), creditedOf(r), billedOf(r) - creditedOf(r)]);
      // Where the lead recorded its final billed amount, the line's net is exactly that.
      if (finalBilled.has(r.leadId)) expect(line.netCents).toBe(finalBilled.get(r.leadId));
    }
    const sum = (f: (r: LeadState) => number) => mine.reduce((a, r) => a + f(r), 0);
    expect(s).toMatchObject({
      basis,
      leads: mine.length,
      billedCents: sum(billedOf),
      creditedCents: sum(creditedOf),
      netCents: sum(billedOf) - sum(creditedOf),
      leadsBilled: mine.filter((r) => billedOf(r) > 0).length,
      returnsCredited: mine.filter((r) => creditedOf(r) > 0).length,
      flatFeeCents: 0,
      discrepancies: [],
      status: 'closed',
      openReason: '',
    });
    expect(s.netCents).toBe(mine.reduce((a, r) => a + (finalBilled.get(r.leadId) ?? 0), 0));
    expect(s.creditedCents).toBeGreaterThan(0);
  });

  it('flat source: the month fee once, lead lines at zero, closed', async () => {
    const s = await reportService(conn, { now: () => AFTER_WINDOWS }).sourceStatement(OPS, { sourceId: 'flatco', month: MONTH });
    const mine = records.filter((r) => r.sourceId === 'flatco' && monthOfInstant(r.receivedAt) === MONTH);
    expect(s).toMatchObject({
      basis: 'flat',
      leads: mine.length,
      flatFeeCents: 150_000,
      billedCents: 150_000,
      creditedCents: 0,
      netCents: 150_000,
      status: 'closed',
    });
    expect(s.lines.every((l) => l.netCents === 0)).toBe(true);
  });

  it.each(['buyer-1', 'buyer-2'])('buyer %s: billed its price per delivery in the month, credited its returns, to the cent', async (endpointId) => {
    const s = await reportService(conn, { now: () => AFTER_WINDOWS }).buyerStatement(OPS, { endpointId, month: MONTH });
    const mine = records.filter((r) => r.deliveredTo === endpointId && r.priceCents !== undefined && monthOfInstant(r.deliveredAt!) === MONTH);
    expect(s.lines.map((l) => l.leadId).sort()).toEqual(mine.map((r) => r.leadId).sort());
    const byId = new Map(s.lines.map((l) => [l.leadId, l]));
    for (const r of mine) {
      const credit = r.returned ? r.priceCents! : 0;
      expect([byId.get(r.leadId)!.billedCents, byId.get(r.leadId)!.creditedCents]).toEqual([r.priceCents, credit]);
    }
    const billed = mine.reduce((a, r) => a + r.priceCents!, 0);
    const credited = mine.reduce((a, r) => a + (r.returned ? r.priceCents! : 0), 0);
    expect(s).toMatchObject({
      party: 'buyer',
      leads: mine.length,
      billedCents: billed,
      creditedCents: credited,
      netCents: billed - credited,
      status: 'closed',
    });
    expect(credited).toBeGreaterThan(0);
  });

  it('stays open, and says why, while the month runs and while windows are open', async () => {
    const midMonth = reportService(conn, { now: () => Date.UTC(2026, 2, 20, 17) });
    const s = await midMonth.sourceStatement(OPS, { sourceId: 'web', month: MONTH });
    expect(s.status).toBe('open');
    expect(s.openReason).toContain('the month is not over (it ends 2026-03-31)');
    // The same March, seen on April 2: the month is over, but late-March leads are still in their return window.
    const early = await rebuiltAt(Date.UTC(2026, 3, 2, 17));
    expect(early.status).toBe('open');
    expect(early.openReason).toMatch(/^\d+ leads? not yet final/);
    expect(early.openLines).toBeGreaterThan(0);
  });

  /** The web statement as it stood at `now`: events up to then only, projected into a fresh database. */
  async function rebuiltAt(now: number): Promise<Statement> {
    const other = await connectTestDb('recon_early');
    try {
      await seedReportTenant(other, TENANT);
      await insertEvents(
        other,
        leads.flat().filter((e) => e.at <= now),
      );
      await rebuildReadModels(other, { tenantId: TENANT, leads: false });
      return await reportService(other, { now: () => now }).sourceStatement(OPS, { sourceId: 'web', month: MONTH });
    } finally {
      await dropTestDb(other);
    }
  }

  it('shows vendors and buyers their own statement and nobody else’s', async () => {
    const requests = reportRequests(reportService(conn, { now: () => AFTER_WINDOWS }));
    const user = (actor: Principal['actor']): Principal => ({ actor, via: 'user' });
    const vendor = user({ userId: 'v', role: 'vendor', tenantId: TENANT, sourceId: 'web' });
    const buyer = user({ userId: 'b', role: 'buyer', tenantId: TENANT, endpointId: 'buyer-1' });
    const ops = user({ userId: 'finance-1', role: 'ops', tenantId: TENANT });
    expect((await requests.sourceStatement(vendor, { sourceId: 'web', month: MONTH })).kind).toBe('ok');
    expect(await requests.sourceStatement(vendor, { sourceId: 'affiliate', month: MONTH })).toEqual({
      kind: 'forbidden',
      reason: 'vendors see only their own source',
    });
    expect(await requests.buyerStatement(vendor, { endpointId: 'buyer-1', month: MONTH })).toMatchObject({ kind: 'forbidden' });
    expect((await requests.buyerStatement(buyer, { endpointId: 'buyer-1', month: MONTH })).kind).toBe('ok');
    expect(await requests.buyerStatement(buyer, { endpointId: 'buyer-2', month: MONTH })).toEqual({
      kind: 'forbidden',
      reason: 'buyers see only their own deliveries',
    });
    expect(await requests.sourceStatement(ops, { sourceId: 'web', month: '2026-13' })).toMatchObject({
      kind: 'invalid',
      error: { code: 'INVALID_INPUT', field: 'month' },
    });
    // Another tenant's staff see an empty statement, never this tenant's leads.
    const stranger = await requests.sourceStatement(user({ userId: 'x', role: 'ops', tenantId: 'someone-else' }), { sourceId: 'web', month: MONTH });
    expect(stranger.kind === 'ok' && stranger.value.leads).toBe(0);
  });
});
