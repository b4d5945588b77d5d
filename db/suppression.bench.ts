// Suppression benchmark: npx tsx db/suppression.bench.ts
// Loads a 1,000,000-number federal registry (generated, one E.164 number a
// line, streamed as an upload would be) into a real MongoDB-wire server, then
// times the check every lead makes: point reads of the lead's phone and email
// in the federal, state and tenant lists at their current uploads.
// BENCH_SUPPRESSION_N sets the list size, BENCH_CHECKS the checks timed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connectMongo } from '../infra/mongo.ts';
import { startMongo } from '../stack/mongo.ts';
import { freePort } from '../stack/ports.ts';
import { suppressionModel } from './models/suppression.ts';
import { suppressionStore } from './suppression-store.ts';

const N = Number(process.env.BENCH_SUPPRESSION_N ?? 1_000_000);
const CHECKS = Number(process.env.BENCH_CHECKS ?? 2000);
const number = (i: number) => `+1214${String(2_000_000 + i).padStart(7, '0')}`;

async function* registry(): AsyncGenerator<string> {
  for (let i = 0; i < N; i += 10_000) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(N, i + 10_000); j++) lines.push(number(j));
    yield `${lines.join('\n')}\n`;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'switchyard-suppression-bench-'));
const server = await startMongo({ port: await freePort(), dataDir: join(dir, 'mongo'), logFile: join(dir, 'mongo.log') });
const mongo = await connectMongo(server.uri, { dbName: 'suppression_bench' });
try {
  await suppressionModel(mongo).createIndexes();
  const store = suppressionStore(mongo);
  const t0 = performance.now();
  const loaded = await store.loadCsv(Readable.from(registry()), { list: 'federal', source: 'bench registry' }, { mode: 'replace', by: 'bench' });
  const loadS = (performance.now() - t0) / 1000;
  if (!loaded.ok || loaded.inserted !== N) throw new Error(`load failed: ${JSON.stringify(loaded).slice(0, 300)}`);
  await store.add(['+14695550100'], { list: 'internal', tenantId: 'bench' });

  // A lead's check: its phone (half of them on the list) and its email, with a state registry never loaded.
  const samples: number[] = [];
  let hits = 0;
  for (let i = 0; i < CHECKS + 200; i++) {
    const phone = i % 2 === 0 ? number((i * 7919) % N) : `+1469${String(3_000_000 + i).padStart(7, '0')}`;
    const s = performance.now();
    const found = await store.check(phone, `lead${i}@example.com`, { tenantId: 'bench', state: 'TX' });
    if (i >= 200) samples.push(performance.now() - s);
    if (found.length > 0) hits++;
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
  console.table({
    load: { numbers: N, seconds: loadS.toFixed(1), 'numbers/s': Math.round(N / loadS) },
    check: { checks: samples.length, hits: hits, 'p50 ms': q(0.5).toFixed(2), 'p90 ms': q(0.9).toFixed(2), 'p99 ms': q(0.99).toFixed(2) },
  });
  console.log(`suppression: ${N} numbers loaded in ${loadS.toFixed(1)} s; per-lead check median ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms`);
} finally {
  await mongo.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
