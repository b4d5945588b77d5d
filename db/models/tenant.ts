import { Schema, type Connection, type Model } from 'mongoose';

export interface TenantDoc {
  _id: string;
  name: string;
  createdAt: Date;
}

const TenantSchema = new Schema<TenantDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export function tenantModel(conn: Connection): Model<TenantDoc> {
  return (conn.models.Tenant as Model<TenantDoc> | undefined) ?? conn.model<TenantDoc>('Tenant', TenantSchema, 'tenants');
}
