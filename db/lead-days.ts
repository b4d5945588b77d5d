import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './duplicate-key.ts';

/**
 * The UTC days on which a tenant has leads (received or delivered), one
 * document per tenant and day. Lists and counts walk these days, newest
 * first, and read each with an equality (db/lead-query.ts), so their cost is
 * the size of a day and the number of days, never the number of leads.
 */
interface LeadDayDoc {
  _id: string;
  tenantId: string;
  day: string;
}

const LeadDaySchema = new Schema<LeadDayDoc>(
  { _id: String, tenantId: { type: String, required: true }, day: { type: String, required: true } },
  { versionKey: false },
);
LeadDaySchema.index({ tenantId: 1 });

export function leadDayModel(conn: Connection): Model<LeadDayDoc> {
  return (conn.models.LeadDay as Model<LeadDayDoc> | undefined) ?? conn.model<LeadDayDoc>('LeadDay', LeadDaySchema, 'lead_days');
}

export function leadDays(conn: Connection) {
  const Days = leadDayModel(conn);
  // Days this process has written: a day costs one insert per tenant and process.
  const known = new Set<string>();

  return {
    async record(tenantId: string, days: readonly string[]): Promise<void> {
      for (const day of days) {
        const id = `${tenantId}|${day}`;
        if (known.has(id)) continue;
        try {
          await Days.create({ _id: id, tenantId, day });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        if (known.size > 100_000) known.clear();
        known.add(id);
      }
    },

    /** The tenant's days within [from, to] (either open), newest first. */
    async of(tenantId: string, from?: string, to?: string): Promise<string[]> {
      const docs = await Days.find({ tenantId }, { day: 1 }).lean();
      return docs
        .map((d) => d.day)
        .filter((d) => (from === undefined || d >= from) && (to === undefined || d <= to))
        .sort()
        .reverse();
    },
  };
}

export type LeadDays = ReturnType<typeof leadDays>;
