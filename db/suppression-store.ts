import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { detectCsvLayout, normaliseSuppressionValue, rowValues, type CsvLayout } from '../domain/validation/suppression-entry.ts';
import type { SuppressionHit, SuppressionList } from '../domain/validation/suppression.ts';
import { suppressionId, suppressionModel, suppressionScope, type SuppressionDoc } from './models/suppression.ts';
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
  | { ok: true; rows: number; inserted: number; alreadyPresent: number; rejected: number; errors: LineError[]; errorsTruncated: boolean }
  | { ok: false; error: string };

const BATCH = 1000;
const MAX_ERRORS = 1000;

export function suppressionStore(conn: Connection) {
  const Suppression = suppressionModel(conn);

  function targetProblem(t: ListTarget): string | undefined {
    if (t.list === 'state' && !/^[A-Z]{2}$/.test(t.state ?? '')) return 'a state list needs a two-letter upper-case state, e.g. "TX"';
    if (t.list !== 'state' && t.state) return `a ${t.list} list has no state`;
    if (t.list === 'internal' && !t.tenantId) return 'an internal list belongs to a tenant: tenantId is required';
    return undefined;
  }

  function docFor(t: ListTarget, kind: 'phone' | 'email', value: string, now: Date): SuppressionDoc {
    const key = { scope: suppressionScope(t.tenantId), list: t.list, state: t.state ?? '', kind, value };
    return { _id: suppressionId(key), ...key, addedAt: now, ...(t.source ? { source: t.source } : {}) };
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
    async loadCsv(input: Readable | string, target: ListTarget): Promise<LoadResult> {
      const problem = targetProblem(target);
      if (problem) return { ok: false, error: problem };
      const now = new Date();
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
            else batch.push(docFor(target, r.entry.kind, r.entry.value, now));
          }
          if (batch.length >= BATCH) await flush();
        }
      } catch (err) {
        // The stream itself broke (a read error): what came before stays loaded.
        await flush();
        const e = err as { message?: string; lines?: number };
        fail(e.lines ?? counts.rows + 1, `unreadable CSV: ${e.message ?? String(err)}`);
        return { ok: true, ...counts, errors, errorsTruncated: counts.rejected > errors.length };
      }
      await flush();
      return { ok: true, ...counts, errors, errorsTruncated: counts.rejected > errors.length };
    },

    /** Adds single values (an opt-out reply, a manual entry); idempotent like a load. */
    async add(values: string[], target: ListTarget): Promise<LoadResult> {
      const problem = targetProblem(target);
      if (problem) return { ok: false, error: problem };
      const now = new Date();
      const errors: LineError[] = [];
      const docs: SuppressionDoc[] = [];
      values.forEach((raw, i) => {
        const r = normaliseSuppressionValue(raw, target.defaultCountry);
        if (r.ok) docs.push(docFor(target, r.entry.kind, r.entry.value, now));
        else errors.push({ line: i + 1, message: r.message });
      });
      const r = await insertBatch(docs);
      return { ok: true, rows: values.length, ...r, rejected: errors.length, errors, errorsTruncated: false };
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
      const ids: string[] = [];
      for (const scope of ['global', suppressionScope(ctx.tenantId)]) {
        for (const { kind, value } of values) {
          ids.push(suppressionId({ scope, list: 'federal', state: '', kind, value }), suppressionId({ scope, list: 'internal', state: '', kind, value }));
          if (state) ids.push(suppressionId({ scope, list: 'state', state, kind, value }));
        }
      }
      const docs = await Promise.all(ids.map((id) => Suppression.findById(id, { list: 1, state: 1, scope: 1, kind: 1 }).lean()));
      return docs
        .filter((d): d is NonNullable<typeof d> => d !== null)
        .map((d) => ({
          list: d.list,
          scope: d.scope === 'global' ? 'global' : 'tenant',
          matchedOn: d.kind,
          ...(d.list === 'state' ? { state: d.state } : {}),
        }));
    },

    async remove(value: string, target: ListTarget): Promise<boolean> {
      const r = normaliseSuppressionValue(value, target.defaultCountry);
      if (!r.ok) return false;
      const res = await Suppression.deleteOne({ _id: docFor(target, r.entry.kind, r.entry.value, new Date())._id });
      return res.deletedCount === 1;
    },

    async count(target: Pick<ListTarget, 'list' | 'state' | 'tenantId'>): Promise<number> {
      return Suppression.countDocuments({ scope: suppressionScope(target.tenantId), list: target.list, state: target.state ?? '' });
    },
  };
}

export type SuppressionStore = ReturnType<typeof suppressionStore>;
