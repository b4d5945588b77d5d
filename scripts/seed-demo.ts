import type { Connection } from 'mongoose';
import { tenantModel } from '../db/models/tenant.ts';

export const DEMO_TENANT = { id: 'demo', name: 'Demo Home Services' };

/** Idempotent: a second start finds the demo tenant and leaves it as it is. */
export async function seedDemo(mongo: Connection): Promise<{ created: boolean }> {
  const res = await tenantModel(mongo).updateOne(
    { _id: DEMO_TENANT.id },
    { $setOnInsert: { name: DEMO_TENANT.name, createdAt: new Date() } },
    { upsert: true },
  );
  return { created: res.upsertedCount === 1 };
}
