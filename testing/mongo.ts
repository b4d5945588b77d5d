import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { inject } from 'vitest';
import { connectMongo } from '../infra/mongo.ts';

/** A connection to a fresh, uniquely named database on the shared test server. */
export async function connectTestDb(prefix = 't'): Promise<Connection> {
  return connectMongo(inject('mongoUri'), { dbName: `${prefix}_${randomBytes(4).toString('hex')}` });
}

export async function dropTestDb(conn: Connection): Promise<void> {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
}
