import { Readable } from 'node:stream';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { connectMongo } from '../infra/mongo.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { suppressionModel } from './models/suppression.ts';
import { suppressionStore, type SuppressionStore } from './suppression-store.ts';

describe('suppression store on the real database', () => {
  let conn: Connection;
  let store: SuppressionStore;
  beforeAll(async () => {
    conn = await connectTestDb('suppr');
    await suppressionModel(conn).createIndexes();
    store = suppressionStore(conn);
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('has the unique natural-key index, the version in it', async () => {
    const indexes = await suppressionModel(conn).collection.indexes();
    expect(indexes.find((i) => i.unique && Object.keys(i.key).join(',') === 'scope,list,state,kind,value,version')).toBeDefined();
  });

  it('loads a headerless federal registry file (areacode,number), reporting bad lines, and a reload inserts nothing', async () => {
    const csv = ['214,5550134', '469,5550101', '', '# a comment', '12,34', '214,5550134'].join('\n');
    const first = await store.loadCsv(csv, { list: 'federal', source: 'dnc-2026-03.csv' });
    expect(first).toEqual({
      ok: true,
      rows: 4,
      inserted: 2,
      alreadyPresent: 1,
      rejected: 1,
      version: 1,
      committed: true,
      errors: [{ line: 5, message: '"1234" is not a valid phone number' }],
      errorsTruncated: false,
    });
    const again = await store.loadCsv(Readable.from([csv]), { list: 'federal' });
    expect(again).toMatchObject({ ok: true, inserted: 0, alreadyPresent: 3, rejected: 1, version: 1 });
    expect(await store.count({ list: 'federal' })).toBe(2);
  });

  it('loads a file with phone and email columns into a tenant’s internal list, normalising both', async () => {
    const csv = 'Name,Phone Number,Email\nAda,(972) 555-0110,ADA@Example.com\nBob,,bob@example\nCy,972.555.0111,\n';
    const r = await store.loadCsv(csv, { list: 'internal', tenantId: 't1' });
    expect(r).toEqual({
      ok: true,
      rows: 3,
      inserted: 3,
      alreadyPresent: 0,
      rejected: 1,
      version: 1,
      committed: true,
      errors: [{ line: 3, message: '"bob@example" is not a valid email address' }],
      errorsTruncated: false,
    });
    const docs = await suppressionModel(conn).find({ scope: 'tenant:t1' }).lean();
    expect(docs.map((d) => d.value).sort()).toEqual(['+19725550110', '+19725550111', 'ada@example.com']);
  });

  it('checks the shared registries, the lead’s state list, and only the tenant’s own internal list', async () => {
    await store.loadCsv('phone\n+12145550199\n', { list: 'state', state: 'TX' });
    expect(await store.check('+12145550134', undefined, { tenantId: 't1', state: 'TX' })).toEqual([{ list: 'federal', scope: 'global', matchedOn: 'phone' }]);
    expect(await store.check('+12145550199', undefined, { tenantId: 't1', state: 'TX' })).toEqual([
      { list: 'state', state: 'TX', scope: 'global', matchedOn: 'phone' },
    ]);
    expect(await store.check('+12145550199', undefined, { tenantId: 't1', state: 'OK' })).toEqual([]);
    expect(await store.check(undefined, 'Ada@example.com', { tenantId: 't1' })).toEqual([{ list: 'internal', scope: 'tenant', matchedOn: 'email' }]);
    expect(await store.check(undefined, 'ada@example.com', { tenantId: 't2' })).toEqual([]);
    expect(await store.check('+13125550000', 'nobody@example.com', { tenantId: 't1', state: 'IL' })).toEqual([]);
    expect(await store.check(undefined, undefined, { tenantId: 't1' })).toEqual([]);
  });

  it('adds and removes single values (an opt-out, a correction)', async () => {
    expect(await store.add(['(312) 555-0142', 'not a number'], { list: 'internal', tenantId: 't2', source: 'STOP reply' })).toMatchObject({
      ok: true,
      inserted: 1,
      rejected: 1,
    });
    expect(await store.check('+13125550142', undefined, { tenantId: 't2' })).toHaveLength(1);
    expect(await store.remove('312-555-0142', { list: 'internal', tenantId: 't2' })).toBe(true);
    expect(await store.check('+13125550142', undefined, { tenantId: 't2' })).toEqual([]);
  });

  it('concurrent uploads of the same file each load a whole version of their own; the last committed is checked, whole', async () => {
    const csv = Array.from({ length: 50 }, (_, i) => `+1415555${String(1000 + i)}`).join('\n');
    const results = await Promise.all(Array.from({ length: 4 }, () => store.loadCsv(csv, { list: 'internal', tenantId: 't3' }, { mode: 'replace' })));
    expect(new Set(results.map((r) => r.ok && r.version)).size).toBe(4);
    expect(await store.count({ list: 'internal', tenantId: 't3' })).toBe(50);
  });

  it('a replacement is checked only once it is whole; single additions (an opt-out) survive it', async () => {
    await store.loadCsv('+17135550100\n+17135550101\n', { list: 'internal', tenantId: 't5' }, { mode: 'replace' });
    await store.add(['+17135550199'], { list: 'internal', tenantId: 't5', source: 'STOP reply' });
    // A new file without 0100, fed slowly: half of it is in, and checks still see the whole old version.
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    async function* slowFile() {
      yield '+17135550101\n+17135550102\n';
      await paused;
      yield '+17135550103\n';
    }
    const loading = store.loadCsv(Readable.from(slowFile()), { list: 'internal', tenantId: 't5', source: 'crm-export.csv' }, { mode: 'replace', by: 'ops@t5' });
    await new Promise((r) => setTimeout(r, 300));
    const on = async (phone: string) => (await store.check(phone, undefined, { tenantId: 't5' })).length > 0;
    expect([await on('+17135550100'), await on('+17135550102'), await on('+17135550199')]).toEqual([true, false, true]);
    resume();
    expect(await loading).toMatchObject({ ok: true, version: 2, committed: true, inserted: 3 });
    expect([await on('+17135550100'), await on('+17135550102'), await on('+17135550103'), await on('+17135550199')]).toEqual([false, true, true, true]);
    // The lists t5 is checked against: the shared registries loaded above, and its own.
    expect((await store.lists('t5')).map(({ updatedAt: _u, ...l }) => l)).toEqual([
      { list: 'federal', scope: 'global', version: 1, uploaded: 2, added: 0, note: 'dnc-2026-03.csv' },
      { list: 'state', state: 'TX', scope: 'global', version: 1, uploaded: 1, added: 0 },
      { list: 'internal', scope: 'tenant', version: 2, uploaded: 3, added: 1, by: 'ops@t5', note: 'crm-export.csv' },
    ]);
  });

  it('keeps each list’s count through additions and removals, concurrent ones included, and lists them without counting entries', async () => {
    const values = Array.from({ length: 20 }, (_, i) => `+1214555${String(2000 + i)}`);
    // Twenty opt-outs at once, each from its own call: none is lost (the count is a unique-insert ledger, not an $inc).
    await Promise.all(values.map((v) => store.add([v], { list: 'internal', tenantId: 't9' })));
    expect(await store.count({ list: 'internal', tenantId: 't9' })).toBe(20);
    await store.loadCsv(values.slice(0, 5).join('\n'), { list: 'internal', tenantId: 't9' }, { mode: 'replace' });
    await store.add([values[0]!, '+12145559999'], { list: 'internal', tenantId: 't9' }); // one already there, one new
    expect(await Promise.all(values.slice(10, 13).map((v) => store.remove(v, { list: 'internal', tenantId: 't9' })))).toEqual([true, true, true]);
    expect(await store.remove(values[1]!, { list: 'internal', tenantId: 't9' })).toBe(true); // an addition and an upload entry
    expect(await store.remove('+12145550000', { list: 'internal', tenantId: 't9' })).toBe(false);
    const truth = async (version: number) => suppressionModel(conn).countDocuments({ scope: 'tenant:t9', version });
    const [uploaded, added] = [await truth(1), await truth(0)];
    expect([uploaded, added]).toEqual([4, 17]);
    expect(await store.count({ list: 'internal', tenantId: 't9' })).toBe(uploaded + added);

    // A second process reads the same counts, and only by point reads of `_id`.
    const seen: Array<{ name: string; filter: unknown }> = [];
    const other = await connectMongo(inject('mongoUri'), { dbName: conn.db!.databaseName, onCommand: () => undefined });
    other.getClient().on('commandStarted', (e) => seen.push({ name: e.commandName, filter: (e.command as { filter?: unknown }).filter }));
    try {
      const lists = await suppressionStore(other).lists('t9');
      expect(lists.find((l) => l.list === 'internal')).toMatchObject({ version: 1, uploaded, added });
      const reads = seen.filter((c) => ['find', 'count', 'aggregate', 'distinct'].includes(c.name));
      expect(reads.length).toBeGreaterThan(0);
      expect(reads.filter((c) => c.name !== 'find' || Object.keys((c.filter as object | undefined) ?? {}).join() !== '_id')).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('refuses a target that makes no sense, with a specific message', async () => {
    expect(await store.loadCsv('phone\n', { list: 'state' })).toEqual({ ok: false, error: 'a state list needs a two-letter upper-case state, e.g. "TX"' });
    expect(await store.loadCsv('phone\n', { list: 'internal' })).toEqual({ ok: false, error: 'an internal list belongs to a tenant: tenantId is required' });
    expect(await store.loadCsv('phone\n', { list: 'federal', state: 'TX' })).toEqual({ ok: false, error: 'a federal list has no state' });
  });

  it('a malformed CSV record is reported by line and the rest still loads', async () => {
    const r = await store.loadCsv('phone,email\n+16175550100,a@b.com\n+16175550103,c@d.com\n"+16175550101,x\n', { list: 'internal', tenantId: 't4' });
    expect(r).toMatchObject({
      ok: true,
      rows: 2,
      inserted: 4,
      rejected: 1,
      errors: [{ line: 4, message: expect.stringMatching(/^unreadable CSV: Quote Not Closed/) }],
    });
  });
});
