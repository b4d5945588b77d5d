import type { Connection } from 'mongoose';
import type { ActivityDeps } from '../activities/index.ts';
import { loadZipDataset } from '../domain/geo/load-zip-dataset.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import { envSecrets } from '../infra/secrets.ts';

/** Activity dependencies for tests: the development PII key, the real ZIP data, secrets given by name. */
export async function testActivityDeps(
  mongo: Connection,
  extra: Partial<ActivityDeps> & { secretValues?: Record<string, string> } = {},
): Promise<ActivityDeps> {
  const { secretValues, ...rest } = extra;
  return { mongo, pii: createPiiCodec(DEV_PII_KEY), zips: await loadZipDataset(), secrets: envSecrets({}, secretValues ?? {}), ...rest };
}
