import { Schema, type Connection, type Model } from 'mongoose';
import { ROLES, type Role } from '../../domain/lifecycle/actor.ts';
import type { AlertSettings } from '../../schema/alert-settings.ts';

export interface UserDoc {
  _id: string; // `${tenantId}:${email}`
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  /** scrypt: `scrypt$N$r$p$salt$hash`, base64url. */
  passwordHash: string;
  /** The endpoint an agent or buyer acts for; the source a vendor posts for. */
  endpointId?: string;
  sourceId?: string;
  disabled?: boolean;
  /** Where and how the user is alerted (mobile, time zone, quiet hours, channels per kind); defaults when absent. */
  alerts?: AlertSettings;
  createdAt: Date;
}

const UserSchema = new Schema<UserDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, required: true, enum: ROLES },
    passwordHash: { type: String, required: true },
    endpointId: { type: String },
    sourceId: { type: String },
    disabled: { type: Boolean },
    alerts: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
UserSchema.index({ tenantId: 1, role: 1 });

export function userModel(conn: Connection): Model<UserDoc> {
  return (conn.models.User as Model<UserDoc> | undefined) ?? conn.model<UserDoc>('User', UserSchema, 'users');
}
