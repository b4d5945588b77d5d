import type { Connection } from 'mongoose';
import { isDuplicateKey, onlyDuplicateKeys, writeErrorsOf } from './duplicate-key.ts';

/**
 * Numbered, insert-only document sequences addressed by `_id` (`<prefix>#<n>`,
 * n = 1, 2, 3, ... without gaps). They are the storage primitive under
 * reservations, turns and lookup indexes because they need only the two
 * operations that are both atomic and fast on every server we support:
 * a unique-key insert (exactly one writer gets `#n`) and a point read by
 * `_id`. FerretDB v1 on SQLite pushes down nothing but `_id` equality, so any
 * other filter, and every update or delete, scans the whole collection.
 *
 * Documents are never changed or deleted, so whatever this process has seen
 * stays true: the highest index seen is a lower bound of the real one, and
 * documents read once are cached.
 */
export interface SeqDoc {
  _id: string;
  [field: string]: unknown;
}

// Per store and process. Most reads that hit are of documents written or read seconds before (the end of a
// sequence, an inbox's newest entries); at 50,000 the caches of a worker held about 100 MB after 10,000 leads.
const MAX_CACHED_DOCS = 10_000;

/** Where a running total starts: a number, or how to find it (asked only while the total has no entry). */
export type TotalBase = number | (() => number | Promise<number>);
const baseValue = async (base: TotalBase) => (typeof base === 'number' ? base : base());

/** A document of an ordered run of inserts; `at` when it is entry `n` of a sequence (so the sequence's end is learnt). */
export interface RunDoc {
  id: string;
  data: Record<string, unknown>;
  at?: { prefix: string; n: number };
}

export interface SequenceOptions {
  /** Between prefix and number in `_id` (`#`; configuration versions use `@`). */
  separator?: string;
  /** Keep read documents (they never change). Off for large documents: reads then fetch `_id` only. */
  cacheDocs?: boolean;
}

export function sequences(conn: Connection, collectionName = 'reservations', opts: SequenceOptions = {}) {
  const col = conn.collection<SeqDoc>(collectionName);
  const sep = opts.separator ?? '#';
  const cacheDocs = opts.cacheDocs ?? true;
  /** prefix → highest index known to exist (a lower bound). */
  const known = new Map<string, number>();
  const docs = new Map<string, SeqDoc>();

  const idOf = (prefix: string, n: number) => `${prefix}${sep}${n}`;
  const learn = (prefix: string, n: number) => {
    const k = known.get(prefix);
    if (k === undefined || n > k) known.set(prefix, n);
  };
  const keep = (doc: SeqDoc) => {
    if (!cacheDocs) return;
    if (docs.size >= MAX_CACHED_DOCS) docs.delete(docs.keys().next().value!);
    docs.set(doc._id, doc);
  };

  async function read(id: string): Promise<SeqDoc | undefined> {
    const hit = docs.get(id);
    if (hit) return hit;
    const doc = (await col.findOne({ _id: id }, cacheDocs ? {} : { projection: { _id: 1 } })) ?? undefined;
    if (doc) keep(doc);
    return doc;
  }

  /** The real highest index now: gallops up from what is known, then bisects. */
  async function highest(prefix: string): Promise<number> {
    let lo = known.get(prefix) ?? 0; // exists (or 0)
    if (!(await read(idOf(prefix, lo + 1)))) {
      learn(prefix, lo);
      return lo;
    }
    lo += 1;
    let step = 1;
    while (await read(idOf(prefix, lo + step))) {
      lo += step;
      step *= 2;
    }
    let hi = lo + step; // absent
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await read(idOf(prefix, mid))) lo = mid;
      else hi = mid;
    }
    learn(prefix, lo);
    return lo;
  }

  /** A running total's newest entry and its value (`base` while it has none). */
  async function newestTotal(prefix: string, base: TotalBase): Promise<{ n: number; total: number }> {
    const n = await highest(prefix);
    return { n, total: n === 0 ? await baseValue(base) : ((await read(idOf(prefix, n)))?.total as number) };
  }

  /** Inserts a one-off key; false when it already exists (an idempotency guard). */
  async function insertOnce(id: string, data: Record<string, unknown>): Promise<boolean> {
    const doc: SeqDoc = { ...data, _id: id };
    try {
      await col.insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return false;
    }
    keep(doc);
    return true;
  }

  /**
   * Several one-off inserts in one command, in order, stopping at the first
   * key that exists (an ordered insertMany): how many went in. Callers whose
   * protocol is "insert A, then B" get both in one round trip when nothing
   * races, and learn exactly where a race interrupted them when something did.
   */
  async function insertRun(run: ReadonlyArray<RunDoc>): Promise<number> {
    if (run.length === 0) return 0;
    const docs: SeqDoc[] = run.map((r) => ({ ...r.data, _id: r.id }));
    let inserted = docs.length;
    try {
      await col.insertMany(docs, { ordered: true });
    } catch (err) {
      if (!onlyDuplicateKeys(err)) throw err;
      const at = writeErrorsOf(err)?.[0]?.index ?? (err as { result?: { insertedCount?: number } }).result?.insertedCount;
      if (at === undefined) throw err; // where it stopped is unknown: the caller's retry sorts it out
      inserted = at;
      const stopped = run[at];
      if (stopped?.at) learn(stopped.at.prefix, stopped.at.n); // the key that exists
    }
    for (let i = 0; i < inserted; i++) {
      keep(docs[i]!);
      const a = run[i]!.at;
      if (a) learn(a.prefix, a.n);
    }
    return inserted;
  }

  /**
   * `insertRun` for callers whose run is made of steps of a document or two
   * each ("the guard, then the entry"): for each step, how many of its
   * documents went in, or undefined where the run stopped before it. A count
   * short of the step's length means its next document exists (a race or a
   * retry); the caller carries on from there, step by step.
   */
  async function insertSteps(steps: ReadonlyArray<ReadonlyArray<RunDoc>>): Promise<Array<number | undefined>> {
    const run = steps.flat();
    const done = await insertRun(run);
    let start = 0;
    return steps.map((docs) => {
      const from = start;
      start += docs.length;
      if (done === run.length) return docs.length;
      return done < from ? undefined : Math.min(done - from, docs.length);
    });
  }

  return {
    idOf,
    read,
    highest,
    insertRun,
    insertSteps,

    /** What this process knows without asking (undefined: never looked). */
    cachedHighest(prefix: string): number | undefined {
      return known.get(prefix);
    },

    /** Inserts exactly `#n`; false when another writer holds it. */
    async insertAt(prefix: string, n: number, data: Record<string, unknown>): Promise<boolean> {
      if (!(await insertOnce(idOf(prefix, n), data))) return false;
      learn(prefix, n);
      return true;
    },

    /**
     * Appends after the current end, however many writers race; returns the
     * index taken. The insert is the probe: a duplicate key proves the slot
     * exists, which is cheaper than reading (on FerretDB every read scans,
     * only inserts are indexed). A long run of duplicates (a cold cache of a
     * long sequence) switches to reading for the end.
     */
    async append(prefix: string, data: Record<string, unknown>): Promise<number> {
      let n = (known.get(prefix) ?? 0) + 1;
      let dups = 0;
      for (let attempt = 0; attempt < 100_000; attempt++) {
        const doc: SeqDoc = { ...data, _id: idOf(prefix, n) };
        try {
          await col.insertOne(doc);
          keep(doc);
          learn(prefix, n);
          return n;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          learn(prefix, n);
          dups += 1;
          n = dups > 8 ? (await highest(prefix)) + 1 : n + 1;
          if (dups > 8) dups = 0;
        }
      }
      throw new Error(`could not append to ${prefix}`);
    },

    /**
     * A running total kept as a sequence: each change appends the new total,
     * computed from the newest entry, at the slot after it. Two racing changes
     * cannot both take that slot, so the loser re-reads and adds on top: no
     * change is lost, which a concurrent `$inc` on FerretDB cannot promise.
     * Reading it is one or two point reads however many entries it counts.
     */
    async total(prefix: string, base: TotalBase = 0): Promise<number> {
      return (await newestTotal(prefix, base)).total;
    },

    /** Adds `delta` to a running total (`base` before its first change); returns the new total. */
    async addToTotal(prefix: string, delta: number, base: TotalBase = 0): Promise<number> {
      for (let attempt = 0; attempt < 1000; attempt++) {
        const { n, total: before } = await newestTotal(prefix, base);
        if (await insertOnce(idOf(prefix, n + 1), { total: before + delta })) {
          learn(prefix, n + 1);
          return before + delta;
        }
      }
      throw new Error(`could not add to ${prefix}`);
    },

    /** Records that `#n` exists (a duplicate-key answer proved it). */
    learnExists(prefix: string, n: number): void {
      learn(prefix, n);
    },

    insertOnce,

    /** Every entry of a sequence from `from` to its end, in order. */
    async list(prefix: string, from = 1): Promise<SeqDoc[]> {
      const out: SeqDoc[] = [];
      for (let n = from; ; n++) {
        const doc = await read(idOf(prefix, n));
        if (!doc) {
          learn(prefix, n - 1);
          return out;
        }
        learn(prefix, n);
        out.push(doc);
      }
    },
  };
}

export type Sequences = ReturnType<typeof sequences>;
