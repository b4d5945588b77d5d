import type { Connection } from 'mongoose';
import { configStore } from '../db/config-store.ts';
import { TenantConfigDocumentSchema, type TenantConfigDocument, type TenantConfigInput } from '../schema/tenant-config.ts';

/** Validates a test configuration and publishes it as the tenant's next version. */
export async function publishConfig(
  mongo: Connection,
  input: TenantConfigInput,
  author = 'test',
): Promise<{ version: number; document: TenantConfigDocument }> {
  const parsed = TenantConfigDocumentSchema.safeParse(input);
  if (!parsed.success) throw new Error(`test configuration is invalid: ${JSON.stringify(parsed.error.issues, null, 1)}`);
  const stored = await configStore<TenantConfigDocument>(mongo).publish(parsed.data.tenant.id, parsed.data, author);
  return { version: stored.version, document: parsed.data };
}
