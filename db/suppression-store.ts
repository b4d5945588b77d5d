import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { detectCsvLayout, normaliseSuppressionValue, rowValues, type CsvLayout } from '../domain/validation/suppression-entry.ts';
import type { SuppressionHit, SuppressionList } from '../domain/validation/suppression.ts';
import { suppressionId, suppressionListKey, suppressionModel, suppressionScope, type SuppressionDoc } from './models/suppression.ts';
import { sequences } from './sequences.ts';
import { onlyDuplicateKeys, writeErrorsOf } from './duplicate-key.ts';

export interface ListTarget {
  list: SuppressionList;
  /** Required for a state list. */
  state?: string;
  /** A tenant's own list; absent for the shared federal and state registries. Required for internal lists. */
  tenantId?: string;
  source?: string;
  defaultCountry?: CountryCode;
}

export interface LineError {
  line: number;
  message: string;
}

export type LoadResult =
  | {
      ok: true;
      rows: number;
      inserted: number;
      alreadyPresent: number;
      rejected: number;
      /** The version the rows went into (0: single additions). */
      version: number;
      /** False when a replacement broke off before it was whole: checks stay on the previous version. */
      committed: boolean;
      errors: LineError[];
      errorsTruncated: boolean;
    }
  | { ok: false; error: string };

const BATCH = 1000;
const MAX_ERRORS = 1000;

/** What one list is, as listed for ops: its current upload and the single additions beside it. */
export interface SuppressionListInfo {
  list: SuppressionList;
  state?: string;
  scope: 'global' | 'tenant';
  /** The upload checked now; 0 when nothing was ever uploaded (only single additions). */
  version: number;
  /** Entries of that upload. */
  uploaded: number;
  /** Single additions (opt-outs, manual entries), kept across uploads. */
  added: number;
  updatedAt?: Date;
  by?: string;
  note?: string;
}

export interface LoadOptions {
  /** `replace` loads a new version and switches to it only once it is whole; `add` (the default) adds to the current one. */
  mode?: 'add' | 'replace';
  by?: string;
}

/** How long a process trusts the current version it has seen before looking again. */
const VERSION_TTL_MS = 5000;

/**
 * Do-not-call and suppression lists, versioned so that a lead is always
 * checked against one whole upload: a replacing upload writes its entries
 * under a new version number and commits it (an appended marker) only when
 * the file is loaded; until then every check reads the previous version.
 * Markers are insert-only sequences (`sequences.ts`), so the switch is exact
 * across processes; each process re-reads the current version at most every
 * few seconds. Single additions (an SMS STOP, a manual entry) live apart, in
 * version 0, so replacing the uploaded list never undoes an opt-out.
 */
export function suppressionStore(conn: Connection, opts: { now?: () => number } = {}) {
  const Suppression = suppressionModel(conn);
  const markers = sequences(conn, 'suppression_versions');
  const now = opts.now ?? Date.now;
  const seen = new Map<string, { at: number; version: number }>();
  const claim = (key: string) => `claim|${key}`;
  const commit = (key: string) => `commit|${key}`;
  // Entries per list version, as running totals (sequences' `total`): the lists page reads two numbers per
  // list instead of counting a registry that may hold millions of entries.
  const tally = (key: string, version: number) => `tally|${key}|${version}`;
  const STATE_REGISTRIES = 'registries|state';

  const fieldsOf = (t: Pick<ListTarget, 'list' | 'state' | 'tenantId'>) => ({ scope: suppressionScope(t.tenantId), list: t.list, state: t.state ?? '' });
  const keyOf = (t: Pick<ListTarget, 'list' | 'state' | 'tenantId'>) => suppressionListKey(fieldsOf(t));

  /** The version checked now: the data version of the last committed upload (0: none). */
  async function current(key: string, fresh = false): Promise<number> {
    const hit = seen.get(key);
    if (!fresh && hit && now() - hit.at < VERSION_TTL_MS) return hit.version;
    const n = await markers.highest(commit(key));
    const version = n === 0 ? 0 : ((await markers.read(markers.idOf(commit(key), n)))?.dataVersion as number);
    seen.set(key, { at: now(), version });
    return version;
  }

  /** Commits an upload: from now on every process checks it (within the TTL). */
  async function publish(
    key: string,
    version: number,
    info: { uploaded: number; entries: number; state?: string | undefined; by?: string | undefined; note?: string | undefined },
  ): Promise<void> {
    if (info.state) await noteStateRegistry(info.state);
    await markers.append(commit(key), {
      dataVersion: version,
      uploaded: info.uploaded,
      entries: info.entries,
      at: new Date(now()),
      ...(info.by ? { by: info.by } : {}),
      ...(info.note ? { note: info.note } : {}),
    });
    seen.set(key, { at: now(), version });
  }

  /** The shared state registries, listed once each (a repeat after a crash between the two writes is harmless: readers dedupe). */
  async function noteStateRegistry(state: string): Promise<void> {
    const guard = `registry|state|${state}`;
    if (await markers.read(guard)) return;
    await markers.append(STATE_REGISTRIES, { state });
    await markers.insertOnce(guard, {});
  }

  async function stateRegistries(): Promise<string[]> {
    const listed = (await markers.list(STATE_REGISTRIES)).map((d) => d.state);
    // Lists loaded before registries were listed; with none, this finds nothing through the index.
    const found = listed.length > 0 ? listed : await Suppression.distinct('state', { scope: 'global', list: 'state' });
    return [...new Set(found.filter((st): st is string => typeof st === 'string' && st !== ''))].sort();
  }

  /** The commit marker of a list's current upload (undefined: never uploaded). */
  async function currentMarker(key: string) {
    const n = await markers.highest(commit(key));
    return n > 0 ? markers.read(markers.idOf(commit(key), n)) : undefined;
  }

  const registryOf = (t: Pick<ListTarget, 'list' | 'state' | 'tenantId'>) => (t.list === 'state' && !t.tenantId ? t.state : undefined);

  /**
   * What one version of a list held before its first counted change: an
   * upload's entries as its commit recorded them (a list committed before
   * counts were kept is counted once, the slow way); nothing for additions.
   */
  async function baseOf(t: Pick<ListTarget, 'list' | 'state' | 'tenantId'>, version: number, marker?: Record<string, unknown>): Promise<number> {
    if (version === 0) return 0;
    const m = marker ?? (await currentMarker(keyOf(t)));
    if (m?.dataVersion !== version) return 0;
    return typeof m.entries === 'number' ? m.entries : Suppression.countDocuments({ ...fieldsOf(t), version });
  }

  const entriesOf = (t: Pick<ListTarget, 'list' | 'state' | 'tenantId'>, version: number, marker?: Record<string, unknown>) =>
    markers.total(tally(keyOf(t), version), () => baseOf(t, version, marker));

  /** A list's entries: its current upload's (`version`, 0 for none) and its single additions (tenant lists only). */
  async function countsOf(t: Pick<ListTarget, 'list' | 'state' | 'tenantId'>, version: number, marker?: Record<string, unknown>) {
    const [uploaded, added] = await Promise.all([version > 0 ? entriesOf(t, version, marker) : 0, t.tenantId ? entriesOf(t, 0) : 0]);
    return { uploaded, added };
  }

  /** Counts a change of `delta` entries in one version of a list. */
  async function countChange(t: Pick<ListTarget, 'list' | 'state' | 'tenantId'>, version: number, delta: number): Promise<void> {
    if (delta !== 0) await markers.addToTotal(tally(keyOf(t), version), delta, () => baseOf(t, version));
  }

  function targetProblem(t: ListTarget): string | undefined {
    if (t.list === 'state' && !/^[A-Z]{2}$/.test(t.state ?? '')) return 'a state list needs a two-letter upper-case state, e.g. "TX"';
    if (t.list !== 'state' && t.state) return `a ${t.list} list has no state`;
    if (t.list === 'internal' && !t.tenantId) return 'an internal list belongs to a tenant: tenantId is required';
    return undefined;
  }

  function docFor(t: ListTarget, kind: 'phone' | 'email', value: string, version: number, at: Date): SuppressionDoc {
    const key = { scope: suppressionScope(t.tenantId), list: t.list, state: t.state ?? '', kind, value, version };
    return { _id: suppressionId(key), ...key, addedAt: at, ...(t.source ? { source: t.source } : {}) };
  }

  /** Inserts, counting values already present as such: a reload is harmless. */
  async function insertBatch(docs: SuppressionDoc[]): Promise<{ inserted: number; alreadyPresent: number }> {
    if (docs.length === 0) return { inserted: 0, alreadyPresent: 0 };
    try {
      // The driver's collection: mongoose's typing assumes ObjectId keys, ours are natural keys.
      const res = await (Suppression.collection as unknown as Collection<SuppressionDoc>).insertMany(docs, { ordered: false });
      return { inserted: res.insertedCount, alreadyPresent: 0 };
    } catch (err) {
      if (!onlyDuplicateKeys(err)) throw err;
      const alreadyPresent = writeErrorsOf(err)?.length ?? 1;
      const insertedCount = (err as { result?: { insertedCount?: number } }).result?.insertedCount;
      return { inserted: insertedCount ?? docs.length - alreadyPresent, alreadyPresent };
    }
  }

  return {
    /**
     * Loads a CSV of phones and/or emails: with a header naming a `phone` and/or
     * `email` column, or without one (one value per row). Bad rows are
     * reported by line and skipped; the rest are loaded.
     */
    async loadCsv(input: Readable | string, target: ListTarget, load: LoadOptions = {}): Promise<LoadResult> {
      const problem = targetProblem(target);
      if (problem) return { ok: false, error: problem };
      const at = new Date(now());
      const key = keyOf(target);
      // A replacement claims a version of its own (a unique number even when two race); an addition
      // goes into the current upload, or starts the first one.
      const replacing = load.mode === 'replace' || (await current(key, true)) === 0;
      const version = replacing ? await markers.append(claim(key), { at, ...(load.by ? { by: load.by } : {}) }) : await current(key, true);
      const counts = { rows: 0, inserted: 0, alreadyPresent: 0, rejected: 0 };
      const errors: LineError[] = [];
      const fail = (line: number, message: string) => {
        counts.rejected++;
        if (errors.length < MAX_ERRORS) errors.push({ line, message });
      };
      let layout: CsvLayout | undefined;
      let batch: SuppressionDoc[] = [];
      const flush = async () => {
        const r = await insertBatch(batch);
        counts.inserted += r.inserted;
        counts.alreadyPresent += r.alreadyPresent;
        batch = [];
        // Into the current upload: counted as it goes. A replacement's entries are counted by its commit.
        if (!replacing) await countChange(target, version, r.inserted);
      };
      const source = typeof input === 'string' ? Readable.from([input]) : input;
      const parser = source.pipe(
        parse({
          bom: true,
          trim: true,
          skip_empty_lines: true,
          relax_column_count: true,
          relax_quotes: true,
          comment: '#',
          info: true,
          skip_records_with_error: true,
        }),
      );
      // A malformed record is reported by line and skipped; the rest of the file still loads.
      parser.on('skip', (err: { lines?: number; message?: string }) =>
        fail(err.lines ?? counts.rows + 1, `unreadable CSV: ${err.message ?? 'malformed record'}`),
      );
      try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
          if (!layout) {
            layout = detectCsvLayout(record);
            if (layout.header) continue;
          }
          counts.rows++;
          const values = rowValues(record, layout);
          if (values.length === 0) fail(info.lines, 'no phone or email on this line');
          for (const raw of values) {
            const r = normaliseSuppressionValue(raw, target.defaultCountry);
            if (!r.ok) fail(info.lines, r.message);
            else batch.push(docFor(target, r.entry.kind, r.entry.value, version, at));
          }
          if (batch.length >= BATCH) await flush();
        }
      } catch (err) {
        // The stream itself broke (a read error): what came before stays loaded.
        await flush();
        const e = err as { message?: string; lines?: number };
        fail(e.lines ?? counts.rows + 1, `unreadable CSV: ${e.message ?? String(err)}`);
        // A replacement that broke off is never switched to: checks stay on the whole previous version.
        return {
          ok: true,
          ...counts,
          version: replacing ? await current(key) : version,
          committed: !replacing,
          errors,
          errorsTruncated: counts.rejected > errors.length,
        };
      }
      await flush();
      if (replacing) {
        await publish(key, version, {
          uploaded: counts.inserted + counts.alreadyPresent,
          entries: counts.inserted,
          state: registryOf(target),
          by: load.by,
          note: target.source,
        });
      }
      return { ok: true, ...counts, version, committed: true, errors, errorsTruncated: counts.rejected > errors.length };
    },

    /** Adds single values (an opt-out, a manual entry), kept across uploads; idempotent like a load. */
    async add(values: string[], target: ListTarget): Promise<LoadResult> {
      const problem = targetProblem(target);
      if (problem) return { ok: false, error: problem };
      const at = new Date(now());
      const errors: LineError[] = [];
      const docs: SuppressionDoc[] = [];
      // A tenant's additions stand apart from its uploads; the shared registries are uploads only, so an addition there joins the current one.
      let version = 0;
      if (target.tenantId === undefined) {
        const key = keyOf(target);
        version = await current(key, true);
        if (version === 0) {
          version = await markers.append(claim(key), { at });
          await publish(key, version, { uploaded: 0, entries: 0, state: registryOf(target), note: 'first entries added one by one' });
        }
      }
      values.forEach((raw, i) => {
        const r = normaliseSuppressionValue(raw, target.defaultCountry);
        if (r.ok) docs.push(docFor(target, r.entry.kind, r.entry.value, version, at));
        else errors.push({ line: i + 1, message: r.message });
      });
      const r = await insertBatch(docs);
      await countChange(target, version, r.inserted);
      return { ok: true, rows: values.length, ...r, version, committed: true, rejected: errors.length, errors, errorsTruncated: false };
    },

    /**
     * Every list a lead's phone or email could be on, by point reads of the
     * natural keys (no scan, however long the federal list): each scope
     * (shared registries, the tenant's own) × list × value.
     */
    async check(phoneE164: string | undefined, emailLower: string | undefined, ctx: { tenantId: string; state?: string }): Promise<SuppressionHit[]> {
      const values: Array<{ kind: 'phone' | 'email'; value: string }> = [];
      if (phoneE164) values.push({ kind: 'phone', value: phoneE164 });
      const email = emailLower?.trim().toLowerCase();
      if (email) values.push({ kind: 'email', value: email });
      if (values.length === 0) return [];
      const state = ctx.state?.toUpperCase();
      // The shared registries (federal, the lead's state) and the tenant's own list: each at its current
      // upload, and the tenant's single additions. A registry never uploaded costs no read.
      const lists: Array<Pick<SuppressionDoc, 'scope' | 'list' | 'state'>> = [
        { scope: 'global', list: 'federal', state: '' },
        ...(state ? [{ scope: 'global', list: 'state' as const, state }] : []),
        { scope: suppressionScope(ctx.tenantId), list: 'internal', state: '' },
      ];
      const ids: string[] = [];
      for (const l of lists) {
        const version = await current(suppressionListKey(l));
        const layers = l.scope === 'global' ? [version].filter((v) => v > 0) : [0, ...(version > 0 ? [version] : [])];
        for (const v of layers) for (const { kind, value } of values) ids.push(suppressionId({ ...l, kind, value, version: v }));
      }
      const docs = await Promise.all(ids.map((id) => Suppression.findById(id, { list: 1, state: 1, scope: 1, kind: 1 }).lean()));
      const hits = new Map<string, SuppressionHit>();
      for (const d of docs) {
        if (!d) continue;
        const hit: SuppressionHit = {
          list: d.list,
          scope: d.scope === 'global' ? 'global' : 'tenant',
          matchedOn: d.kind,
          ...(d.list === 'state' ? { state: d.state } : {}),
        };
        hits.set(JSON.stringify(hit), hit);
      }
      return [...hits.values()];
    },

    /** Every list a tenant is checked against, with its current upload and its single additions. */
    async lists(tenantId: string): Promise<SuppressionListInfo[]> {
      const targets: Array<Pick<ListTarget, 'list' | 'state' | 'tenantId'>> = [
        { list: 'federal' },
        ...(await stateRegistries()).map((st) => ({ list: 'state' as const, state: st })),
        { list: 'internal', tenantId },
      ];
      const out: SuppressionListInfo[] = [];
      for (const t of targets) {
        const marker = await currentMarker(keyOf(t));
        const version = (marker?.dataVersion as number | undefined) ?? 0;
        const { uploaded, added } = await countsOf(t, version, marker);
        if (version === 0 && added === 0 && (t.list !== 'internal' || !t.tenantId)) continue;
        out.push({
          list: t.list,
          ...(t.state ? { state: t.state } : {}),
          scope: t.tenantId ? 'tenant' : 'global',
          version,
          uploaded,
          added,
          ...(marker?.at ? { updatedAt: marker.at as Date } : {}),
          ...(marker?.by ? { by: marker.by as string } : {}),
          ...(marker?.note ? { note: marker.note as string } : {}),
        });
      }
      return out;
    },

    /** Takes a value off a list: its single addition and its entry in the current upload. */
    async remove(value: string, target: ListTarget): Promise<boolean> {
      const r = normaliseSuppressionValue(value, target.defaultCountry);
      if (!r.ok) return false;
      const version = await current(keyOf(target), true);
      const layers = [0, ...(version > 0 ? [version] : [])];
      const ids = layers.map((v) => docFor(target, r.entry.kind, r.entry.value, v, new Date())._id);
      // One `_id` equality each: FerretDB answers `_id: { $in }` by reading every entry of every list.
      const res = await Promise.all(ids.map((_id) => Suppression.deleteOne({ _id })));
      await Promise.all(layers.map((v, i) => countChange(target, v, -res[i]!.deletedCount)));
      return res.some((r) => r.deletedCount > 0);
    },

    /** Entries checked now: the current upload and the single additions. */
    async count(target: Pick<ListTarget, 'list' | 'state' | 'tenantId'>): Promise<number> {
      const version = await current(keyOf(target), true);
      const { uploaded, added } = await countsOf(target, version);
      return uploaded + added;
    },
  };
}

export type SuppressionStore = ReturnType<typeof suppressionStore>;
