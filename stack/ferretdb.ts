import { MongoClient } from 'mongodb';
import { spawnManaged, type ManagedChild } from './child.ts';
import { waitFor } from './ports.ts';
import { ferretPath } from './tools.ts';

export interface RunningMongo {
  uri: string;
  child?: ManagedChild;
  stop(): Promise<void>;
}

export async function ping(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Starts the embedded FerretDB (SQLite backend) on 127.0.0.1:port with data in dataDir. */
export async function startFerret(opts: { port: number; dataDir: string; logFile?: string; echo?: boolean }): Promise<RunningMongo> {
  const child = spawnManaged({
    name: 'mongodb',
    command: ferretPath(),
    args: ['-listen-addr', `127.0.0.1:${opts.port}`, '-data-dir', opts.dataDir, '-log-level', process.env.FERRETDB_LOG_LEVEL ?? 'warn'],
    logFile: opts.logFile,
    echo: opts.echo,
  });
  const uri = `mongodb://127.0.0.1:${opts.port}/`;
  try {
    await waitFor('FerretDB', () => ping(uri), 30_000, child.exited);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { uri, child, stop: () => child.stop() };
}
