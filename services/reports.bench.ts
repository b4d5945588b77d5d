// Reports benchmark: npx tsx services/reports.bench.ts
// Generates 1,000,000 lead events (≈128,000 leads over 31 days: 6 sources,
// 24 markets in 10 states, buyers, locations and claim-deadline agents),
// projects them into facts and rollup blocks in a real MongoDB-wire server
// started here (FerretDB unless MONGODB_URI or a mongod is around), then times
// the 30-day source × market report end to end through the report service.
// Options (env): BENCH_EVENTS (1000000), BENCH_RUNS (60), BENCH_WITH_EVENTS=1
// to also store the raw events (slower to load; reports never read them).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leadEventModel } from '../db/models/lead-event.ts';
import { endpointFactModel, leadFactModel, toEndpointFactDoc, toLeadFactDoc } from '../db/models/report.ts';
import { reportStore } from '../db/report-store.ts';
import { configStore } from '../db/config-store.ts';
import { connectMongo } from '../infra/mongo.ts';
import { TenantConfigDocumentSchema } from '../schema/tenant-config.ts';
import { reportService } from './reports.ts';
import { startMongo } from '../stack/mongo.ts';
import { freePort } from '../stack/ports.ts';
import type { ReportScope } from '../domain/access/policy.ts';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { factsFromEvents } from '../domain/reporting/facts.ts';
import { generateLeadEvents, SAMPLE_MARKETS, type GeneratorOptions } from '../domain/reporting/generate-events.ts';
import {
  addEndpointFact,
  addLeadFact,
  emptyEndpointMetrics,
  emptySourceMetrics,
  sourceRowKey,
  type EndpointRollupRow,
  type SourceRollupRow,
} from '../domain/reporting/rollups.ts';

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const WITH_EVENTS = process.env.BENCH_WITH_EVENTS === '1';
const TENANT = 'bench';
const ZONE = 'America/Chicago';
const FROM = '2026-03-02';
const TO = '2026-03-31';

const sources = [
  { id: 'web', costCents: 2500, weight: 4, basis: { kind: 'per_lead', amountCents: 2500 } },
  { id: 'quotewell', costCents: 3500, weight: 3, basis: { kind: 'per_lead', amountCents: 3500 } },
  { id: 'affiliate-a', costCents: 1800, weight: 2, basis: { kind: 'per_accepted_lead', amountCents: 1800 } },
  { id: 'affiliate-b', costCents: 2200, weight: 2, basis: { kind: 'per_accepted_lead', amountCents: 2200 } },
  { id: 'social', costCents: 900, weight: 1, basis: { kind: 'per_lead', amountCents: 900 } },
  { id: 'partner-flat', costCents: 0, weight: 1, basis: { kind: 'flat', amountCents: 500_000, period: 'month' } },
] as const;
const gen: GeneratorOptions = {
  tenantId: TENANT,
  seed: 2026,
  start: Date.UTC(2026, 2, 1, 6), // 00:00 on March 1 in Chicago
  days: 31,
  leads: Number.MAX_SAFE_INTEGER,
  sources: sources.map(({ id, costCents, weight }) => ({ id, costCents, weight })),
  markets: SAMPLE_MARKETS,
  buyers: Array.from({ length: 12 }, (_, i) => ({ id: `buyer-${i}`, priceCents: 3000 + i * 250 })),
  locations: Array.from({ length: 20 }, (_, i) => `loc-${i}`),
  agents: Array.from({ length: 30 }, (_, i) => `agent-${i}`),
  returnWindowMs: 7 * 86_400_000,
};

const dir = mkdtempSync(join(tmpdir(), 'switchyard-reports-bench-'));
const mongo = await startMongo({ port: await freePort(), dataDir: join(dir, 'mongo'), logFile: join(dir, 'mongo.log') });
const conn = await connectMongo(mongo.uri, { dbName: 'reports_bench' });
try {
  await configStore(conn).publish(
    TENANT,
    TenantConfigDocumentSchema.parse({
      tenant: { id: TENANT, name: 'Bench brand', timeZone: ZONE },
      sources: sources.map((s) => ({ id: s.id, name: s.id, costBasis: s.basis })),
      endpoints: [
        ...gen.buyers.map((b) => ({ id: b.id, name: b.id, kind: 'buyer', bidCents: b.priceCents })),
        ...gen.locations.map((id) => ({ id, name: id, kind: 'location' })),
        ...gen.agents.map((id) => ({ id, name: id, kind: 'agent' })),
      ],
    }),
    'bench',
  );
  const store = reportStore(conn);
  await store.ensureIndexes();
  const LeadFacts = leadFactModel(conn);
  const EndpointFacts = endpointFactModel(conn);
  const Events = leadEventModel(conn);

  // --- generate and project (pure), loading facts in bulk as we go
  const t0 = performance.now();
  let events = 0;
  let leads = 0;
  const sourceDays = new Map<string, Map<string, SourceRollupRow>>();
  const endpointDays = new Map<string, Map<string, EndpointRollupRow>>();
  let leadDocs: object[] = [];
  let endpointDocs: object[] = [];
  let eventDocs: object[] = [];
  const flush = async (force = false) => {
    // Plain inserts into fresh collections: no update limit applies.
    if (leadDocs.length >= 5000 || (force && leadDocs.length))
      await LeadFacts.collection.insertMany(leadDocs as never[], { ordered: false }).then(() => (leadDocs = []));
    if (endpointDocs.length >= 5000 || (force && endpointDocs.length))
      await EndpointFacts.collection.insertMany(endpointDocs as never[], { ordered: false }).then(() => (endpointDocs = []));
    if (eventDocs.length >= 5000 || (force && eventDocs.length))
      await Events.collection.insertMany(eventDocs as never[], { ordered: false }).then(() => (eventDocs = []));
  };
  for (const stream of generateLeadEvents(gen)) {
    const take: LeadEvent[] = stream.slice(0, TARGET_EVENTS - events); // the last lead may be cut short: still in flight
    events += take.length;
    leads += 1;
    const f = factsFromEvents(take, ZONE)!;
    leadDocs.push(toLeadFactDoc(f.lead));
    const srcDay = sourceDays.get(f.lead.day) ?? new Map<string, SourceRollupRow>();
    sourceDays.set(f.lead.day, srcDay);
    const key = sourceRowKey(f.lead);
    const row = srcDay.get(key) ?? { sourceId: f.lead.sourceId, state: f.lead.state, county: f.lead.county, m: emptySourceMetrics() };
    srcDay.set(key, row);
    addLeadFact(row.m, f.lead);
    for (const e of f.endpoints) {
      endpointDocs.push(toEndpointFactDoc(e));
      const epDay = endpointDays.get(e.day) ?? new Map<string, EndpointRollupRow>();
      endpointDays.set(e.day, epDay);
      const r = epDay.get(e.endpointId) ?? { endpointId: e.endpointId, m: emptyEndpointMetrics() };
      epDay.set(e.endpointId, r);
      addEndpointFact(r.m, e);
    }
    if (WITH_EVENTS) for (const { id, ...rest } of take) eventDocs.push({ _id: id, ...rest });
    await flush();
    if (events >= TARGET_EVENTS) break;
  }
  await flush(true);
  const blocks = await store.replaceAllRollups(TENANT, {
    source: new Map([...sourceDays].map(([d, rows]) => [d, [...rows.values()]])),
    endpoint: new Map([...endpointDays].map(([d, rows]) => [d, [...rows.values()]])),
  });
  const loadMs = performance.now() - t0;
  const [factCount, endpointFactCount] = [await LeadFacts.estimatedDocumentCount(), await EndpointFacts.estimatedDocumentCount()];

  // --- time the report queries, end to end through the service
  const service = reportService(conn);
  // The slices the policy grants staff (the tenant) and the web source's vendor (its source).
  const ops: ReportScope = { tenantId: TENANT };
  const vendor: ReportScope = { tenantId: TENANT, sourceId: 'web' };
  async function timeIt(name: string, run: () => Promise<{ rows: number }>, runs: number) {
    for (let i = 0; i < 5; i++) await run(); // warm-up
    const samples: number[] = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const s = performance.now();
      rows = (await run()).rows;
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.ceil(p * samples.length) - 1)]!;
    return { name, runs, rows, median: q(0.5), p95: q(0.95), max: samples[samples.length - 1]! };
  }
  const unwrap = async (p: Promise<{ rows: unknown[] }>) => ({ rows: (await p).rows.length });
  const headline = await timeIt(
    'source × state × county, 30 days',
    () => unwrap(service.sourceReport(ops, { from: FROM, to: TO, groupBy: ['source', 'state', 'county'] })),
    RUNS,
  );
  const others = [
    await timeIt('source × day, 30 days', () => unwrap(service.sourceReport(ops, { from: FROM, to: TO, groupBy: ['day', 'source'] })), 20),
    await timeIt('vendor: own source × state, 30 days', () => unwrap(service.sourceReport(vendor, { from: FROM, to: TO, groupBy: ['state'] })), 20),
    await timeIt('endpoint, 30 days', () => unwrap(service.endpointReport(ops, { from: FROM, to: TO, groupBy: ['endpoint'] })), 20),
  ];

  const f = (x: number) => x.toFixed(1);
  console.log(`server: ${mongo.kind}`);
  console.log(
    `loaded ${events} lead events (${leads} leads) → ${factCount} lead facts, ${endpointFactCount} endpoint facts, ${blocks} rollup blocks in ${(loadMs / 1000).toFixed(1)} s${WITH_EVENTS ? ' (events stored too)' : ''}`,
  );
  console.table(
    Object.fromEntries(
      [headline, ...others].map((r) => [r.name, { runs: r.runs, rows: r.rows, 'median ms': f(r.median), 'p95 ms': f(r.p95), 'max ms': f(r.max) }]),
    ),
  );
  console.log(`reports: p95 ${f(headline.p95)} ms, 30-day source report over ${events} lead events`);
} finally {
  await conn.close().catch(() => undefined);
  await mongo.stop();
  rmSync(dir, { recursive: true, force: true });
}
