import type { Connection } from 'mongoose';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userModel } from '../db/models/user.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { authService } from './auth.ts';

const SECRET = 'test-secret-test-secret-test-secret-0123';

describe('user sign-in', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectTestDb('auth');
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });

  it('signs a token for valid credentials that verifies back to the same actor', async () => {
    const auth = authService(conn, { jwtSecret: SECRET, tokenTtlSec: 3600 });
    await auth.createUser({ tenantId: 't1', email: 'Agent@Acme.test', name: 'Agent', role: 'agent', password: 'correct horse battery', endpointId: 'ag-1' });
    const res = await auth.signIn('t1', 'agent@acme.test', 'correct horse battery');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(await auth.verify(res.token)).toEqual({ userId: 't1:agent@acme.test', tenantId: 't1', role: 'agent', endpointId: 'ag-1' });
    expect(JSON.stringify(await userModel(conn).find().lean())).not.toContain('correct horse');
  });

  it('refuses a wrong password, another tenant, a forged and an expired token', async () => {
    const auth = authService(conn, { jwtSecret: SECRET, tokenTtlSec: 3600 });
    expect(await auth.signIn('t1', 'agent@acme.test', 'wrong')).toEqual({ ok: false });
    expect(await auth.signIn('t2', 'agent@acme.test', 'correct horse battery')).toEqual({ ok: false });
    const forged = await new SignJWT({ tid: 't1', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('switchyard')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-0123456'));
    expect(await auth.verify(forged)).toBeUndefined();
    const expired = await new SignJWT({ tid: 't1', role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('switchyard')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(SECRET));
    expect(await auth.verify(expired)).toBeUndefined();
    expect(await auth.verify('garbage')).toBeUndefined();
  });
});
