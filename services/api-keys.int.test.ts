import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyModel } from '../db/models/api-key.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { apiKeys, hashApiKey } from './api-keys.ts';

describe('source API keys', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectTestDb('keys');
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('stores only a hash, authenticates the key, and stops after revocation', async () => {
    const keys = apiKeys(conn);
    const { key, info } = await keys.issue('t1', 'src-1', 'admin@t1');
    expect(key).toMatch(/^sy_live_[A-Za-z0-9_-]{32}$/);
    const stored = await apiKeyModel(conn).find().lean();
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(stored[0]?._id).toBe(hashApiKey(key));

    expect(await keys.authenticate(key)).toEqual({ tenantId: 't1', sourceId: 'src-1' });
    expect(await keys.authenticate(`${key}x`)).toBeUndefined();
    expect(await keys.authenticate('not-a-key')).toBeUndefined();

    const rotated = await keys.rotate('t1', 'src-1', 'admin@t1');
    expect(await keys.revoke('t1', 'src-1', info.id)).toBe(true);
    expect(await keys.authenticate(key)).toBeUndefined();
    expect(await keys.authenticate(rotated.key)).toEqual({ tenantId: 't1', sourceId: 'src-1' });
    expect(await keys.revoke('t2', 'src-1', rotated.info.id)).toBe(false);
    expect((await keys.list('t1', 'src-1')).map((k) => !!k.revokedAt)).toEqual([false, true]);
  });
});
