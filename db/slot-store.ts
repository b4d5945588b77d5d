import type { Connection } from 'mongoose';
import { reservationModel, type ReservationDoc } from './models/reservation.ts';

export type SlotResult = { ok: true; key: string; slot: number; existing: boolean } | { ok: false; reason: 'full'; taken: number };

export interface Holder {
  tenantId: string;
  leadId: string;
  endpointId?: string;
}

const isDuplicateKey = (err: unknown) => (err as { code?: number })?.code === 11000;

/** Smallest slot in 1..limit that `taken` does not contain, or undefined when full. */
export function firstFreeSlot(taken: ReadonlySet<number>, limit: number): number | undefined {
  for (let s = 1; s <= limit; s++) if (!taken.has(s)) return s;
  return undefined;
}

/**
 * Slot reservations resting on unique-key inserts only. Idempotent per lead:
 * a lead that already holds a slot in a scope gets that slot back, so an
 * activity retry never takes a second one.
 */
export function slotStore(conn: Connection) {
  const Reservation = reservationModel(conn);

  async function takenIn(scope: string): Promise<Array<Pick<ReservationDoc, 'slot' | 'leadId' | '_id'>>> {
    return Reservation.find({ scope }, { slot: 1, leadId: 1 }).lean();
  }

  return {
    /** Takes a free slot in 1..limit, retrying past slots that concurrent writers won. */
    async reserve(scope: string, limit: number, holder: Holder, maxAttempts = 1000): Promise<SlotResult> {
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        const docs = await takenIn(scope);
        const mine = docs.find((d) => d.leadId === holder.leadId);
        if (mine) return { ok: true, key: mine._id, slot: mine.slot, existing: true };
        const slot = firstFreeSlot(new Set(docs.map((d) => d.slot)), limit);
        if (slot === undefined) return { ok: false, reason: 'full', taken: docs.length };
        const key = `${scope}#${slot}`;
        try {
          await Reservation.create({ _id: key, scope, slot, ...holder, createdAt: new Date() });
          return { ok: true, key, slot, existing: false };
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      throw new Error(`slot reservation in ${scope} did not settle after ${maxAttempts} attempts`);
    },

    /** Claims exactly this slot (a rotation turn): false when another writer holds it. */
    async claimExact(scope: string, slot: number, holder: Holder): Promise<boolean> {
      try {
        await Reservation.create({ _id: `${scope}#${slot}`, scope, slot, ...holder, createdAt: new Date() });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const existing = await Reservation.findById(`${scope}#${slot}`).lean();
        return existing?.leadId === holder.leadId;
      }
    },

    /** Releases a slot; only its holder can. */
    async release(key: string, leadId: string): Promise<boolean> {
      const res = await Reservation.deleteOne({ _id: key, leadId });
      return res.deletedCount === 1;
    },

    async releaseAllFor(leadId: string, scopes?: string[]): Promise<number> {
      const res = await Reservation.deleteMany(scopes ? { leadId, scope: { $in: scopes } } : { leadId });
      return res.deletedCount;
    },

    /** Slots taken per scope, in one round trip. */
    async counts(scopes: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>(scopes.map((s) => [s, 0]));
      if (scopes.length === 0) return out;
      const rows = await Reservation.aggregate<{ _id: string; n: number }>([
        { $match: { scope: { $in: scopes } } },
        { $group: { _id: '$scope', n: { $sum: 1 } } },
      ]);
      for (const r of rows) out.set(r._id, r.n);
      return out;
    },

    /** The highest slot taken in a scope (a rotation's current turn), 0 when none. */
    async highest(scope: string): Promise<number> {
      const top = await Reservation.findOne({ scope }, { slot: 1 }).sort({ slot: -1 }).lean();
      return top?.slot ?? 0;
    },

    /** The latest slots of a scope, newest first (recent rotation turns). */
    async latest(scope: string, limit: number): Promise<Array<Pick<ReservationDoc, 'slot' | 'leadId' | 'endpointId'>>> {
      return Reservation.find({ scope }, { slot: 1, leadId: 1, endpointId: 1 }).sort({ slot: -1 }).limit(limit).lean();
    },
  };
}

export type SlotStore = ReturnType<typeof slotStore>;
