// Offer lookups on FerretDB v1 with 10,000 leads: npx tsx services/open-offers.bench.ts
// Compares the filtered query on `leads` the API used before (FerretDB scans
// the collection for anything but `_id` equality) with the inbox-and-point-read
// path (services/open-offers.ts): myOffers, a subscription's quiet poll, and
// the lead loader's `$in` against point reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leadModel, utcDay } from '../db/models/lead.ts';
import { notificationStore } from '../db/notification-store.ts';
import { leadQuery } from '../db/lead-query.ts';
import { connectMongo } from '../infra/mongo.ts';
import { startMongo } from '../stack/mongo.ts';
import { freePort } from '../stack/ports.ts';
import { openOffers } from './open-offers.ts';

const LEADS = Number(process.env.BENCH_LEADS ?? 10_000);
const N = Number(process.env.BENCH_N ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-offers-bench-'));
const srv = await startMongo({ port: await freePort(), dataDir: join(dir, 'mongo'), logFile: join(dir, 'mongo.log') });
const mongo = await connectMongo(srv.uri, { dbName: 'offers_bench' });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
async function measure(label: string, run: () => Promise<unknown>) {
  await run();
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  console.log(`${label.padEnd(52)} n=${N}  median ${pct(times, 50).toFixed(2)} ms  p90 ${pct(times, 90).toFixed(2)} ms`);
}

try {
  const Leads = leadModel(mongo);
  await Leads.createIndexes();
  const now = Date.now();
  const agents = Array.from({ length: 50 }, (_, i) => `agent-${i}`);
  // Every 50th lead is still offered to agent-0; the rest are owned.
  for (let b = 0; b < LEADS; b += 1000) {
    await Leads.insertMany(
      Array.from({ length: Math.min(1000, LEADS - b) }, (_, k) => {
        const i = b + k;
        const open = i % 50 === 0;
        const base = {
          _id: `L${i}`,
          leadId: `L${i}`,
          tenantId: 'bench',
          sourceId: 'web',
          serviceLine: 'plumbing',
          receivedAt: now - (LEADS - i) * 1000,
          receivedDay: utcDay(now - (LEADS - i) * 1000),
          costCents: 100,
          flags: [],
          lapsedBy: [],
          collaborators: [],
          deliveryAttempts: 1,
          billing: 'billable',
          lastEventSeq: 5,
          updatedAt: now,
        };
        return open
          ? { ...base, status: 'offered', offeredTo: ['agent-0'], offerRound: 1, offerDeadlineAt: now + 600_000 }
          : { ...base, status: 'assigned', offeredTo: [], offerRound: 1, ownerEndpointId: agents[i % 50] };
      }),
    );
  }
  const notes = notificationStore(mongo);
  // The inbox's 20 latest offers: 3 still inside their claim deadline, 17 past it.
  for (let i = LEADS - 20 * 50, j = 0; i < LEADS; i += 50, j++) {
    await notes.send(
      'bench',
      ['agent-0'],
      { leadId: `L${i}`, kind: 'offered', message: 'offer', at: now, deadlineAt: j >= 17 ? now + 600_000 : now - 60_000, round: 1 },
      'offered:1',
    );
  }
  console.log(`FerretDB ${srv.kind}, ${LEADS} leads, agent-0 has ${LEADS / 50} offered leads; its inbox holds 20 offers, 3 inside their deadline`);

  await measure('before: leads.find({offeredTo, status}).sort().limit(100)', () =>
    Leads.find({ tenantId: 'bench', offeredTo: 'agent-0', status: 'offered' }).sort({ receivedAt: -1 }).limit(100).lean(),
  );
  await measure('myOffers: inbox, then point reads of live offers', () => openOffers(mongo, { notes }).list('bench', 'agent-0', now, 100));
  const watch = openOffers(mongo, { notes }).watcher('bench', 'agent-0');
  await watch(now);
  await measure('subscription poll, nothing new (warm)', () => watch(now));

  await measure('before: lead loader, find({tenantId, _id: {$in: [id]}})', () => Leads.find({ tenantId: 'bench', _id: { $in: [`L${LEADS - 1}`] } }).lean());
  const q = leadQuery(mongo);
  await measure('lead loader now: byIds by point reads (1 id)', () => q.byIds('bench', [`L${LEADS - 1}`]));
} finally {
  await mongo.close();
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
}
