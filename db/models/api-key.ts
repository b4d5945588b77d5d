import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A source's intake key. Only the SHA-256 of the key is stored (`_id`), so a
 * database leak exposes no usable key; the plain key is shown once, at creation.
 */
export interface ApiKeyDoc {
  _id: string; // sha256(key), hex
  tenantId: string;
  sourceId: string;
  /** The first characters of the key, to tell keys apart in lists. */
  prefix: string;
  createdAt: Date;
  createdBy: string;
  revokedAt?: Date;
}

const ApiKeySchema = new Schema<ApiKeyDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    sourceId: { type: String, required: true },
    prefix: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    revokedAt: { type: Date },
  },
  { versionKey: false },
);
ApiKeySchema.index({ tenantId: 1, sourceId: 1 });

export function apiKeyModel(conn: Connection): Model<ApiKeyDoc> {
  return (conn.models.ApiKey as Model<ApiKeyDoc> | undefined) ?? conn.model<ApiKeyDoc>('ApiKey', ApiKeySchema, 'api_keys');
}
