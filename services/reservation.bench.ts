// Reservation benchmark: npx tsx services/reservation.bench.ts
// The allocation activity's database round trip on the local MongoDB-wire
// server: read the lead's counters (from this process's cache where they are
// lower bounds), decide, re-read what the decision relies on, and take the
// round-robin turn and cap units with unique-key inserts. A 10-endpoint shared
// zone with hourly, daily and monthly caps and an open-unclaimed limit that
// claims give back, as a busy market looks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMongo } from '../infra/mongo.ts';
import { startMongo } from '../stack/mongo.ts';
import { freePort } from '../stack/ports.ts';
import { publishConfig } from '../testing/config.ts';
import { createAllocator } from './allocator.ts';

const N = Number(process.env.BENCH_N ?? 2000);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-reservation-bench-'));
const server = await startMongo({ port: await freePort(), dataDir: join(dir, 'mongo'), logFile: join(dir, 'mongo.log') });
const mongo = await connectMongo(server.uri, { dbName: 'reservation_bench' });
try {
  await publishConfig(mongo, {
    tenant: { id: 'bench', name: 'Bench', timeZone: 'America/Chicago' },
    sources: [{ id: 'web', name: 'Web', costBasis: { kind: 'per_lead', amountCents: 2000 } }],
    endpoints: Array.from({ length: 10 }, (_, i) => ({
      id: `ep-${i}`,
      name: `Branch ${i}`,
      kind: 'location' as const,
      caps: { hourly: 1_000_000, daily: 1_000_000, monthly: 1_000_000, openUnclaimed: 50 },
      territories: [{ kind: 'shared' as const, zips: ['75201'] }],
    })),
  });
  const allocator = createAllocator({ mongo });
  const lead = (i: number) => ({ id: `L${i}`, sourceId: 'web', serviceLine: 'plumbing', geography: { zip: '75201', state: 'TX', countyFips: '48113' } });
  const samples: number[] = [];
  const held: Array<{ leadId: string; round: number; endpointId: string }> = [];
  for (let i = 0; i < N + 200; i++) {
    const t0 = performance.now();
    const r = await allocator.allocate({ tenantId: 'bench', lead: lead(i), round: 1 });
    const ms = performance.now() - t0;
    if (!r.ok || r.decision.outcome !== 'assigned') throw new Error(`lead ${i} was not assigned`);
    if (i >= 200) samples.push(ms); // the first 200 warm the process's caches
    held.push({ leadId: `L${i}`, round: 1, endpointId: r.decision.targets[0]!.endpointId });
    // Claims give open-unclaimed units back, 40 leads behind.
    const claimed = held.length > 40 ? held.shift() : undefined;
    if (claimed) await allocator.settle([claimed]);
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.table({
    'decide + reserve (turn, 3 cap windows, open-unclaimed)': {
      samples: samples.length,
      'p50 ms': q(0.5).toFixed(2),
      'p90 ms': q(0.9).toFixed(2),
      'p99 ms': q(0.99).toFixed(2),
      'max ms': samples.at(-1)!.toFixed(2),
    },
  });
  console.log(`reservation: median ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms`);
} finally {
  await mongo.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
