import { Schema, type Connection, type Model } from 'mongoose';
import type { LeadEvent } from '../../domain/lifecycle/lead-events.ts';

/** Append-only. `_id` is the event id (`${leadId}#${seq}`): a replayed event is a duplicate key, nothing more. */
export type LeadEventDoc = Omit<LeadEvent, 'id'> & { _id: string };

const LeadEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    leadId: { type: String, required: true },
    tenantId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Number, required: true },
    type: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false, minimize: false },
);
LeadEventSchema.index({ leadId: 1, seq: 1 }, { unique: true });
LeadEventSchema.index({ tenantId: 1, type: 1, at: 1 });

export function leadEventModel(conn: Connection): Model<LeadEventDoc> {
  return (
    (conn.models.LeadEvent as Model<LeadEventDoc> | undefined) ??
    conn.model<LeadEventDoc>('LeadEvent', LeadEventSchema as unknown as Schema<LeadEventDoc>, 'lead_events')
  );
}

export const toEvent = ({ _id, ...rest }: LeadEventDoc): LeadEvent => ({ id: _id, ...rest }) as LeadEvent;
