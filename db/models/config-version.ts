import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A tenant's whole routing configuration at one version. Versions are never
 * rewritten: a change inserts version n+1, and every decision records the
 * version it used, so past decisions stay explainable from stored data.
 */
export interface ConfigVersionDoc {
  _id: string; // `${tenantId}@${version}`
  tenantId: string;
  version: number;
  document: unknown;
  author: string;
  note?: string;
  createdAt: Date;
}

const ConfigVersionSchema = new Schema<ConfigVersionDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    version: { type: Number, required: true },
    document: { type: Schema.Types.Mixed, required: true },
    author: { type: String, required: true },
    note: { type: String },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
ConfigVersionSchema.index({ tenantId: 1, version: -1 }, { unique: true });

export function configVersionModel(conn: Connection): Model<ConfigVersionDoc> {
  return (
    (conn.models.ConfigVersion as Model<ConfigVersionDoc> | undefined) ?? conn.model<ConfigVersionDoc>('ConfigVersion', ConfigVersionSchema, 'config_versions')
  );
}
