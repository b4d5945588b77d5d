import { bundleWorkflowCode } from '@temporalio/worker';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workflowBundleOptions } from '../infra/worker-options.ts';
import { spawnManaged, type ManagedChild } from '../stack/child.ts';
import { startMongo } from '../stack/mongo.ts';
import type { RunningMongo } from '../stack/ferretdb.ts';
import { freePort, waitFor } from '../stack/ports.ts';
import { startTemporalDev, type RunningTemporal } from '../stack/temporal-dev.ts';
import { nodeArgs, nodeEnv, projectRoot } from '../stack/tools.ts';

export interface LoadStack {
  mongoUri: string;
  temporalAddress: string;
  apiUrl: string;
  /** The stack was started here (faults need that); false when an `npm start` stack was found. */
  own: boolean;
  /** The processes this run started (none on an `npm start` stack): for their memory and CPU. */
  /** `database` is the MongoDB-wire server; `postgres` the PostgreSQL under an embedded FerretDB, a separate process tree. */
  pids(): { worker?: number; database?: number; postgres?: number; temporal?: number; api?: number };
  /** The Prometheus pages of the worker and the API, for the database commands they sent. */
  metricsUrls: { worker: string; api: string };
  killWorker(): Promise<void>;
  startWorker(): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stopMongo(): Promise<void>;
  startMongo(): Promise<void>;
  stop(): Promise<void>;
}

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (m: string) => console.error(m),
};

/**
 * The embedded stack on free ports in a directory of the run's own: the
 * MongoDB-wire server, the Temporal dev server (SQLite file, so a restart
 * keeps every workflow), one worker and one API, as child processes the fault
 * injector can kill and restart. The workflow bundle is built once so a
 * killed worker is back in about a second.
 */
export async function startLoadStack(dir: string, opts: { profile?: boolean } = {}): Promise<LoadStack> {
  const [mongoPort, temporalPort, apiPort, workerMetricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const log = (name: string) => join(dir, 'logs', `${name}.log`);
  const bundlePath = join(dir, 'workflow-bundle.js');
  const [bundle, firstMongo, firstTemporal] = await Promise.all([
    bundleWorkflowCode({ ...workflowBundleOptions({ traced: false }), logger: quiet }),
    startMongo({ port: mongoPort, dataDir: join(dir, 'mongo'), logFile: log('mongo') }),
    startTemporalDev({ port: temporalPort, dbFile: join(dir, 'temporal.db'), logFile: log('temporal') }),
  ]);
  writeFileSync(bundlePath, bundle.code);
  let mongo: RunningMongo | undefined = firstMongo;
  let temporal: RunningTemporal | undefined = firstTemporal;
  const mongoUri = `${firstMongo.uri}load`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    MONGODB_URI: mongoUri,
    TEMPORAL_ADDRESS: firstTemporal.address,
    PORT: String(apiPort),
    WORKER_METRICS_PORT: String(workerMetricsPort),
    WORKFLOW_BUNDLE_PATH: bundlePath,
    // The load generator is one client posting as fast as the run asks.
    RATE_LIMIT_KEY_PER_MIN: '100000000',
    RATE_LIMIT_USER_PER_MIN: '100000000',
    RATE_LIMIT_ANON_PER_MIN: '100000000',
  };
  // --profile: V8 CPU profiles of the worker and the API, written on their exit (NODE_OPTIONS refuses --cpu-prof).
  const profile = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'profiles')}`] : [];
  const node = (name: string, script: string) =>
    spawnManaged({
      name,
      command: process.execPath,
      args: [...profile, ...nodeArgs(script)],
      env: { ...nodeEnv(script), ...env },
      cwd: projectRoot,
      logFile: log(name),
    });

  let worker: ManagedChild | undefined;
  // Ready when its log says so: the server lists a dead worker's pollers for a while, so health alone would lie.
  const started = () => (existsSync(log('worker')) ? readFileSync(log('worker'), 'utf8').split('"msg":"worker started"').length - 1 : 0);
  const startWorker = async () => {
    const before = started();
    worker = node('worker', 'worker.ts');
    const w = worker;
    await waitFor(
      'worker',
      async () => started() > before,
      120_000,
      () => w.exited(),
    );
  };
  const api = node('api', 'api/main.ts');
  await waitFor(
    'API',
    async () => (await fetch(`http://127.0.0.1:${apiPort}/health`).catch(() => undefined))?.status !== undefined,
    60_000,
    () => api.exited(),
  );
  await startWorker();

  return {
    mongoUri,
    temporalAddress: firstTemporal.address,
    apiUrl: `http://127.0.0.1:${apiPort}`,
    own: true,
    metricsUrls: { worker: `http://127.0.0.1:${workerMetricsPort}/metrics`, api: `http://127.0.0.1:${apiPort}/metrics` },
    pids: () => ({
      worker: worker?.proc.pid,
      database: mongo?.child?.proc.pid,
      postgres: mongo?.postgres?.child.proc.pid,
      temporal: temporal?.child?.proc.pid,
      api: api.proc.pid,
    }),
    async killWorker() {
      if (!worker) return;
      worker.proc.kill('SIGKILL');
      await worker.stop(1000);
      worker = undefined;
    },
    startWorker,
    async stopTemporal() {
      await temporal?.stop();
      temporal = undefined;
    },
    async startTemporal() {
      temporal = await startTemporalDev({ port: temporalPort, dbFile: join(dir, 'temporal.db'), logFile: log('temporal') });
    },
    async stopMongo() {
      await mongo?.stop();
      mongo = undefined;
    },
    async startMongo() {
      mongo = await startMongo({ port: mongoPort, dataDir: join(dir, 'mongo'), logFile: log('mongo') });
    },
    async stop() {
      await worker?.stop(30_000);
      await api.stop();
      await temporal?.stop();
      await mongo?.stop();
    },
  };
}

/** An `npm start` stack already up on the default ports, used as it is (no faults). */
export async function findRunningStack(): Promise<LoadStack | undefined> {
  const port = Number(process.env.PORT ?? 4000);
  const health = await fetch(`http://127.0.0.1:${port}/health`)
    .then((r) => r.json() as Promise<{ ok?: boolean }>)
    .catch(() => undefined);
  if (!health?.ok) return undefined;
  const unsupported = async () => {
    throw new Error('faults need a stack this run started; stop `npm start` first');
  };
  return {
    mongoUri: process.env.MONGODB_URI ?? `mongodb://127.0.0.1:${process.env.SWITCHYARD_MONGO_PORT ?? 27017}/switchyard`,
    temporalAddress: process.env.TEMPORAL_ADDRESS ?? `127.0.0.1:${process.env.SWITCHYARD_TEMPORAL_PORT ?? 7233}`,
    apiUrl: `http://127.0.0.1:${port}`,
    own: false,
    metricsUrls: { worker: `http://127.0.0.1:${process.env.WORKER_METRICS_PORT ?? 9464}/metrics`, api: `http://127.0.0.1:${port}/metrics` },
    pids: () => ({}),
    killWorker: unsupported,
    startWorker: unsupported,
    stopTemporal: unsupported,
    startTemporal: unsupported,
    stopMongo: unsupported,
    startMongo: unsupported,
    stop: async () => undefined,
  };
}
