import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { blocksFromDays, childrenOf, mergeRows, type Block, type RowsOf } from '../domain/reporting/blocks.ts';
import { BLOCK_SPANS, blockStart, dyadicBlocks, periodsOf, type TimeGrain } from '../domain/reporting/calendar.ts';
import { factsFromEvents, type EndpointFact, type LeadFact, type LeadFacts } from '../domain/reporting/facts.ts';
import type { PeriodRows } from '../domain/reporting/report-rows.ts';
import { endpointRowsOf, rollupId, sourceRowsOf, type RollupKind } from '../domain/reporting/rollups.ts';
import { TenantSchema } from '../schema/tenant.ts';
import type { CostBasis } from '../schema/source.ts';
import { configStore } from './config-store.ts';
import { leadEventModel, toEvent } from './models/lead-event.ts';
import {
  endpointFactModel,
  factOf,
  leadFactModel,
  toEndpointFactDoc,
  toLeadFactDoc,
  toRollupDoc,
  reportLeaseModel,
  reportMarkModel,
  rollupModel,
  type EndpointFactDoc,
  type LeadFactDoc,
  type RollupDoc,
} from './models/report.ts';
import { isDuplicateKey, onlyDuplicateKeys, writeErrorsOf } from './duplicate-key.ts';

/**
 * Replace/update operations per bulk write. The FerretDB test server never
 * answers a bulk write of about a hundred updates that change documents
 * (measured: 99 changed documents take 0.2 s, 100 never return), and
 * concurrent bulk updates can stall it below that (two bulks of 60 at once
 * did; three of 40 and twenty of 5 did not). Small bulks, one after the other
 * within a call, keep well clear of both.
 */
export const MAX_BULK_UPDATES = 25;
const LEASE_MS = 60_000;

/** Inserts in batches; a document whose key already exists is left as it is (someone wrote it meanwhile). */
export async function insertIgnoringDuplicates(
  collection: { insertMany(docs: never[], opts: { ordered: boolean }): Promise<unknown> },
  docs: readonly object[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += 2000) {
    await collection.insertMany(docs.slice(i, i + 2000) as never[], { ordered: false }).catch((err: unknown) => {
      if (!onlyDuplicateKeys(err)) throw err;
    });
  }
}

/** What reports need from a tenant's configuration: its zone (for day buckets) and each source's cost basis. */
export interface TenantReportSettings {
  timeZone: string;
  costBases: Map<string, CostBasis>;
}

const DEFAULT_ZONE = TenantSchema.shape.timeZone.parse(undefined);

export async function tenantReportSettings(conn: Connection, tenantId: string): Promise<TenantReportSettings> {
  const latest = await configStore<{ tenant?: { timeZone?: string }; sources?: Array<{ id: string; costBasis: CostBasis }> }>(conn).latest(tenantId);
  const doc = latest?.document;
  return {
    timeZone: doc?.tenant?.timeZone ?? DEFAULT_ZONE,
    costBases: new Map((doc?.sources ?? []).map((s) => [s.id, s.costBasis])),
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The reporting read models: facts per lead and per lead × receiver (replaced
 * whole, by key), and rollup blocks per tenant, kind and aligned run of days.
 *
 * Freshness without counters: whoever writes facts then inserts a mark naming
 * the days it touched; `refresh` folds marked days back into the rollups from
 * the facts (recomputed, replaced by key) and deletes exactly the marks it
 * read. A mark written after the refresh read the marks survives for the next
 * one, and since facts are written before their mark, a refresh that sees a
 * mark also sees its facts. One refresher per tenant at a time (a lease taken
 * by unique insert) keeps an older recomputation from landing last.
 */
export function reportStore(conn: Connection) {
  const LeadFacts = leadFactModel(conn);
  const EndpointFacts = endpointFactModel(conn);
  const Rollups = rollupModel(conn);
  const Marks = reportMarkModel(conn);
  const Leases = reportLeaseModel(conn);
  const Events = leadEventModel(conn);

  async function ensureIndexes(): Promise<void> {
    // Sequential on purpose: concurrent writes (index builds included) stall the FerretDB test server.
    for (const m of [LeadFacts, EndpointFacts, Rollups, Marks] as const) await (m as { createIndexes(): Promise<unknown> }).createIndexes();
  }

  // Fact keys this store has written (or found written): a key it has not is
  // most likely new, and inserting it is an indexed unique insert on both
  // servers, where the guarded replace below is a scan of the whole facts
  // table on FerretDB (a filter on more than _id). Bounded; forgetting a key
  // only costs one insert that answers "duplicate".
  const written = new Set<string>();
  const remember = (id: string) => {
    written.add(id);
    if (written.size > 50_000) written.delete(written.values().next().value!);
  };

  /**
   * Writes facts by key. A fact folded from fewer events never replaces one
   * folded from more (the filter on `lastSeq`; a losing upsert is a duplicate
   * key, ignored), so a slow writer cannot roll a lead back. A key this store
   * has not written yet is tried as an insert first; one that turns out to
   * exist goes the guarded way.
   */
  async function writeFacts(all: readonly LeadFacts[], marks: readonly object[] = []): Promise<void> {
    // A lead's fact, its receivers' and the mark naming their days share the collection, so one command
    // carries a flush's writes: an ordered insert (or bulk replace) with the mark last, so it never
    // lands before its facts. Where a key turns out to exist, the mark waits for the guarded replaces.
    const docs = all.flatMap(({ lead, endpoints }) => [
      { _id: lead.leadId, seq: lead.lastSeq, doc: toLeadFactDoc(lead) },
      ...endpoints.map((f) => {
        const doc = toEndpointFactDoc(f);
        return { _id: doc._id, seq: f.lastSeq, doc: doc };
      }),
    ]);
    const Facts = LeadFacts.collection;
    let marksLeft = [...marks];
    let fresh = docs.filter((d) => !written.has(d._id));
    const existing = new Set(docs.filter((d) => written.has(d._id)).map((d) => d._id));
    while (fresh.length > 0) {
      const batch = fresh.slice(0, MAX_BULK_UPDATES);
      const withMarks = batch.length === fresh.length && existing.size === 0 ? marksLeft : [];
      try {
        await Facts.insertMany([...batch.map((d) => d.doc), ...withMarks] as never[], { ordered: true });
        fresh = fresh.slice(batch.length);
        if (withMarks.length) marksLeft = [];
      } catch (err) {
        const first = writeErrorsOf(err)?.[0];
        if (!onlyDuplicateKeys(err) || first?.index === undefined || first.index >= batch.length) throw err;
        existing.add(batch[first.index]!._id);
        fresh = fresh.slice(first.index + 1);
      }
    }
    const ops: object[] = docs
      .filter((d) => existing.has(d._id))
      .map((d) => ({ replaceOne: { filter: { _id: d._id, lastSeq: { $lte: d.seq } }, replacement: d.doc, upsert: true } }));
    for (let i = 0; i < ops.length; i += MAX_BULK_UPDATES) {
      const batch = ops.slice(i, i + MAX_BULK_UPDATES);
      const last = i + MAX_BULK_UPDATES >= ops.length;
      const withMarks = last ? marksLeft.map((m) => ({ insertOne: { document: m } })) : [];
      await Facts.bulkWrite([...batch, ...withMarks] as never, { ordered: true })
        .then(() => {
          if (withMarks.length) marksLeft = [];
        })
        .catch(async (err: unknown) => {
          // A fact folded from more events was there (a losing upsert is a duplicate key): the rest, unordered.
          if (!onlyDuplicateKeys(err)) throw err;
          const stopped = writeErrorsOf(err)?.[0]?.index ?? 0;
          const rest = batch.slice(stopped + 1);
          if (rest.length)
            await Facts.bulkWrite(rest as never, { ordered: false }).catch((e: unknown) => {
              if (!onlyDuplicateKeys(e)) throw e;
            });
        });
    }
    docs.forEach((d) => remember(d._id));
    if (marksLeft.length) await Facts.insertMany(marksLeft, { ordered: true });
  }

  /** "These days changed" for `tenantId`, to be written after the facts it names. */
  function markDoc(tenantId: string, days: Iterable<string>): object | undefined {
    const list = [...new Set(days)].sort();
    return list.length ? { _id: randomUUID(), fact: 'mark', tenantId, days: list, at: new Date() } : undefined;
  }
  async function mark(tenantId: string, days: Iterable<string>): Promise<void> {
    const doc = markDoc(tenantId, days);
    if (doc) await Marks.collection.insertOne(doc);
  }
  const daysTouched = (f: LeadFacts) => [f.lead.day, ...f.endpoints.map((e) => e.day)];

  /**
   * A lead's events from seq 1 on, by id (`${leadId}#${seq}`, never a scan):
   * what this process projected before, then those in hand, reading only
   * what is missing. With events in hand the end is known, so nothing past
   * them is probed (a read that finds nothing scans every event on FerretDB).
   */
  async function eventsOf(leadId: string, inHand: ReadonlyMap<string, LeadEvent>, known: readonly LeadEvent[] = []): Promise<LeadEvent[]> {
    const out: LeadEvent[] = [...known];
    let last = Infinity;
    for (const e of inHand.values()) if (e.leadId === leadId) last = last === Infinity ? e.seq : Math.max(last, e.seq);
    for (let seq = out.length + 1; seq <= last; seq++) {
      const id = `${leadId}#${seq}`;
      let e = inHand.get(id);
      if (!e) {
        const d = await Events.findById(id).lean();
        if (!d) return out; // the end, or a gap: facts wait for the missing event
        e = toEvent(d);
      }
      out.push(e);
    }
    return out;
  }

  /**
   * Recomputes the facts of these leads from their stored events (those in
   * hand are not read again), writes them, and marks the days they count on.
   * Safe to call any number of times.
   */
  async function projectLeads(
    leadIds: readonly string[],
    zoneOf: (tenantId: string) => Promise<string>,
    inHand: readonly LeadEvent[] = [],
    cache?: Map<string, LeadEvent[]>,
  ): Promise<LeadFacts[]> {
    const ids = [...new Set(leadIds)];
    if (ids.length === 0) return [];
    const hand = new Map(inHand.map((e) => [e.id, e]));
    const streams = await mapLimit(ids, 4, (id) => eventsOf(id, hand, cache?.get(id)));
    if (cache) {
      for (const [i, id] of ids.entries()) {
        cache.delete(id);
        if (streams[i]!.length) cache.set(id, streams[i]!);
      }
      while (cache.size > 20_000) cache.delete(cache.keys().next().value!);
    }
    const zones = new Map<string, string>();
    const facts: LeadFacts[] = [];
    for (const events of streams) {
      if (events.length === 0) continue;
      const tenantId = events[0]!.tenantId;
      if (!zones.has(tenantId)) zones.set(tenantId, await zoneOf(tenantId));
      const f = factsFromEvents(events, zones.get(tenantId)!);
      if (f) facts.push(f);
    }
    const byTenant = new Map<string, string[]>();
    for (const f of facts) byTenant.set(f.lead.tenantId, [...(byTenant.get(f.lead.tenantId) ?? []), ...daysTouched(f)]);
    await writeFacts(
      facts,
      [...byTenant].flatMap(([tenantId, days]) => markDoc(tenantId, days) ?? []),
    );
    return facts;
  }

  // --- leases

  async function acquire(tenantId: string): Promise<string | undefined> {
    const _id = `rollups|${tenantId}`;
    const holder = randomUUID();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await Leases.collection.insertOne({ _id, holder, expiresAt: Date.now() + LEASE_MS } as never);
        return holder;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const cur = await Leases.collection.findOne({ _id } as never);
        if (cur && (cur as unknown as { expiresAt: number }).expiresAt > Date.now()) return undefined;
        // Expired: the holder crashed or stalled. Remove exactly that lease and try once more.
        if (cur) await Leases.collection.deleteOne({ _id, holder: (cur as unknown as { holder: string }).holder } as never);
      }
    }
    return undefined;
  }
  const stillHeld = async (tenantId: string, holder: string) =>
    ((await Leases.collection.findOne({ _id: `rollups|${tenantId}` } as never)) as unknown as { holder?: string } | null)?.holder === holder;
  const release = (tenantId: string, holder: string) => Leases.collection.deleteOne({ _id: `rollups|${tenantId}`, holder } as never);

  // --- blocks

  async function writeBlocks(tenantId: string, blocks: readonly Block[]): Promise<void> {
    for (let i = 0; i < blocks.length; i += MAX_BULK_UPDATES) {
      const ops = blocks
        .slice(i, i + MAX_BULK_UPDATES)
        .map((b) =>
          b.rows.length === 0
            ? { deleteOne: { filter: { _id: rollupId(tenantId, b.kind, b.span, b.start) } } }
            : { replaceOne: { filter: { _id: rollupId(tenantId, b.kind, b.span, b.start) }, replacement: toRollupDoc(tenantId, b), upsert: true } },
        );
      await Rollups.collection.bulkWrite(ops as never, { ordered: false });
    }
  }

  async function readBlock<K extends RollupKind>(tenantId: string, kind: K, span: number, start: string): Promise<RowsOf<K>> {
    // One `_id` equality per block: the one filter the FerretDB test server pushes down to SQLite.
    const doc = await Rollups.collection.findOne({ _id: rollupId(tenantId, kind, span, start) } as never);
    return doc ? (JSON.parse((doc as unknown as RollupDoc).rows) as RowsOf<K>) : [];
  }

  /** Rebuilds the day blocks of `days` from the facts, then every block above them from its two halves. */
  async function rebuildDays(tenantId: string, days: readonly string[]): Promise<void> {
    // A day per query: FerretDB pushes an equality down to an index, an `$in` it does not (it read all of the tenant's facts).
    const leadFacts: LeadFactDoc[] = [];
    const endpointFacts: EndpointFactDoc[] = [];
    await mapLimit([...days], 8, async (day) => {
      const [l, e] = await Promise.all([
        LeadFacts.collection.find({ tenantId, fact: 'lead', day } as never).toArray() as unknown as Promise<LeadFactDoc[]>,
        EndpointFacts.collection.find({ tenantId, fact: 'endpoint', day } as never).toArray() as unknown as Promise<EndpointFactDoc[]>,
      ]);
      leadFacts.push(...l);
      endpointFacts.push(...e);
    });
    for (const kind of ['source', 'endpoint'] as const) {
      const known = new Map<string, RowsOf<typeof kind>>();
      const level: Block[] = days.map((day) => {
        const rows =
          kind === 'source'
            ? sourceRowsOf(leadFacts.filter((f) => f.day === day).map(factOf) as LeadFact[])
            : endpointRowsOf(endpointFacts.filter((f) => f.day === day).map(factOf) as EndpointFact[]);
        known.set(`1|${day}`, rows);
        return { kind, span: 1, start: day, rows };
      });
      const blocks: Block[] = [...level];
      let starts = new Set(days);
      for (const span of BLOCK_SPANS.slice(1)) {
        const parents = new Set([...starts].map((d) => blockStart(d, span)));
        const half = span / 2;
        for (const p of parents) {
          const parts = await Promise.all(childrenOf(span, p).map(async (c) => known.get(`${half}|${c}`) ?? (await readBlock(tenantId, kind, half, c))));
          const rows = mergeRows(kind, parts);
          known.set(`${span}|${p}`, rows);
          blocks.push({ kind, span, start: p, rows });
        }
        starts = parents;
      }
      await writeBlocks(tenantId, blocks);
    }
  }

  /**
   * Folds marked days into the tenant's rollups. Returns 'busy' when another
   * refresher holds the tenant (its marks stay for it, or for the next call).
   */
  async function refresh(tenantId: string): Promise<{ refreshed: string[] } | 'busy'> {
    const holder = await acquire(tenantId);
    if (!holder) return 'busy';
    try {
      const marks = (await Marks.collection.find({ tenantId, fact: 'mark' } as never).toArray()) as unknown as Array<{ _id: string; days: string[] }>;
      if (marks.length === 0) return { refreshed: [] };
      const days = [...new Set(marks.flatMap((m) => m.days))].sort();
      for (let i = 0; i < days.length; i += 31) await rebuildDays(tenantId, days.slice(i, i + 31));
      if (!(await stillHeld(tenantId, holder))) return 'busy'; // taken over while stalled: leave the marks for the new holder
      // One `_id` equality per mark: FerretDB answers `_id: { $in }` by reading every fact of the collection.
      await mapLimit(marks, 8, (m) => Marks.collection.deleteOne({ _id: m._id } as never));
      return { refreshed: days };
    } finally {
      await release(tenantId, holder);
    }
  }

  /** Days with changes not yet folded into the rollups, within [from, to]. */
  async function pendingDays(tenantId: string, from: string, to: string): Promise<string[]> {
    const marks = (await Marks.collection.find({ tenantId, fact: 'mark' } as never).toArray()) as unknown as Array<{ days: string[] }>;
    return [...new Set(marks.flatMap((m) => m.days).filter((d) => d >= from && d <= to))].sort();
  }

  /**
   * The rollup rows of each period of [from, to] (one period without a grain):
   * each period is covered by aligned blocks, fetched by key and merged.
   */
  async function periodRows<K extends RollupKind>(
    tenantId: string,
    kind: K,
    from: string,
    to: string,
    grain: TimeGrain | undefined,
  ): Promise<PeriodRows<RowsOf<K>[number]>[]> {
    const periods = periodsOf(from, to, grain).map((p) => ({ ...p, blocks: dyadicBlocks(p.from, p.to) }));
    const wanted = [...new Set(periods.flatMap((p) => p.blocks.map((b) => `${b.span}|${b.start}`)))];
    const fetched = new Map<string, RowsOf<K>>();
    await mapLimit(wanted, 8, async (key) => {
      const [span, start] = key.split('|') as [string, string];
      fetched.set(key, await readBlock(tenantId, kind, Number(span), start));
    });
    return periods.map((p) => ({
      period: p.period,
      rows:
        p.blocks.length === 1
          ? fetched.get(`${p.blocks[0]!.span}|${p.blocks[0]!.start}`)!
          : mergeRows(
              kind,
              p.blocks.map((b) => fetched.get(`${b.span}|${b.start}`)!),
            ),
    }));
  }

  /**
   * Replaces a tenant's rollups with blocks built from these day rows, and
   * removes blocks no longer backed by any day: what a full rebuild ends with.
   */
  async function replaceAllRollups(
    tenantId: string,
    days: { source: ReadonlyMap<string, RowsOf<'source'>>; endpoint: ReadonlyMap<string, RowsOf<'endpoint'>> },
  ): Promise<number> {
    const blocks: Block[] = [...blocksFromDays('source', days.source), ...blocksFromDays('endpoint', days.endpoint)];
    await writeBlocks(tenantId, blocks);
    const keep = new Set(blocks.map((b) => rollupId(tenantId, b.kind, b.span, b.start)));
    const existing = (await Rollups.collection.find({ tenantId } as never, { projection: { _id: 1 } }).toArray()) as unknown as Array<{ _id: string }>;
    const stale = existing.map((d) => d._id).filter((id) => !keep.has(id));
    for (let i = 0; i < stale.length; i += 500) await Rollups.collection.deleteMany({ _id: { $in: stale.slice(i, i + 500) } } as never);
    return blocks.length;
  }

  return {
    ensureIndexes,
    writeFacts,
    mark,
    projectLeads,
    refresh,
    pendingDays,
    periodRows,
    replaceAllRollups,
    async leadFactsOfMonth(tenantId: string, sourceId: string, month: string): Promise<LeadFact[]> {
      const docs = (await LeadFacts.collection.find({ tenantId, fact: 'lead', sourceId, month } as never).toArray()) as unknown as LeadFactDoc[];
      return docs.map(factOf);
    },
    async endpointFactsOfMonth(tenantId: string, endpointId: string, month: string): Promise<EndpointFact[]> {
      const docs = (await EndpointFacts.collection
        .find({ tenantId, fact: 'endpoint', endpointId, billingMonth: month } as never)
        .toArray()) as unknown as EndpointFactDoc[];
      return docs.map(factOf);
    },
    async marksWhere(filter: { tenantId?: string }): Promise<Array<{ _id: string; days: string[] }>> {
      return (await Marks.collection.find({ ...filter, fact: 'mark' } as never).toArray()) as unknown as Array<{ _id: string; days: string[] }>;
    },
    /** Insert-only writer for a rebuild (after deleteFacts): a fact already there was written by a live projection and stays. */
    async insertFacts(all: readonly LeadFacts[]): Promise<void> {
      await insertIgnoringDuplicates(
        LeadFacts.collection,
        all.flatMap(({ lead, endpoints }) => [toLeadFactDoc(lead), ...endpoints.map(toEndpointFactDoc)]),
      );
    },
    async deleteFacts(filter: { tenantId?: string }): Promise<void> {
      await LeadFacts.collection.deleteMany({ ...filter, fact: { $in: ['lead', 'endpoint'] } }); // both kinds, not the marks
    },
    async deleteMarks(ids: readonly string[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 500) await Marks.collection.deleteMany({ _id: { $in: ids.slice(i, i + 500) } } as never);
    },
  };
}

export type ReportStore = ReturnType<typeof reportStore>;

/**
 * The hook for the lead store: after events are appended, bring the facts of
 * these leads up to date and mark their days (pass the appended events as
 * `events` to spare reading them back). Idempotent; if it fails, the
 * caller's retry (or `npm run rebuild-read-models`) catches up. Rollups are
 * folded lazily, many appends at once, by the next report query;
 * `{ refresh: true }` folds them here.
 */
export async function projectReportFacts(
  conn: Connection,
  leadIds: readonly string[],
  opts: { refresh?: boolean; events?: readonly LeadEvent[] } = {},
): Promise<void> {
  const p = projectorOf(conn);
  const facts = await p.store.projectLeads(leadIds, p.zoneOf, opts.events, p.streams);
  if (!opts.refresh) return;
  for (const tenantId of new Set(facts.map((f) => f.lead.tenantId))) await p.store.refresh(tenantId);
}

/**
 * Per connection (in effect per worker process): the store, each lead's event
 * stream as last projected, and each tenant's time zone, so a flush reads
 * only events it has not seen. A tenant's zone is read once per process (a
 * change of zone needs `npm run rebuild-read-models` anyway).
 */
const projectors = new WeakMap<
  Connection,
  { store: ReturnType<typeof reportStore>; streams: Map<string, LeadEvent[]>; zoneOf: (tenantId: string) => Promise<string> }
>();
function projectorOf(conn: Connection) {
  let p = projectors.get(conn);
  if (!p) {
    const zones = new Map<string, Promise<string>>();
    p = {
      store: reportStore(conn),
      streams: new Map(),
      zoneOf: (tenantId) => {
        if (!zones.has(tenantId))
          zones.set(
            tenantId,
            tenantReportSettings(conn, tenantId).then((t) => t.timeZone),
          );
        return zones.get(tenantId)!;
      },
    };
    projectors.set(conn, p);
  }
  return p;
}
