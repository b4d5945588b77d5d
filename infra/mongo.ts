import mongoose, { type Connection } from 'mongoose';

/**
 * One mongoose connection per process. Settings stay within what both MongoDB 7
 * and the FerretDB test server support (no retryable writes: FerretDB v1 has no sessions).
 */
export async function connectMongo(uri: string, dbName?: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    serverSelectionTimeoutMS: 10_000,
    retryWrites: false,
    autoIndex: true,
  });
  await conn.asPromise();
  return conn;
}
