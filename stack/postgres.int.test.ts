// The embedded FerretDB on its PostgreSQL backend, started here on its own
// (not the suite's shared server): a cluster is created in a fresh directory,
// the GIN maintainer indexes what FerretDB pushes down, unique indexes still
// refuse duplicates, and a restart on the same directory keeps the data.
import { MongoClient } from 'mongodb';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFerret, type RunningMongo } from './ferretdb.ts';
import { freePort } from './ports.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-pg-'));
const dataDir = join(dir, 'mongo');
const running: RunningMongo[] = [];

async function start(): Promise<RunningMongo> {
  const server = await startFerret({ port: await freePort(), dataDir, backend: 'postgresql', logFile: join(dir, 'mongo.log') });
  running.push(server);
  return server;
}

async function stop(server: RunningMongo): Promise<void> {
  await server.stop();
  running.splice(running.indexOf(server), 1);
}

interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function indexNames(node: PlanNode | undefined): string[] {
  if (!node) return [];
  return [...(node['Index Name'] ? [node['Index Name']] : []), ...(node.Plans ?? []).flatMap(indexNames)];
}

afterAll(async () => {
  await Promise.allSettled(running.map((s) => s.stop()));
  if (!process.env.KEEP_TEST_DATA) rmSync(dir, { recursive: true, force: true });
});

describe('FerretDB on the embedded PostgreSQL', () => {
  it('creates the cluster, answers equality filters from GIN indexes, keeps uniqueness, survives a restart, stops cleanly', async () => {
    const first = await start();
    expect(first.postgres).toBeDefined();
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const client = new MongoClient(first.uri);
    try {
      // Not a name starting "pg" and one more character: FerretDB v1.24 lists its
      // databases with `schema_name NOT LIKE 'pg_%'` (`_` matches any character),
      // so such a database is invisible after a restart.
      const db = client.db('embedded');
      const col = db.collection<{ _id: string; tenantId: string; day: number; slot?: string }>('things');
      await col.createIndex({ tenantId: 1, day: 1 });
      await col.createIndex({ slot: 1 }, { unique: true, sparse: true });
      const docs = Array.from({ length: 5000 }, (_, i) => ({ _id: `k${i}`, tenantId: `t${i % 50}`, day: i % 7 }));
      for (let i = 0; i < docs.length; i += 1000) await col.insertMany(docs.slice(i, i + 1000));

      // The maintainer sweeps every 0.5 s; the plan names the GIN index once it exists.
      const planFor = async (filter: object) => {
        const explained = await db.command({ explain: { find: 'things', filter }, verbosity: 'queryPlanner' });
        return indexNames((explained.queryPlanner as { Plan?: PlanNode }).Plan);
      };
      const indexCondOf = async (filter: object) => {
        const explained = await db.command({ explain: { find: 'things', filter }, verbosity: 'queryPlanner' });
        return (
          JSON.stringify(explained.queryPlanner)
            .match(/"Index Cond":"([^"\\]|\\.)*"/g)
            ?.join(' ') ?? ''
        );
      };
      const deadline = Date.now() + 20_000;
      let byTenant: string[] = [];
      let byId: string[] = [];
      while (Date.now() < deadline) {
        byTenant = await planFor({ tenantId: 't7', day: 0 });
        byId = await planFor({ _id: 'k4321' });
        if (byTenant.some((n) => n.includes('_gin_')) && byId.some((n) => n.includes('_gin_'))) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(byTenant.some((n) => n.includes('_gin_'))).toBe(true);
      expect(byId.some((n) => n.includes('_gin_'))).toBe(true);
      // One index over every declared field: both equalities are its conditions, none is left to filter row by row.
      const cond = await indexCondOf({ tenantId: 't7', day: 0 });
      expect(cond).toContain("'tenantId'");
      expect(cond).toContain("'day'");
      expect(await col.countDocuments({ tenantId: 't7', day: 0 })).toBe(docs.filter((d) => d.tenantId === 't7' && d.day === 0).length);
      expect((await col.findOne({ _id: 'k4321' }))?.tenantId).toBe('t21');

      // FerretDB's own btree indexes still decide duplicates.
      await col.insertOne({ _id: 'slot-a', tenantId: 'x', day: 1, slot: 'a' });
      await expect(col.insertOne({ _id: 'slot-b', tenantId: 'x', day: 1, slot: 'a' })).rejects.toMatchObject({ code: 11000 });
      await expect(col.insertOne({ _id: 'k1', tenantId: 'x', day: 1 })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await client.close();
    }
    const pg = first.postgres!;
    await stop(first);
    expect(pg.child.exited()).toMatch(/exit code 0/);
    // A fast shutdown removes the lock file; a crash would leave it.
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    const second = await start();
    const again = new MongoClient(second.uri);
    try {
      const col = again.db('embedded').collection<{ _id: string; slot?: string }>('things');
      expect(await col.countDocuments({})).toBe(5001);
      expect((await col.findOne({ _id: 'slot-a' }))?.slot).toBe('a');
    } finally {
      await again.close();
    }
    await stop(second);
  });
});
