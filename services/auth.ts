import { jwtVerify, SignJWT } from 'jose';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { userModel } from '../db/models/user.ts';
import { ROLES, type Actor } from '../domain/lifecycle/actor.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

const ISSUER = 'switchyard';
const Claims = z.object({
  sub: z.string(),
  tid: z.string(),
  role: z.enum(ROLES),
  eid: z.string().optional(),
  sid: z.string().optional(),
});

export interface AuthConfig {
  /** HS256 secret, at least 32 bytes. */
  jwtSecret: string;
  tokenTtlSec: number;
}

export interface NewUserRecord {
  tenantId: string;
  email: string;
  name: string;
  role: Actor['role'];
  password: string;
  endpointId?: string;
  sourceId?: string;
}

/** Stores a user under `<tenant>:<email>`, the email lower-cased; an email already taken in the tenant fails with a duplicate key. */
export async function insertUser(conn: Connection, input: NewUserRecord): Promise<{ userId: string }> {
  const email = input.email.trim().toLowerCase();
  const userId = `${input.tenantId}:${email}`;
  await userModel(conn).create({
    _id: userId,
    tenantId: input.tenantId,
    email,
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    ...(input.endpointId ? { endpointId: input.endpointId } : {}),
    ...(input.sourceId ? { sourceId: input.sourceId } : {}),
    createdAt: new Date(),
  });
  return { userId };
}

export function authService(conn: Connection, config: AuthConfig) {
  if (Buffer.byteLength(config.jwtSecret) < 32) throw new Error('JWT_SECRET must be at least 32 bytes');
  const secret = new TextEncoder().encode(config.jwtSecret);
  const Users = userModel(conn);

  return {
    /** How long a sign-in lasts (the browser session's cookie lives as long). */
    tokenTtlSec: config.tokenTtlSec,
    createUser: (input: NewUserRecord) => insertUser(conn, input),

    /** A signed token for valid credentials; the same answer for an unknown user and a wrong password. */
    async signIn(tenantId: string, email: string, password: string): Promise<{ ok: true; token: string; actor: Actor } | { ok: false }> {
      const user = await Users.findById(`${tenantId}:${email.trim().toLowerCase()}`).lean();
      if (!user || user.disabled || !(await verifyPassword(password, user.passwordHash))) return { ok: false };
      const actor: Actor = {
        userId: user._id,
        role: user.role,
        tenantId: user.tenantId,
        ...(user.endpointId ? { endpointId: user.endpointId } : {}),
        ...(user.sourceId ? { sourceId: user.sourceId } : {}),
      };
      const token = await new SignJWT({
        tid: actor.tenantId,
        role: actor.role,
        ...(actor.endpointId ? { eid: actor.endpointId } : {}),
        ...(actor.sourceId ? { sid: actor.sourceId } : {}),
      })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(actor.userId)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(`${config.tokenTtlSec}s`)
        .sign(secret);
      return { ok: true, token, actor };
    },

    /** The actor a bearer token stands for, or undefined when it is invalid or expired. */
    async verify(token: string): Promise<Actor | undefined> {
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] });
        const c = Claims.parse(payload);
        return { userId: c.sub, tenantId: c.tid, role: c.role, ...(c.eid ? { endpointId: c.eid } : {}), ...(c.sid ? { sourceId: c.sid } : {}) };
      } catch {
        return undefined;
      }
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
