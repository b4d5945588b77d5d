import type { Connection } from 'mongoose';
import { z } from 'zod';
import { userModel, type UserDoc } from '../db/models/user.ts';
import { ROLES, type Role } from '../domain/lifecycle/actor.ts';
import type { TenantConfigDocument } from '../schema/tenant-config.ts';
import type { AuthService } from './auth.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import { AlertSettingsSchema, type AlertSettings } from '../schema/alert-settings.ts';

export interface UserInfo {
  userId: string;
  tenantId: string;
  email: string;
  name: string;
  role: Role;
  endpointId?: string;
  sourceId?: string;
  disabled: boolean;
  /** As the user set them; unset parts take the defaults. */
  alerts?: AlertSettings;
  createdAt: Date;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export type CreateUserResult = { ok: true; user: UserInfo } | { ok: false; code: 'INVALID_INPUT' | 'EMAIL_TAKEN'; errors: FieldProblem[] };

export type AlertSettingsResult = { ok: true; user: UserInfo } | { ok: false; code: 'INVALID_INPUT' | 'NOT_FOUND'; errors: FieldProblem[] };

/**
 * A change to someone's alert settings: what is named replaces what was set,
 * null clears it (mobile, time zone: back to none and the tenant's; quiet
 * hours: none, SMS at any hour), what is left out stays. Channels merge per
 * kind.
 */
export const AlertSettingsChangeSchema = z.strictObject({
  mobile: AlertSettingsSchema.shape.mobile.unwrap().nullable().optional(),
  timeZone: AlertSettingsSchema.shape.timeZone.unwrap().nullable().optional(),
  quietHours: AlertSettingsSchema.shape.quietHours,
  channels: AlertSettingsSchema.shape.channels,
});
export type AlertSettingsChange = z.input<typeof AlertSettingsChangeSchema>;

/** The settings after a change (pure). */
export function applyAlertChange(current: AlertSettings | undefined, change: z.output<typeof AlertSettingsChangeSchema>): AlertSettings {
  const next: AlertSettings = { ...current };
  if (change.mobile === null) delete next.mobile;
  else if (change.mobile !== undefined) next.mobile = change.mobile;
  if (change.timeZone === null) delete next.timeZone;
  else if (change.timeZone !== undefined) next.timeZone = change.timeZone;
  if (change.quietHours !== undefined) next.quietHours = change.quietHours;
  if (change.channels) next.channels = { ...current?.channels, ...change.channels };
  return next;
}

export const NewUserSchema = z.object({
  email: z.string().trim().toLowerCase().email('is not an email address').max(254),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
  password: z.string().min(12, 'must be at least 12 characters').max(200, 'must be at most 200 characters'),
  endpointId: z.string().min(1).max(100).optional(),
  sourceId: z.string().min(1).max(100).optional(),
});
export type NewUser = z.input<typeof NewUserSchema>;

export const toUserInfo = (d: UserDoc): UserInfo => ({
  userId: d._id,
  tenantId: d.tenantId,
  email: d.email,
  name: d.name,
  role: d.role,
  ...(d.endpointId ? { endpointId: d.endpointId } : {}),
  ...(d.sourceId ? { sourceId: d.sourceId } : {}),
  disabled: !!d.disabled,
  ...(d.alerts ? { alerts: d.alerts } : {}),
  createdAt: d.createdAt,
});

/**
 * Users of one tenant, managed by its admins. Bindings are checked against
 * the tenant's configuration: an agent or buyer acts for an endpoint that
 * exists, a vendor for a source that exists.
 */
export function userService(conn: Connection, auth: AuthService) {
  const Users = userModel(conn);

  return {
    async create(tenantId: string, input: unknown, config: TenantConfigDocument | undefined): Promise<CreateUserResult> {
      const parsed = NewUserSchema.safeParse(input);
      if (!parsed.success) {
        return { ok: false, code: 'INVALID_INPUT', errors: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message })) };
      }
      const u = parsed.data;
      const errors: FieldProblem[] = [];
      const needsEndpoint = u.role === 'agent' || u.role === 'buyer';
      if (needsEndpoint && !u.endpointId) errors.push({ field: 'endpointId', message: `is required for the ${u.role} role` });
      if (u.role === 'vendor' && !u.sourceId) errors.push({ field: 'sourceId', message: 'is required for the vendor role' });
      if (u.endpointId && !(config?.endpoints ?? []).some((e) => e.id === u.endpointId))
        errors.push({ field: 'endpointId', message: `"${u.endpointId}" is not an endpoint of this tenant` });
      if (u.sourceId && !(config?.sources ?? []).some((s) => s.id === u.sourceId))
        errors.push({ field: 'sourceId', message: `"${u.sourceId}" is not a source of this tenant` });
      if (u.sourceId && u.role !== 'vendor') errors.push({ field: 'sourceId', message: 'only vendors are bound to a source' });
      if (errors.length) return { ok: false, code: 'INVALID_INPUT', errors };
      try {
        const { userId } = await auth.createUser({ tenantId, ...u });
        const doc = await Users.findById(userId).lean();
        return { ok: true, user: toUserInfo(doc!) };
      } catch (err) {
        if (isDuplicateKey(err)) return { ok: false, code: 'EMAIL_TAKEN', errors: [{ field: 'email', message: 'already has a user in this tenant' }] };
        throw err;
      }
    },

    async list(tenantId: string): Promise<UserInfo[]> {
      return (await Users.find({ tenantId }).sort({ email: 1 }).lean()).map(toUserInfo);
    },

    async get(tenantId: string, userId: string): Promise<UserInfo | undefined> {
      const d = await Users.findOne({ _id: userId, tenantId }).lean();
      return d ? toUserInfo(d) : undefined;
    },

    /** Takes effect with the next alert: the alert activity reads the person each time. */
    async setAlerts(tenantId: string, userId: string, change: unknown): Promise<AlertSettingsResult> {
      const parsed = AlertSettingsChangeSchema.safeParse(change);
      if (!parsed.success) {
        return { ok: false, code: 'INVALID_INPUT', errors: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message })) };
      }
      const d = await Users.findOne({ _id: userId, tenantId }).lean();
      if (!d) return { ok: false, code: 'NOT_FOUND', errors: [{ field: 'userId', message: 'is not a user of this tenant' }] };
      const alerts = AlertSettingsSchema.parse(applyAlertChange(d.alerts, parsed.data));
      // A plain $set of the whole settings: one person editing their own settings, the last save wins.
      await Users.updateOne({ _id: userId, tenantId }, { $set: { alerts } });
      return { ok: true, user: toUserInfo({ ...d, alerts }) };
    },

    /** Takes effect on the user's next request: every request re-reads the user. */
    async setDisabled(tenantId: string, userId: string, disabled: boolean): Promise<UserInfo | undefined> {
      const res = await Users.updateOne({ _id: userId, tenantId }, { $set: { disabled } });
      if (res.matchedCount === 0) return undefined;
      return this.get(tenantId, userId);
    },
  };
}

export type UserService = ReturnType<typeof userService>;
