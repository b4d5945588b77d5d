import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { spawnManaged } from './child.ts';
import { startFerret, ping, type RunningMongo } from './ferretdb.ts';
import { waitFor } from './ports.ts';
import { TOOL_VERSIONS, dbBackend } from '../scripts/tool-paths.mjs';

function mongodOnPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v mongod'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The MongoDB-wire server for a local stack: MONGODB_URI if set (nothing is
 * started), else a real mongod if one is on PATH, else the embedded FerretDB
 * on the backend SWITCHYARD_DB_BACKEND names: `postgresql` (the default, an
 * embedded PostgreSQL under dataDir/postgres) or `sqlite` (files in dataDir).
 */
export async function startMongo(opts: { port: number; dataDir: string; logFile?: string; echo?: boolean }): Promise<RunningMongo & { kind: string }> {
  const external = process.env.MONGODB_URI;
  if (external) {
    await waitFor(`MongoDB at MONGODB_URI`, () => ping(external), 15_000);
    return { uri: external, kind: 'external (MONGODB_URI)', stop: async () => undefined };
  }
  const mongod = mongodOnPath();
  if (mongod) {
    mkdirSync(opts.dataDir, { recursive: true });
    const child = spawnManaged({
      name: 'mongodb',
      command: mongod,
      args: ['--port', String(opts.port), '--bind_ip', '127.0.0.1', '--dbpath', opts.dataDir, '--quiet'],
      logFile: opts.logFile,
      echo: opts.echo,
    });
    const uri = `mongodb://127.0.0.1:${opts.port}/`;
    await waitFor('mongod', () => ping(uri), 30_000, child.exited);
    return { uri, child, kind: `mongod (${mongod})`, stop: () => child.stop() };
  }
  const backend = dbBackend();
  const ferret = await startFerret({ ...opts, backend });
  const under = ferret.postgres ? `PostgreSQL ${ferret.postgres.version} on 127.0.0.1:${ferret.postgres.port}` : 'SQLite';
  return { ...ferret, kind: `FerretDB ${TOOL_VERSIONS.ferretdb} (${under})` };
}
