import { makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import { activityDepsFromEnv } from './infra/activity-deps.ts';
import { linkConfigFromEnv } from './infra/links.ts';
import { loadEnv } from './infra/env.ts';
import { createLogger, setProcessLogger } from './infra/logger.ts';
import { createWorkerMetrics } from './infra/metrics.ts';
import { startMetricsServer } from './infra/metrics-server.ts';
import { connectMongo } from './infra/mongo.ts';
import { workerOptions } from './infra/worker-options.ts';
import { temporalDataConverter } from './infra/payload-codec.ts';
import { DEV_PII_KEY } from './infra/pii.ts';
import { parseTenantList, taskQueuesFromEnv } from './infra/task-queues.ts';
import { temporalLogger } from './infra/temporal-logger.ts';
import { startTracing } from './infra/tracing.ts';
import { onShutdownSignal } from './infra/shutdown.ts';
import { freePort } from './stack/ports.ts';

const env = loadEnv();
const tracing = startTracing({ serviceName: 'switchyard-worker' });
const log = createLogger('worker', env.LOG_LEVEL, { format: env.LOG_FORMAT });
setProcessLogger(log);

// The SDK's own metrics come from its native core, on a loopback port of
// their own; /metrics on WORKER_METRICS_PORT serves ours and theirs as one page.
const sdkMetricsPort = env.WORKER_METRICS_PORT > 0 ? await freePort() : undefined;
const coreLevel = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace' ? 'INFO' : 'WARN';
Runtime.install({
  logger: temporalLogger(log),
  telemetryOptions: {
    // The native core's lines come through the same logger instead of straight to the console.
    logging: { forward: {}, filter: makeTelemetryFilterString({ core: coreLevel, other: 'ERROR' }) },
    ...(sdkMetricsPort ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}` } } } : {}),
  },
  // SIGTERM/SIGINT start a graceful shutdown of every worker below (Worker.run resolves when drained).
  shutdownSignals: ['SIGINT', 'SIGTERM', 'SIGQUIT'],
});

// The Runtime drains the workers on the first signal and then stops listening;
// these handlers keep a repeated SIGTERM from killing the drain, and bound it.
onShutdownSignal(undefined, env.SHUTDOWN_GRACE_MS + 20_000, (msg) => log.warn(msg));

const metrics = createWorkerMetrics();
const queues = taskQueuesFromEnv(env);
const tenants = parseTenantList(env.WORKER_TENANTS);
const taskQueues = queues.forWorker(tenants);

const mongo = await connectMongo(env.MONGODB_URI, { onCommand: metrics.dbCommands });
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
// Claim links in offer alerts: signed here, verified by the API with the same LINK_SECRET.
const activities = createActivities({ ...(await activityDepsFromEnv(env, mongo)), links: linkConfigFromEnv(env), log, metrics });
// One Temporal worker per task queue (a worker polls exactly one), sharing the connection and the activities.
const workers = await Promise.all(
  taskQueues.map((taskQueue) =>
    Worker.create(
      workerOptions({
        connection,
        namespace: env.TEMPORAL_NAMESPACE,
        taskQueue,
        activities,
        workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
        maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
        dataConverter: temporalDataConverter(env.PII_KEY ?? DEV_PII_KEY),
        log,
        metrics,
        tracing,
        shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      }),
    ),
  ),
);

// A taken port costs the metrics, never the leads: the worker runs on and says so.
const metricsServer =
  env.WORKER_METRICS_PORT > 0
    ? await startMetricsServer({
        host: env.WORKER_METRICS_HOST,
        port: env.WORKER_METRICS_PORT,
        registry: metrics.registry,
        ...(sdkMetricsPort ? { sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics` } : {}),
        health: () => {
          const states = workers.map((w) => w.getState());
          return { ok: states.every((s) => s === 'RUNNING'), detail: states.join(',') };
        },
      }).catch((err: Error) => {
        log.error({ err, port: env.WORKER_METRICS_PORT }, 'metrics server could not start; running without /metrics');
        return undefined;
      })
    : undefined;

// Read by the load harness and the tests as the readiness signal: keep the message.
log.info(
  {
    taskQueues,
    tenants,
    address: env.TEMPORAL_ADDRESS,
    metricsPort: env.WORKER_METRICS_PORT || undefined,
    tracing: tracing.enabled,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  },
  'worker started',
);
if (tenants.some((t) => queues.forTenant(t) === env.TEMPORAL_TASK_QUEUE)) {
  log.warn(
    { tenants: tenants.filter((t) => queues.forTenant(t) === env.TEMPORAL_TASK_QUEUE) },
    'WORKER_TENANTS names tenants without a partition of their own: this worker also polls the shared queue',
  );
}

// Worker.run() resolves once a shutdown signal has drained in-flight workflow
// tasks and activities (up to SHUTDOWN_GRACE_MS; activities still running
// then are cancelled and retried by another worker).
const t0 = Date.now();
const results = await Promise.allSettled(workers.map((w) => w.run()));
const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
for (const f of failed) log.error({ err: f.reason }, 'worker did not shut down cleanly');
log.info({ drainMs: Date.now() - t0 }, 'worker drained');
await metricsServer?.close();
await connection.close();
await mongo.close();
await tracing.shutdown();
log.info('worker stopped');
process.exit(failed.length ? 1 : 0);
