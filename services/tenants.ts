import { createHash, randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKey } from '../db/duplicate-key.ts';
import { tenantModel } from '../db/models/tenant.ts';
import { userModel } from '../db/models/user.ts';
import { IdSchema, NameSchema } from '../schema/common.ts';
import { insertUser } from './auth.ts';
import { hashPassword } from './passwords.ts';

export const NewTenantSchema = z.strictObject({
  id: IdSchema,
  name: NameSchema,
  adminEmail: z.string().trim().toLowerCase().email('is not an email address').max(254),
  adminName: NameSchema.optional(),
});
export type NewTenant = z.input<typeof NewTenantSchema>;

export interface TenantProblem {
  code: 'INVALID_INPUT' | 'TENANT_EXISTS' | 'INVALID_TOKEN' | 'WEAK_PASSWORD';
  field?: string;
  message: string;
}

export type CreatedTenant =
  { ok: true; tenantId: string; adminUserId: string; setPasswordToken: string; expiresAt: number } | { ok: false; problems: TenantProblem[] };

/** How long the admin's set-password token lasts. */
const TOKEN_TTL_MS = 24 * 3600_000;
const MIN_PASSWORD = 12;

const tokenId = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Brands set themselves up: a platform operator (or `npm run tenant -- create`)
 * creates the tenant and its first admin, who gets a one-time set-password
 * token (stored as a hash, valid a day, usable once) instead of a password
 * anyone else has seen. Tenant ids are unique inserts: two creations of the
 * same id leave one tenant.
 */
export function tenantService(conn: Connection, opts: { now?: () => number } = {}) {
  const now = opts.now ?? Date.now;
  const Tenants = tenantModel(conn);
  const Users = userModel(conn);
  const tokens = conn.collection<{ _id: string; userId: string; expiresAt: number }>('password_tokens');
  const used = conn.collection<{ _id: string; at: number }>('password_token_uses');

  async function issueToken(userId: string): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(24).toString('base64url');
    const expiresAt = now() + TOKEN_TTL_MS;
    await tokens.insertOne({ _id: tokenId(token), userId, expiresAt });
    return { token, expiresAt };
  }

  return {
    async create(input: NewTenant): Promise<CreatedTenant> {
      const parsed = NewTenantSchema.safeParse(input);
      if (!parsed.success)
        return {
          ok: false,
          problems: parsed.error.issues.map((i) => ({ code: 'INVALID_INPUT', field: i.path.join('.'), message: `${i.path.join('.')} ${i.message}` })),
        };
      const t = parsed.data;
      try {
        await Tenants.create({ _id: t.id, name: t.name, createdAt: new Date(now()) });
      } catch (err) {
        if (isDuplicateKey(err)) return { ok: false, problems: [{ code: 'TENANT_EXISTS', field: 'id', message: `a tenant "${t.id}" exists already` }] };
        throw err;
      }
      // Nobody knows this password: the admin sets their own with the token.
      const { userId } = await insertUser(conn, {
        tenantId: t.id,
        email: t.adminEmail,
        name: t.adminName ?? t.adminEmail,
        role: 'admin',
        password: randomBytes(32).toString('base64url'),
      });
      const { token, expiresAt } = await issueToken(userId);
      return { ok: true, tenantId: t.id, adminUserId: userId, setPasswordToken: token, expiresAt };
    },

    /** Sets a user's password with a set-password token: once, before it expires, for the user it was issued to. */
    async setPassword(tenantId: string, email: string, token: string, password: string): Promise<{ ok: true } | { ok: false; problems: TenantProblem[] }> {
      const bad = {
        ok: false as const,
        problems: [{ code: 'INVALID_TOKEN' as const, field: 'token', message: 'the token is unknown, expired, used already, or for another user' }],
      };
      if (password.length < MIN_PASSWORD)
        return { ok: false, problems: [{ code: 'WEAK_PASSWORD', field: 'password', message: `must be at least ${MIN_PASSWORD} characters` }] };
      const id = tokenId(token);
      const doc = await tokens.findOne({ _id: id });
      const userId = `${tenantId}:${email.trim().toLowerCase()}`;
      if (!doc || doc.userId !== userId || doc.expiresAt < now()) return bad;
      // Using a token is a unique insert: two racing uses set the password once.
      try {
        await used.insertOne({ _id: id, at: now() });
      } catch (err) {
        if (isDuplicateKey(err)) return bad;
        throw err;
      }
      await Users.updateOne({ _id: userId }, { $set: { passwordHash: await hashPassword(password) } });
      return { ok: true };
    },
  };
}

export type TenantService = ReturnType<typeof tenantService>;
