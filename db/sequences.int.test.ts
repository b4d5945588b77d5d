import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectMongo } from '../infra/mongo.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { sequences } from './sequences.ts';

describe('running totals on insert-only sequences', () => {
  let conn: Connection;
  const others: Connection[] = [];
  beforeAll(async () => {
    conn = await connectTestDb('seqtotal');
    // Each its own connection and cache, as separate processes would be.
    for (let i = 0; i < 3; i++) others.push(await connectMongo(inject('mongoUri'), { dbName: conn.name }));
  });
  afterAll(async () => {
    await Promise.all(others.map((c) => c.close()));
    if (conn) await dropTestDb(conn);
  });

  it('loses no change under 60 concurrent writers on four processes, and starts from its base', async () => {
    const seqs = [conn, ...others].map((c) => sequences(c, 'totals'));
    let asked = 0;
    const base = () => {
      asked++;
      return 100;
    };
    const deltas = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? -1 : 2));
    const after = await Promise.all(deltas.map((d, i) => seqs[i % 4]!.addToTotal('tally|list-a', d, base)));
    const expected = 100 + deltas.reduce((a, b) => a + b, 0);
    // One entry per change, each on the one before: the newest is the sum of all of them.
    const fresh = sequences(others[2]!, 'totals');
    expect(await fresh.highest('tally|list-a')).toBe(60);
    expect(await fresh.total('tally|list-a', () => -1)).toBe(expected);
    expect(after).toContain(expected);
    expect(asked).toBeGreaterThan(0);
    expect(await seqs[0]!.total('tally|never-changed', 7)).toBe(7);
  });
});
