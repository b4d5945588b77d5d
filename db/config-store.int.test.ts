import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { configStore } from './config-store.ts';
import { configVersionModel } from './models/config-version.ts';

describe('versioned configuration store', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectTestDb('config');
    await configVersionModel(conn).createIndexes();
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('makes every change a new version and keeps the old ones readable', async () => {
    const store = configStore<{ name: string }>(conn);
    const v1 = await store.publish('acme', { name: 'first' }, 'ops@acme');
    const v2 = await store.publish('acme', { name: 'second' }, 'ops@acme', 'renamed');
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect((await store.latest('acme'))?.document).toEqual({ name: 'second' });
    expect((await store.get('acme', 1))?.document).toEqual({ name: 'first' });
    expect((await store.history('acme')).map((h) => h.version)).toEqual([2, 1]);
    expect(await store.latest('other-tenant')).toBeUndefined();
  });

  it('turns 20 concurrent changes into 20 distinct versions', async () => {
    const store = configStore<{ n: number }>(conn);
    const published = await Promise.all(Array.from({ length: 20 }, (_, n) => store.publish('busy', { n }, 'ops')));
    expect(new Set(published.map((p) => p.version)).size).toBe(20);
    expect(await store.latestVersion('busy')).toBe(20);
  });

  it('publishes exactly the next version once: concurrent publishNext on one base gives one winner', async () => {
    const store = configStore<{ n: number }>(conn);
    await store.publish('next', { n: 0 }, 'ops');
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => store.publishNext('next', 1, { n }, 'ops')));
    expect(results.filter((r) => r !== 'conflict')).toHaveLength(1);
    expect(await store.latestVersion('next')).toBe(2);
    expect(await store.publishNext('next', 2, { n: 99 }, 'ops', 'third')).toMatchObject({ version: 3, note: 'third' });
  });
});
