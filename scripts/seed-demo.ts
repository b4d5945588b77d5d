import type { Connection } from 'mongoose';
import { tenantModel } from '../db/models/tenant.ts';
import { userModel } from '../db/models/user.ts';
import { hashPassword } from '../services/passwords.ts';

export const DEMO_TENANT = { id: 'demo', name: 'Demo Home Services' };
/** The demo tenant's admin for `npm start` (development only): sign in with these to explore GraphiQL. */
export const DEMO_ADMIN = { email: 'admin@demo.example', password: 'switchyard-demo-admin' };

/** Idempotent: a second start finds the demo tenant and its admin and leaves them as they are. */
export async function seedDemo(mongo: Connection): Promise<{ created: boolean }> {
  const res = await tenantModel(mongo).updateOne(
    { _id: DEMO_TENANT.id },
    { $setOnInsert: { name: DEMO_TENANT.name, createdAt: new Date() } },
    { upsert: true },
  );
  const adminId = `${DEMO_TENANT.id}:${DEMO_ADMIN.email}`;
  if (!(await userModel(mongo).exists({ _id: adminId }))) {
    await userModel(mongo)
      .create({ _id: adminId, tenantId: DEMO_TENANT.id, email: DEMO_ADMIN.email, name: 'Demo admin', role: 'admin', passwordHash: await hashPassword(DEMO_ADMIN.password), createdAt: new Date() })
      .catch((err: { code?: number }) => {
        if (err?.code !== 11000) throw err; // a concurrent start created it
      });
  }
  return { created: res.upsertedCount === 1 };
}
