import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One document per taken slot. `_id` is `${scope}#${slot}`, so two writers can
 * never hold the same slot: the unique `_id` index decides, on MongoDB and on
 * FerretDB alike (the concurrency probe shows `$inc` is not safe on the latter).
 * Scopes: `cap:<tenant>:<endpoint>:<window>:<windowKey>`, `open:<tenant>:<endpoint>`,
 * `order:<tenant>:<endpoint>:<order>`, `turn:<tenant>:<rotation>` (slot = turn number).
 */
export interface ReservationDoc {
  _id: string;
  scope: string;
  slot: number;
  tenantId: string;
  leadId: string;
  endpointId?: string;
  /** The lead's routing round that took it: a retried round first gives back what its earlier try took. */
  round?: number;
  createdAt: Date;
}

const ReservationSchema = new Schema<ReservationDoc>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    slot: { type: Number, required: true },
    tenantId: { type: String, required: true },
    leadId: { type: String, required: true },
    endpointId: { type: String },
    round: { type: Number },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
ReservationSchema.index({ scope: 1, slot: -1 });
ReservationSchema.index({ leadId: 1 });
// A round-robin member's last turn: one indexed read per member.
ReservationSchema.index({ scope: 1, endpointId: 1, slot: -1 });

export function reservationModel(conn: Connection): Model<ReservationDoc> {
  return (conn.models.Reservation as Model<ReservationDoc> | undefined) ?? conn.model<ReservationDoc>('Reservation', ReservationSchema, 'reservations');
}
