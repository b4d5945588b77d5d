// GIN maintainer benchmark: npx tsx stack/pg-index.bench.ts [documents, default 100000]
// FerretDB on the embedded PostgreSQL, once with scripts/ferretdb/pg_index.go
// off (-gin-index=false) and once on, the same collection of "facts" with a
// declared index on tenantId + endpointId + day: the median of 30 finds by
// the three fields, 30 point reads by _id and 30 replaceOne by _id.
import { MongoClient } from 'mongodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnManaged } from './child.ts';
import { ping } from './ferretdb.ts';
import { freePort, waitFor } from './ports.ts';
import { FERRET_DATABASE, startPostgres } from './postgres.ts';
import { ferretPath } from './tools.ts';

const N = Number(process.argv[2] ?? 100000);
for (const gin of [false, true]) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-gin-'));
  const pg = await startPostgres({ port: await freePort(), dataDir: join(dir, 'pg') });
  const port = await freePort();
  const f = spawnManaged({
    name: 'mongodb',
    command: ferretPath(),
    args: [
      '-listen-addr',
      `127.0.0.1:${port}`,
      '-backend',
      'postgresql',
      '-postgresql-url',
      `${pg.url(FERRET_DATABASE)}?plan_cache_mode=force_custom_plan`,
      `-gin-index=${gin}`,
    ],
  });
  const uri = `mongodb://127.0.0.1:${port}/`;
  await waitFor('FerretDB', () => ping(uri), 30000, f.exited);
  const c = new MongoClient(uri);
  const col = c.db('bench').collection<{ _id: string; tenantId: string; endpointId: string; day: number; v: number }>('facts');
  await col.createIndex({ tenantId: 1, endpointId: 1, day: 1 });
  for (let i = 0; i < N; i += 2000)
    await col.insertMany(
      Array.from({ length: 2000 }, (_, j) => ({ _id: `f${i + j}`, tenantId: `t${(i + j) % 10}`, endpointId: `e${(i + j) % 97}`, day: (i + j) % 30, v: 0 })),
    );
  await new Promise((r) => setTimeout(r, 2000));
  const time = async (what: string, fn: (i: number) => Promise<unknown>, n = 30) => {
    const ts: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await fn(i);
      ts.push(performance.now() - s);
    }
    ts.sort((a, b) => a - b);
    console.log(`GIN indexes ${gin ? 'on ' : 'off'}, ${N} documents, ${what}: median ${ts[n >> 1]!.toFixed(2)} ms`);
  };
  await time('find tenantId+endpointId+day', (i) => col.find({ tenantId: `t${i % 10}`, endpointId: `e${i % 97}`, day: i % 30 }).toArray());
  await time('find _id', (i) => col.findOne({ _id: `f${(i * 7919) % N}` }));
  await time('replaceOne _id', (i) => col.replaceOne({ _id: `f${(i * 7919) % N}` }, { tenantId: 'tx', endpointId: 'ex', day: 1, v: i }));
  await c.close();
  await f.stop();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
