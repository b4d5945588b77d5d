import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './duplicate-key.ts';

/**
 * The UTC days on which a tenant has leads (received or delivered), filed as a
 * small tree of insert-only documents: the tenant's years, each year's months,
 * each month's days. Lists and counts walk these days newest first and read
 * each day with an equality (db/lead-query.ts). Every read here is an equality
 * on a parent and returns at most a few dozen documents, so finding the days to
 * walk costs the same after ten days or ten years of history.
 */
interface LeadDayDoc {
  _id: string;
  tenantId: string;
  /** "year" for a year; otherwise the year ("2026") of a month or the month ("2026-11") of a day. */
  parent: string;
  key: string;
}

const LeadDaySchema = new Schema<LeadDayDoc>(
  { _id: String, tenantId: { type: String, required: true }, parent: { type: String, required: true }, key: { type: String, required: true } },
  { versionKey: false },
);
LeadDaySchema.index({ tenantId: 1, parent: 1 });

export function leadDayModel(conn: Connection): Model<LeadDayDoc> {
  return (conn.models.LeadDay as Model<LeadDayDoc> | undefined) ?? conn.model<LeadDayDoc>('LeadDay', LeadDaySchema, 'lead_days');
}

/** The documents that file one day ("YYYY-MM-DD"): its year, its month and itself. */
export function leadDayDocs(tenantId: string, day: string): LeadDayDoc[] {
  const year = day.slice(0, 4);
  const month = day.slice(0, 7);
  return [
    { _id: `${tenantId}|${year}`, tenantId, parent: 'year', key: year },
    { _id: `${tenantId}|${month}`, tenantId, parent: year, key: month },
    { _id: `${tenantId}|${day}`, tenantId, parent: month, key: day },
  ];
}

export function leadDays(conn: Connection) {
  const Days = leadDayModel(conn);
  // Documents this process has written: each costs one insert per tenant and process.
  const known = new Set<string>();

  const children = async (tenantId: string, parent: string): Promise<string[]> =>
    (await Days.find({ tenantId, parent }, { key: 1 }).lean())
      .map((d) => d.key)
      .sort()
      .reverse();

  return {
    async record(tenantId: string, days: readonly string[]): Promise<void> {
      for (const day of days) {
        if (known.has(`${tenantId}|${day}`)) continue;
        // Year, month, then the day: a reader that finds the day has found its month and year.
        for (const doc of leadDayDocs(tenantId, day)) {
          if (known.has(doc._id)) continue;
          try {
            await Days.create(doc);
          } catch (err) {
            if (!isDuplicateKey(err)) throw err;
          }
          if (known.size > 100_000) known.clear();
          known.add(doc._id);
        }
      }
    },

    /** The tenant's days within [from, to] (either open), newest first, read a month at a time as the caller goes. */
    async *of(tenantId: string, from?: string, to?: string): AsyncGenerator<string> {
      const inside = (key: string, n: number) => (from === undefined || key >= from.slice(0, n)) && (to === undefined || key <= to.slice(0, n));
      for (const year of (await children(tenantId, 'year')).filter((y) => inside(y, 4))) {
        for (const month of (await children(tenantId, year)).filter((m) => inside(m, 7))) {
          for (const day of (await children(tenantId, month)).filter((d) => inside(d, 10))) yield day;
        }
      }
    },
  };
}

/** Up to `n` items of an async sequence. */
export async function take<T>(items: AsyncIterable<T>, n = Infinity): Promise<T[]> {
  const out: T[] = [];
  if (n <= 0) return out;
  for await (const item of items) {
    out.push(item);
    if (out.length >= n) break;
  }
  return out;
}

export type LeadDays = ReturnType<typeof leadDays>;
