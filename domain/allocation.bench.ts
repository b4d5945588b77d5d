// Allocation benchmark: npx tsx domain/allocation.bench.ts
// A generated network of 1,000 endpoints holding 40,000 ZIP grants (real ZIPs)
// across every grant kind, three tiers, caps, schedules in several zones, and
// a hierarchy whose caps count what is below them (20 networks over the
// franchisees, call centres over their agents).
import { TenantConfigDocumentSchema, type TenantConfigInput } from '../schema/tenant-config.ts';
import { allocate } from './allocation/allocate.ts';
import { compileSnapshot } from './allocation/compile-snapshot.ts';
import { MemoryCounters } from './allocation/memory-counters.ts';
import { seededRandom } from './allocation/random.ts';
import type { AllocationLead } from './allocation/types.ts';
import { loadZipDataset } from './geo/load-zip-dataset.ts';

type EndpointInput = NonNullable<TenantConfigInput['endpoints']>[number];

const rand = seededRandom(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const LINES = ['plumbing', 'hvac', 'electrical'];
const hours = { mon: ['07:00-19:00'], tue: ['07:00-19:00'], wed: ['07:00-19:00'], thu: ['07:00-19:00'], fri: ['07:00-19:00'], sat: ['08:00-14:00'] };

const ds = await loadZipDataset();
const all = ds.all().filter((r) => r.timeZone && r.countyFips && r.state !== 'PR');
const zips = all.map((r) => r.zip);
const endpoints: EndpointInput[] = [];
let zipGrants = 0;
let cursor = 0;
const nextZips = (n: number) => {
  const out = zips.slice(cursor, cursor + n);
  cursor += n;
  zipGrants += out.length;
  return out;
};
const zoneOf = (zip: string) => ds.lookup(zip)!.timeZone!;
const base = (id: string, kind: EndpointInput['kind'], zone: string, i: number): EndpointInput => ({
  id,
  name: `Endpoint ${id}`,
  kind,
  serviceLines: i % 5 === 0 ? ['plumbing', 'hvac'] : [],
  schedule: { timeZone: zone, hours, holidays: ['2026-12-25'], acceptAfterHours: i % 3 === 0 },
  caps: { hourly: 10, daily: 40, weekly: 200, monthly: 800, openUnclaimed: 20 },
  bidCents: 2000 + (i % 17) * 150,
  performanceScore: (i * 37) % 100,
  orders: i % 4 === 0 ? [{ id: `o-${id}`, committed: 500, sold: i % 300 }] : [],
});

// 20 partner networks over the franchisees: their weekly caps count every lead of the locations under them
for (let i = 0; i < 20; i++) endpoints.push({ id: `net-${i}`, name: `Network ${i}`, kind: 'partner', caps: { weekly: 5_000, openUnclaimed: 400 } });
// 600 exclusive franchisees × 50 ZIPs = 30,000, each in a network
for (let i = 0; i < 600; i++) {
  const z = nextZips(50);
  endpoints.push({
    ...base(`ex-${i}`, 'location', zoneOf(z[0]!), i),
    parentId: `net-${i % 20}`,
    territories: [{ kind: 'exclusive', zips: z }, ...(i % 3 === 0 ? [{ kind: 'carve_out' as const, zips: [z[7]!], serviceLines: ['electrical'] }] : [])],
  });
}
// 150 shared holders × 40 ZIPs = 6,000, overlapping the exclusive area in pairs
for (let i = 0; i < 150; i++) {
  const start = Math.floor(i / 2) * 40 * 4 + (i % 2) * 20;
  const z = zips.slice(start, start + 40);
  zipGrants += z.length;
  endpoints.push({
    ...base(`sh-${i}`, 'location', zoneOf(z[0]!), i),
    territories: [
      { kind: 'shared', zips: z },
      ...(i % 15 === 0 ? [{ kind: 'shared' as const, radius: { lat: ds.lookup(z[0]!)!.lat, lon: ds.lookup(z[0]!)!.lon, miles: 15 } }] : []),
    ],
  });
}
// 100 secondary holders × 40 ZIPs = 4,000
for (let i = 0; i < 100; i++) {
  const start = 12_000 + i * 150;
  const z = zips.slice(start, start + 40);
  zipGrants += z.length;
  endpoints.push({ ...base(`sec-${i}`, 'location', zoneOf(z[0]!), i), territories: [{ kind: 'secondary', priceFactor: 0.7 + (i % 3) * 0.1, zips: z }] });
}
// 50 call centers holding states as fallback, with 100 agents in 50 rotations
const states = [...new Set(all.map((r) => r.state))];
const rotations: NonNullable<TenantConfigInput['rotations']> = [];
for (let i = 0; i < 50; i++) {
  const st = states.filter((_, k) => k % 50 === i);
  const zone = zoneOf(all.find((r) => r.state === (st[0] ?? 'TX'))!.zip);
  endpoints.push({ ...base(`cc-${i}`, 'call_center', zone, i), territories: [{ kind: 'fallback', states: st.length ? st : ['TX'] }] });
  for (const a of [0, 1]) endpoints.push({ ...base(`agent-${i}-${a}`, 'agent', zone, i + a), teamId: `cc-${i}`, orders: [] });
  rotations.push({ id: `desk-${i}`, name: `Desk ${i}`, members: [`agent-${i}-0`, `agent-${i}-1`] });
}
const config = TenantConfigDocumentSchema.parse({
  tenant: { id: 'bench', name: 'Bench brand', timeZone: 'America/Chicago' },
  sources: [{ id: 'web', name: 'Web', costBasis: { kind: 'per_lead', amountCents: 1000 } }],
  endpoints,
  rotations,
  territories: [],
  routingPlans: [
    {
      id: 'main',
      isDefault: true,
      tiers: [
        { name: 'exclusive', selector: { territoryKinds: ['exclusive'] }, algorithm: 'round_robin' },
        { name: 'shared and overflow', selector: { territoryKinds: ['shared', 'secondary'] }, algorithm: 'highest_bid' },
        {
          name: 'fallback desks',
          selector: { territoryKinds: ['fallback'], teamIds: states.length ? endpoints.filter((e) => e.kind === 'call_center').map((e) => e.id) : [] },
          algorithm: 'round_robin',
        },
      ],
    },
  ],
});

const t = performance.now();
const snapshot = compileSnapshot(config, 1);
const compileMs = performance.now() - t;

// Counters as the shell would read them: partly used caps, some rotations under way.
const counters = new MemoryCounters();
const leads: AllocationLead[] = [];
for (let i = 0; i < 5_000; i++) {
  const r = rand() < 0.9 ? ds.lookup(zips[Math.floor(rand() * 22_000)]!)! : pick(all);
  leads.push({
    id: `lead-${i}`,
    sourceId: 'web',
    serviceLine: pick(LINES),
    geography: { zip: r.zip, state: r.state, countyFips: r.countyFips, lat: r.lat, lon: r.lon },
  });
}
const start = Date.UTC(2026, 2, 16, 15, 0); // a Monday, 10:00 in Chicago
for (let i = 0; i < 2_000; i++)
  counters.apply(allocate({ lead: leads[i % leads.length]!, snapshot, counters, now: start + i * 1000, random: rand() }).reservations);

const N = 30_000;
const samples = new Float64Array(N);
const outcomes = new Map<string, number>();
for (let i = 0; i < 3_000; i++) allocate({ lead: leads[i % leads.length]!, snapshot, counters, now: start + i * 1000, random: 0.5 });
for (let i = 0; i < N; i++) {
  const lead = leads[i % leads.length]!;
  const now = start + 3_600_000 + i * 500;
  const r = rand();
  const t0 = process.hrtime.bigint();
  const d = allocate({ lead, snapshot, counters, now, random: r });
  samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
  const key = d.tier ? `${d.outcome} (${d.tier.name})` : d.outcome;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}
samples.sort();
const q = (p: number) => samples[Math.min(N - 1, Math.floor(p * N))]!;
const f = (x: number) => x.toFixed(1);

console.log(
  `network: ${snapshot.endpoints.size} endpoints, ${snapshot.zipGrantCount} zip grants (generated ${zipGrants}), compiled in ${compileMs.toFixed(0)} ms`,
);
console.table({ allocate: { samples: N, 'p50 µs': f(q(0.5)), 'p90 µs': f(q(0.9)), 'p99 µs': f(q(0.99)), 'max µs': f(samples[N - 1]!) } });
console.table(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, { leads: v }])));
console.log(`allocation: median ${f(q(0.5))} µs, p99 ${f(q(0.99))} µs, ${snapshot.endpoints.size} endpoints, ${snapshot.zipGrantCount} zip grants`);
