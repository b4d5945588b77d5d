import { Schema, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';

describe('mongoose on the MongoDB-wire server', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectTestDb('smoke');
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('creates a unique index and refuses a duplicate insert with E11000', async () => {
    const Thing = conn.model('Thing', new Schema({ key: { type: String, required: true, unique: true } }));
    await Thing.createIndexes();
    const indexes = await Thing.collection.indexes();
    expect(indexes.some((i) => i.unique && i.key.key === 1)).toBe(true);

    await Thing.create({ key: 'lead-1' });
    const dup = await Thing.create({ key: 'lead-1' }).then(
      () => undefined,
      (err: { code?: number; message?: string }) => err,
    );
    expect(dup?.code).toBe(11000);
    expect(dup?.message).toMatch(/E11000/);
    expect(await Thing.countDocuments({ key: 'lead-1' })).toBe(1);
  });
});
