import { MongoClient } from 'mongodb';
import { dirname, join } from 'node:path';
import { spawnManaged, type ManagedChild } from './child.ts';
import { freePort, waitFor } from './ports.ts';
import { FERRET_DATABASE, startPostgres, type RunningPostgres } from './postgres.ts';
import { ferretPath } from './tools.ts';

export interface RunningMongo {
  uri: string;
  child?: ManagedChild;
  /** The PostgreSQL under an embedded FerretDB on its PostgreSQL backend. */
  postgres?: RunningPostgres;
  stop(): Promise<void>;
}

export type FerretBackend = 'postgresql' | 'sqlite';

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

/**
 * Starts the embedded FerretDB on 127.0.0.1:port. On the PostgreSQL backend
 * (the default) it first starts PostgreSQL with its cluster in
 * `<dataDir>/postgres` (port SWITCHYARD_PG_PORT, else a free one); on SQLite
 * the databases are files in dataDir. stop() stops FerretDB, then PostgreSQL.
 */
export async function startFerret(opts: { port: number; dataDir: string; backend?: FerretBackend; logFile?: string; echo?: boolean }): Promise<RunningMongo> {
  const backend = opts.backend ?? 'postgresql';
  let postgres: RunningPostgres | undefined;
  let backendArgs: string[];
  if (backend === 'postgresql') {
    postgres = await startPostgres({
      port: process.env.SWITCHYARD_PG_PORT ? Number(process.env.SWITCHYARD_PG_PORT) : await freePort(),
      dataDir: join(opts.dataDir, 'postgres'),
      logFile: opts.logFile && join(dirname(opts.logFile), 'postgres.log'),
      echo: opts.echo,
    });
    // plan_cache_mode: FerretDB caches prepared statements, and a generic plan
    // sees `_jsonb->$1 @> $2` without the field name, so it cannot use the GIN
    // expression indexes scripts/ferretdb/pg_index.go maintains; a custom plan
    // per execution sees the constants (planning costs far less than a scan).
    // pool_max_conns: FerretDB's pool (50 by default) waits without a timeout
    // for a free connection, and every open cursor pins one; when cursors and
    // the writes queued behind them take all 50, FerretDB hangs (seen in the
    // integration suite on a loaded machine). PostgreSQL allows 250.
    backendArgs = ['-backend', 'postgresql', '-postgresql-url', `${postgres.url(FERRET_DATABASE)}?plan_cache_mode=force_custom_plan&pool_max_conns=200`];
  } else {
    backendArgs = ['-backend', 'sqlite', '-data-dir', opts.dataDir];
  }
  const child = spawnManaged({
    name: 'mongodb',
    command: ferretPath(),
    args: ['-listen-addr', `127.0.0.1:${opts.port}`, ...backendArgs, '-log-level', process.env.FERRETDB_LOG_LEVEL ?? 'warn'],
    logFile: opts.logFile,
    echo: opts.echo,
  });
  const uri = `mongodb://127.0.0.1:${opts.port}/`;
  const stop = async () => {
    await child.stop();
    await postgres?.stop();
  };
  try {
    await waitFor('FerretDB', () => ping(uri), 30_000, child.exited);
  } catch (err) {
    await stop();
    throw err;
  }
  return { uri, child, postgres, stop };
}
