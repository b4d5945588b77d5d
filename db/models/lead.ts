import { Schema, type Connection, type Model } from 'mongoose';
import type { LeadState } from '../../domain/lifecycle/lead-state.ts';

/** The lead read model: the reducer's state, so the API can list and filter without asking Temporal. */
export type LeadDoc = LeadState & { _id: string };

const LeadSchema = new Schema(
  {
    _id: { type: String, required: true },
    leadId: { type: String, required: true },
    tenantId: { type: String, required: true },
    sourceId: { type: String, required: true },
    serviceLine: { type: String, required: true },
    status: { type: String, required: true },
    receivedAt: { type: Number, required: true },
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

export function leadModel(conn: Connection): Model<LeadDoc> {
  return (conn.models.Lead as Model<LeadDoc> | undefined) ?? conn.model<LeadDoc>('Lead', LeadSchema as unknown as Schema<LeadDoc>, 'leads');
}
