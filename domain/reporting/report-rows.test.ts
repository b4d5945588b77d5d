import { describe, expect, it } from 'vitest';
import { factsFromEvents, type EndpointFact, type LeadFact } from './facts.ts';
import { generateLeadEvents, SAMPLE_OPTIONS } from './generate-events.ts';
import { endpointReportRows, sourceReportRows, speedRows, type CostBasisKind } from './report-rows.ts';
import { endpointRowsOf, mergeEndpointRows, mergeSourceRows, sourceRowsOf } from './rollups.ts';

const ZONE = 'America/Chicago';
const leadFacts: LeadFact[] = [];
const endpointFacts: EndpointFact[] = [];
for (const events of generateLeadEvents({ ...SAMPLE_OPTIONS, leads: 1500 })) {
  const f = factsFromEvents(events, ZONE)!;
  leadFacts.push(f.lead);
  endpointFacts.push(...f.endpoints);
}
const bases: Record<string, CostBasisKind> = { web: 'per_lead', affiliate: 'per_accepted_lead', flatco: 'flat' };
const basisOf = (id: string) => bases[id];
const byDay = <T extends { day: string }>(xs: T[]) => {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(x.day, [...(m.get(x.day) ?? []), x]);
  return m;
};

describe('source report rows', () => {
  const whole = sourceRowsOf(leadFacts);
  const fromDays = mergeSourceRows([...byDay(leadFacts).values()].map((fs) => sourceRowsOf(fs)));

  it('sums day rollups into the same rows as rolling up every fact at once', () => {
    const norm = (rows: typeof whole) => [...rows].sort((a, b) => `${a.sourceId}${a.state}${a.county}`.localeCompare(`${b.sourceId}${b.state}${b.county}`));
    expect(norm(fromDays)).toEqual(norm(whole));
  });

  it('adds up across groupings, and counts every lead once', () => {
    const total = sourceReportRows([{ period: 'x', rows: fromDays }], [], basisOf, undefined);
    const bySource = sourceReportRows([{ period: 'x', rows: fromDays }], ['source'], basisOf, undefined);
    const byMarket = sourceReportRows([{ period: 'x', rows: fromDays }], ['source', 'state', 'county'], basisOf, undefined);
    expect(total).toHaveLength(1);
    expect(bySource.map((r) => r.sourceId)).toEqual(['affiliate', 'flatco', 'web']);
    const t = total[0]!;
    expect(t.received).toBe(leadFacts.length);
    expect(t.accepted + t.rejected + t.pending).toBe(t.received);
    expect(Object.values(t.rejectedByReason).reduce((a, b) => a + b, 0)).toBe(t.rejected);
    for (const k of ['received', 'delivered', 'returned', 'spendCents', 'creditCents', 'netCostCents'] as const) {
      expect(bySource.reduce((a, r) => a + r[k], 0)).toBe(t[k]);
      expect(byMarket.reduce((a, r) => a + r[k], 0)).toBe(t[k]);
    }
    expect(byMarket.every((r) => r.state !== undefined && r.county !== undefined)).toBe(true);
  });

  it('prices each source by its basis, and derives the rates', () => {
    const rows = sourceReportRows([{ period: 'x', rows: fromDays }], ['source'], basisOf, undefined);
    const of = (id: string) => leadFacts.filter((f) => f.sourceId === id);
    const web = rows.find((r) => r.sourceId === 'web')!;
    const aff = rows.find((r) => r.sourceId === 'affiliate')!;
    const flat = rows.find((r) => r.sourceId === 'flatco')!;
    expect(web.spendCents).toBe(of('web').filter((f) => f.outcome !== 'rejected').length * 2500);
    expect(aff.spendCents).toBe(of('affiliate').filter((f) => f.deliveredAt !== undefined).length * 1800);
    expect(web.creditCents).toBe(of('web').filter((f) => f.returned).length * 2500);
    expect(flat).toMatchObject({ spendCents: 0, creditCents: 0, netCostCents: 0 });
    expect(web.netCostCents).toBe(web.spendCents - web.creditCents);
    expect(web.costPerAcceptedCents).toBe(Math.round(web.netCostCents / web.accepted));
    expect(web.acceptanceRate).toBeCloseTo(web.accepted / (web.accepted + web.rejected), 10);
    expect(web.returnRate).toBeCloseTo(web.returned / web.delivered, 10);
    expect(web.intakeToDelivery.count).toBe(web.delivered);
    expect(web.intakeToDelivery.medianMs).toBeGreaterThan(100);
    expect(web.intakeToDelivery.p90Ms!).toBeGreaterThanOrEqual(web.intakeToDelivery.medianMs!);
  });

  it('keeps periods apart and labels them', () => {
    const days = [...byDay(leadFacts).entries()].sort(([a], [b]) => a.localeCompare(b)).slice(0, 3);
    const rows = sourceReportRows(
      days.map(([day, fs]) => ({ period: day, rows: sourceRowsOf(fs) })),
      ['source'],
      basisOf,
      'day',
    );
    expect(new Set(rows.map((r) => r.period))).toEqual(new Set(days.map(([d]) => d)));
    expect(rows.reduce((a, r) => a + r.received, 0)).toBe(days.reduce((a, [, fs]) => a + fs.length, 0));
  });
});

describe('endpoint and speed rows', () => {
  const rows = mergeEndpointRows([...byDay(endpointFacts).values()].map((fs) => endpointRowsOf(fs)));

  it('counts offers, claims, lapses and statuses per endpoint', () => {
    const out = endpointReportRows([{ period: 'x', rows }], true, undefined);
    const agent = out.find((r) => r.endpointId === 'agent-1')!;
    const facts = endpointFacts.filter((f) => f.endpointId === 'agent-1');
    expect(agent.offers).toBe(facts.reduce((a, f) => a + f.offers, 0));
    expect(agent.lapsed).toBe(facts.reduce((a, f) => a + f.lapses, 0));
    expect(agent.claimed).toBe(facts.filter((f) => f.claimedAt !== undefined).length);
    expect(agent.statusesReached.contacted).toBe(facts.filter((f) => f.statuses.includes('contacted')).length);
    expect(agent.deliveryToClaim.count).toBe(agent.claimed);
    expect(agent.deliveryToClaim.medianMs).toBeGreaterThan(10_000);
    const buyer = out.find((r) => r.endpointId === 'buyer-1')!;
    expect(buyer.billedCents).toBe(endpointFacts.filter((f) => f.endpointId === 'buyer-1' && f.priceCents !== undefined).length * 4500);
    expect(buyer.netCents).toBe(buyer.billedCents - buyer.creditedCents);
  });

  it('gives intake-to-delivery per source and per endpoint', () => {
    const bySource = speedRows([{ period: 'x', rows: sourceRowsOf(leadFacts) }], 'source', undefined);
    const byEndpoint = speedRows([{ period: 'x', rows }], 'endpoint', undefined);
    expect(bySource.map((r) => r.id)).toEqual(['affiliate', 'flatco', 'web']);
    expect(bySource.reduce((a, r) => a + r.delivered, 0)).toBe(leadFacts.filter((f) => f.deliveredAt !== undefined).length);
    expect(byEndpoint.find((r) => r.id === 'loc-1')!.intakeToDelivery.medianMs).toBeGreaterThan(0);
  });
});
