import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One document per accepted lead identity (tenant, source, external id or
 * payload hash). With the workflow id derived from the same identity, posting
 * twice can never create two leads, even across API replicas.
 */
export interface IntakeKeyDoc {
  _id: string; // the lead id
  tenantId: string;
  sourceId: string;
  externalId?: string;
  receivedAt: Date;
}

const IntakeKeySchema = new Schema<IntakeKeyDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    sourceId: { type: String, required: true },
    externalId: { type: String },
    receivedAt: { type: Date, required: true },
  },
  { versionKey: false },
);
IntakeKeySchema.index({ tenantId: 1, sourceId: 1, receivedAt: -1 });

export function intakeKeyModel(conn: Connection): Model<IntakeKeyDoc> {
  return (conn.models.IntakeKey as Model<IntakeKeyDoc> | undefined) ?? conn.model<IntakeKeyDoc>('IntakeKey', IntakeKeySchema, 'intake_keys');
}
