import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { isFerretDb } from './server-kind.ts';

/**
 * Decides the counter design. 50 concurrent operations on one document or key,
 * 5 rounds each, the figures printed. Observed on FerretDB v1.24.2, on its
 * SQLite and its PostgreSQL backend alike (it reads, updates in Go, writes back):
 * conditional and plain $inc LOSE updates (every call reports success, the
 * count ends far below), while unique-key inserts admit exactly one winner.
 * So caps, rotations and idempotency rest on unique-key inserts only.
 */
const CALLS = 50;
const LIMIT = 30;
const ROUNDS = 5;

describe('concurrency probe', () => {
  let conn: Connection;
  let ferret: boolean;
  beforeAll(async () => {
    conn = await connectTestDb('probe');
    ferret = await isFerretDb(conn);
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  async function conditionalIncRounds() {
    const col = conn.collection<{ _id: string; count: number }>('conditional');
    const rounds: Array<{ succeeded: number; finalCount: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const _id = `counter-${r}`;
      await col.insertOne({ _id, count: 0 });
      const outcomes = await Promise.all(
        Array.from({ length: CALLS }, () => col.findOneAndUpdate({ _id, count: { $lt: LIMIT } }, { $inc: { count: 1 } }, { returnDocument: 'after' })),
      );
      const finalCount = (await col.findOne({ _id }))!.count;
      rounds.push({ succeeded: outcomes.filter((o) => o !== null).length, finalCount });
    }
    console.log(`[concurrency-probe] conditional findOneAndUpdate $inc (count < ${LIMIT}), ${CALLS} concurrent: ${JSON.stringify(rounds)}`);
    return rounds;
  }

  it('conditional findOneAndUpdate with $inc: atomic on MongoDB, loses updates on FerretDB v1', async () => {
    const rounds = await conditionalIncRounds();
    if (ferret) {
      // The behaviour observed here: more calls report success than the count shows.
      const lost = rounds.filter((r) => r.succeeded > r.finalCount);
      expect(lost.length).toBeGreaterThan(0);
    } else {
      for (const r of rounds) expect(r).toEqual({ succeeded: LIMIT, finalCount: LIMIT });
    }
  });

  it('plain updateOne $inc: exact on MongoDB, loses updates on FerretDB v1', async () => {
    const col = conn.collection<{ _id: string; n: number }>('plain');
    const finals: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const _id = `plain-${r}`;
      await col.insertOne({ _id, n: 0 });
      await Promise.all(Array.from({ length: CALLS }, () => col.updateOne({ _id }, { $inc: { n: 1 } })));
      finals.push((await col.findOne({ _id }))!.n);
    }
    console.log(`[concurrency-probe] plain $inc, ${CALLS} concurrent, final counts: ${JSON.stringify(finals)}`);
    if (ferret) expect(finals.some((n) => n < CALLS)).toBe(true);
    else expect(finals).toEqual(Array(ROUNDS).fill(CALLS));
  });

  it('unique-key inserts admit exactly one winner among concurrent writers, on every server', async () => {
    const col = conn.collection<{ slot: string }>('slots');
    await col.createIndex({ slot: 1 }, { unique: true });
    const winners: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const settled = await Promise.allSettled(Array.from({ length: CALLS }, () => col.insertOne({ slot: `slot-${r}` })));
      const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      expect(rejected.every((s) => (s.reason as { code?: number }).code === 11000)).toBe(true);
      winners.push(settled.length - rejected.length);
      expect(await col.countDocuments({ slot: `slot-${r}` })).toBe(1);
    }
    console.log(`[concurrency-probe] unique-key insert, ${CALLS} concurrent, winners per round: ${JSON.stringify(winners)}`);
    expect(winners).toEqual(Array(ROUNDS).fill(1));
  });
});
