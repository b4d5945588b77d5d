// `npm run rebuild-read-models [-- --tenant <id>] [--reports-only]`: rebuilds the
// lead documents, reporting facts and rollups from the lead_events collection at
// MONGODB_URI. Idempotent: run it as often as you like, the result is the same.
// --reports-only leaves the lead documents alone.
import { parseArgs } from 'node:util';
import { rebuildReadModels } from '../db/rebuild-read-models.ts';
import { loadEnv } from '../infra/env.ts';
import { connectMongo } from '../infra/mongo.ts';

const { values } = parseArgs({ options: { tenant: { type: 'string' }, 'reports-only': { type: 'boolean', default: false } } });
const env = loadEnv();
const conn = await connectMongo(env.MONGODB_URI);
const started = Date.now();
try {
  const s = await rebuildReadModels(conn, {
    ...(values.tenant ? { tenantId: values.tenant } : {}),
    leads: !values['reports-only'],
    log: (line) => console.log(`[rebuild] ${line}`),
  });
  console.log(
    `[rebuild] done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.leads} leads, ${s.events} events, tenants ${s.tenants.join(', ') || '(none)'}`,
  );
} catch (err) {
  console.error(`[rebuild] failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await conn.close();
}
