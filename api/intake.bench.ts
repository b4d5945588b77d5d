// Intake latency benchmark: npx tsx api/intake.bench.ts
// Starts the real servers (FerretDB, Temporal dev server) in a temp
// directory, the API on an ephemeral port, and posts leads the way sources do:
// HTTP form posts to /intake/:sourceKey and GraphQL submitLead with the key.
// Each answer means: shape checked against the source contract, intake key
// stored, lead workflow started (no worker: the lead waits on its task queue).
import { Connection } from '@temporalio/client';
import { testClient } from '../testing/temporal.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configStore } from '../db/config-store.ts';
import { validateConfigDocument } from '../domain/config-import.ts';
import { connectMongo } from '../infra/mongo.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import { startMongo } from '../stack/mongo.ts';
import { freePort } from '../stack/ports.ts';
import { startTemporalDev } from '../stack/temporal-dev.ts';
import { apiKeys } from '../services/api-keys.ts';
import { authService } from '../services/auth.ts';
import { createApp } from './server.ts';

const N = Number(process.env.BENCH_N ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-intake-bench-'));
const [mongoSrv, temporalSrv] = await Promise.all([
  startMongo({ port: await freePort(), dataDir: join(dir, 'mongo'), logFile: join(dir, 'mongo.log') }),
  startTemporalDev({ port: 'free', logFile: join(dir, 'temporal.log') }),
]);
const mongo = await connectMongo(mongoSrv.uri, { dbName: 'intake_bench' });
const connection = await Connection.connect({ address: temporalSrv.address });

const doc = validateConfigDocument({
  tenant: { id: 'bench', name: 'Bench' },
  sources: [
    {
      id: 'web',
      name: 'Web',
      costBasis: { kind: 'per_lead', amountCents: 100 },
      fieldMapping: { phone_number: 'phone', postal: 'zip', ref: 'externalId' },
      defaultServiceLine: 'plumbing',
    },
  ],
});
if (!doc.ok) throw new Error(JSON.stringify(doc.errors));
await configStore(mongo).publish('bench', doc.value, 'bench');
const { key } = await apiKeys(mongo).issue('bench', 'web', 'bench');

const app = createApp(
  {
    mongo,
    temporal: testClient(connection),
    namespace: 'default',
    taskQueue: 'intake-bench',
    auth: authService(mongo, { jwtSecret: 'bench-secret-bench-secret-bench-secret-00', tokenTtlSec: 600 }),
    pii: createPiiCodec(DEV_PII_KEY),
  },
  { nodeEnv: 'production', rateLimits: { userPerMin: 1e9, apiKeyPerMin: 1e9, anonymousPerMin: 1e9 } },
);
const server = app.listen(0);
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
async function measure(label: string, send: (i: number) => Promise<Response>) {
  for (let i = 0; i < 20; i++) await (await send(-i - 1)).text(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const res = await send(i);
    await res.text();
    if (res.status >= 300) throw new Error(`${label}: HTTP ${res.status}`);
    times.push(performance.now() - t);
  }
  console.log(`${label.padEnd(34)} n=${N}  median ${pct(times, 50).toFixed(1)} ms  p90 ${pct(times, 90).toFixed(1)} ms  p99 ${pct(times, 99).toFixed(1)} ms`);
}

try {
  await measure('POST /intake/:key (form, new lead)', (i) =>
    fetch(`${base}/intake/${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `phone_number=2145550134&postal=75201&ref=form-${i}`,
    }),
  );
  await measure('POST /intake/:key (JSON, duplicate)', () =>
    fetch(`${base}/intake/${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone_number: '2145550134', postal: '75201', ref: 'form-1' }),
    }),
  );
  await measure('GraphQL submitLead (API key)', (i) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        query: 'mutation($p: JSON!) { submitLead(payload: $p) { ok leadId } }',
        variables: { p: { phone_number: '2145550134', postal: '75201', ref: `gql-${i}` } },
      }),
    }),
  );
} finally {
  server.close();
  await connection.close();
  await mongo.close();
  await Promise.allSettled([mongoSrv.stop(), temporalSrv.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
