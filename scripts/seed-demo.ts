import type { Connection } from 'mongoose';
import { configStore } from '../db/config-store.ts';
import { tenantModel } from '../db/models/tenant.ts';
import { userModel } from '../db/models/user.ts';
import { TenantConfigDocumentSchema } from '../schema/tenant-config.ts';
import { apiKeys } from '../services/api-keys.ts';
import { insertUser } from '../services/auth.ts';
import { DEMO_CONFIG, DEMO_SOURCE_ID, DEMO_TENANT, DEMO_USERS } from './demo-config.ts';
import { isDuplicateKey } from '../db/duplicate-key.ts';

export { DEMO_CONFIG, DEMO_SOURCE_ID, DEMO_TENANT, DEMO_USERS } from './demo-config.ts';
/** The demo tenant's admin for `npm start` (development only): sign in with these to explore GraphiQL. */
export const DEMO_ADMIN = { email: DEMO_USERS[0]!.email, password: DEMO_USERS[0]!.password };

export interface SeedResult {
  /** The tenant was new. */
  created: boolean;
  /** Configuration version 1 was published (only when the tenant had none: later edits are kept). */
  configured: boolean;
  /** A new API key for the demo source, issued because it had no active key: shown this once. */
  apiKey?: string;
}

/**
 * Idempotent: the demo tenant, its configuration, its users and an API key
 * for its source, each created only when missing. A second start finds them
 * and leaves them as they are (configuration edits made since are kept).
 */
export async function seedDemo(mongo: Connection): Promise<SeedResult> {
  const res = await tenantModel(mongo).updateOne(
    { _id: DEMO_TENANT.id },
    { $setOnInsert: { name: DEMO_TENANT.name, createdAt: new Date() } },
    { upsert: true },
  );

  const store = configStore(mongo);
  let configured = false;
  if ((await store.latestVersion(DEMO_TENANT.id)) === 0) {
    // Version 1 exactly: a concurrent start that published it first wins.
    configured = (await store.publishNext(DEMO_TENANT.id, 0, TenantConfigDocumentSchema.parse(DEMO_CONFIG), 'seed', 'demo configuration')) !== 'conflict';
  }

  for (const u of DEMO_USERS) {
    if (await userModel(mongo).exists({ _id: `${DEMO_TENANT.id}:${u.email.toLowerCase()}` })) continue;
    await insertUser(mongo, { tenantId: DEMO_TENANT.id, ...u }).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err; // a concurrent start created it
    });
  }

  const keys = apiKeys(mongo);
  const source = DEMO_SOURCE_ID;
  const active = (await keys.list(DEMO_TENANT.id, source)).filter((k) => !k.revokedAt);
  const apiKey = active.length === 0 ? (await keys.issue(DEMO_TENANT.id, source, 'seed')).key : undefined;

  return { created: res.upsertedCount === 1, configured, ...(apiKey ? { apiKey } : {}) };
}
