import { Schema, type Connection, type Model } from 'mongoose';
import type { LeadState } from '../../domain/lifecycle/lead-state.ts';

/**
 * The lead read model: the reducer's state, so the API can list and filter
 * without asking Temporal, plus the UTC days it was received and delivered.
 * Those two are buckets: every list and count of the product reads day by day
 * with an equality on them, which FerretDB can answer from an index; a range
 * or a sort it answers by reading all of a tenant's leads (db/lead-query.ts).
 */
export type LeadDoc = LeadState & { _id: string; receivedDay: string; deliveredDay?: string };

/** The UTC day of an instant, "YYYY-MM-DD". */
export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

export function toLeadDoc(state: LeadState): LeadDoc {
  return {
    _id: state.leadId,
    ...state,
    receivedDay: utcDay(state.receivedAt),
    ...(state.deliveredAt !== undefined ? { deliveredDay: utcDay(state.deliveredAt) } : {}),
  };
}

export function fromLeadDoc(doc: LeadDoc): LeadState {
  const { _id, receivedDay: _r, deliveredDay: _d, ...state } = doc;
  return state;
}

/** The days a document is filed under, for the tenant's list of days (db/lead-days.ts). */
export const daysOfLeadDoc = (doc: Pick<LeadDoc, 'receivedDay' | 'deliveredDay'>): string[] =>
  doc.deliveredDay && doc.deliveredDay !== doc.receivedDay ? [doc.receivedDay, doc.deliveredDay] : [doc.receivedDay];

const LeadSchema = new Schema(
  {
    _id: { type: String, required: true },
    leadId: { type: String, required: true },
    tenantId: { type: String, required: true },
    sourceId: { type: String, required: true },
    serviceLine: { type: String, required: true },
    status: { type: String, required: true },
    receivedAt: { type: Number, required: true },
    receivedDay: { type: String, required: true },
    deliveredDay: { type: String },
    ownerEndpointId: { type: String },
    deliveredTo: { type: String },
    deliveredAt: { type: Number },
    lastEventSeq: { type: Number, required: true },
  },
  { versionKey: false, minimize: false, strict: false },
);
LeadSchema.index({ tenantId: 1, receivedAt: -1 });
LeadSchema.index({ tenantId: 1, status: 1, receivedAt: -1 });
LeadSchema.index({ tenantId: 1, sourceId: 1, receivedAt: -1 });
LeadSchema.index({ tenantId: 1, ownerEndpointId: 1, receivedAt: -1 });
LeadSchema.index({ tenantId: 1, offeredTo: 1 });
LeadSchema.index({ tenantId: 1, receivedDay: 1, receivedAt: -1 });
LeadSchema.index({ tenantId: 1, sourceId: 1, receivedDay: 1 });
LeadSchema.index({ tenantId: 1, deliveredTo: 1, deliveredDay: 1 });
LeadSchema.index({ tenantId: 1, sourceId: 1, deliveredDay: 1 });

export function leadModel(conn: Connection): Model<LeadDoc> {
  return (conn.models.Lead as Model<LeadDoc> | undefined) ?? conn.model<LeadDoc>('Lead', LeadSchema as unknown as Schema<LeadDoc>, 'leads');
}
