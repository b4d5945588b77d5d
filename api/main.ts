import { Client, Connection } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { loadEnv } from '../infra/env.ts';
import { drainHttpServer, onShutdownSignal } from '../infra/shutdown.ts';
import { temporalDataConverter } from '../infra/payload-codec.ts';
import { createLogger, setProcessLogger } from '../infra/logger.ts';
import { createApiMetrics } from '../infra/metrics.ts';
import { connectMongo } from '../infra/mongo.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import { taskQueuesFromEnv } from '../infra/task-queues.ts';
import { startTracing } from '../infra/tracing.ts';
import { authService } from '../services/auth.ts';
import type { IntakeDeps } from '../services/intake.ts';
import type { ApiDeps } from './context.ts';
import { linkConfigFromEnv } from '../infra/links.ts';
import { createApp } from './server.ts';

/** Development and tests only: production refuses to start without JWT_SECRET. */
const DEV_JWT_SECRET = 'switchyard-development-secret-not-for-production';

const env = loadEnv();
// Tracing first, so everything created after it is traced (off unless OTEL_TRACES_EXPORTER names an exporter).
const tracing = startTracing({ serviceName: 'switchyard-api' });
const log = createLogger('api', env.LOG_LEVEL, { format: env.LOG_FORMAT });
setProcessLogger(log);
if (env.NODE_ENV === 'production' && (!env.JWT_SECRET || !env.PII_KEY || !env.LINK_SECRET)) {
  log.fatal('JWT_SECRET, PII_KEY and LINK_SECRET must be set in production');
  process.exit(1);
}
const metrics = createApiMetrics();
const mongo = await connectMongo(env.MONGODB_URI, { onCommand: metrics.dbCommands });
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
const temporal = new Client({
  connection,
  namespace: env.TEMPORAL_NAMESPACE,
  dataConverter: temporalDataConverter(env.PII_KEY ?? DEV_PII_KEY),
  // Starting a lead opens a span and hands its context to the workflow in the start request's headers.
  interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
});
const queues = taskQueuesFromEnv(env);

// `taskQueueFor` reaches intake through the deps every intake path spreads into it.
const deps: ApiDeps & Pick<IntakeDeps, 'taskQueueFor'> = {
  mongo,
  temporal,
  namespace: env.TEMPORAL_NAMESPACE,
  taskQueue: env.TEMPORAL_TASK_QUEUE,
  taskQueueFor: queues.forTenant,
  auth: authService(mongo, { jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET, tokenTtlSec: env.TOKEN_TTL_SEC }),
  pii: createPiiCodec(env.PII_KEY ?? DEV_PII_KEY),
  ...(env.PLATFORM_TOKEN ? { platformToken: env.PLATFORM_TOKEN } : {}),
  ...(env.SMS_AUTH_TOKEN ? { smsAuthToken: env.SMS_AUTH_TOKEN } : {}),
  linkSecret: linkConfigFromEnv(env).secret,
  freshnessMs: env.FRESHNESS_MS,
};
const app = createApp(deps, {
  nodeEnv: env.NODE_ENV,
  corsOrigins: env.CORS_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean),
  rateLimits: { userPerMin: env.RATE_LIMIT_USER_PER_MIN, apiKeyPerMin: env.RATE_LIMIT_KEY_PER_MIN, anonymousPerMin: env.RATE_LIMIT_ANON_PER_MIN },
  maxBodyBytes: env.MAX_BODY_BYTES,
  trustProxy: env.TRUST_PROXY_HOPS > 0 ? env.TRUST_PROXY_HOPS : false,
  onInternalError: (err) => log.error({ err }, 'internal error (masked for the client)'),
  logger: log,
  metrics,
});
const server = app.listen(env.PORT, () =>
  log.info({ port: env.PORT, partitions: queues.partitions() }, `GraphQL at http://localhost:${env.PORT}/graphql, metrics at /metrics`),
);

// SIGTERM: stop accepting, let in-flight requests finish (up to SHUTDOWN_GRACE_MS), then close Temporal and MongoDB.
onShutdownSignal(
  async (signal) => {
    log.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, 'api stopping');
    const { forced } = await drainHttpServer(server, env.SHUTDOWN_GRACE_MS);
    await connection.close();
    await mongo.close();
    await tracing.shutdown();
    log.info({ forced }, 'api stopped');
  },
  env.SHUTDOWN_GRACE_MS + 10_000,
  (msg) => log.error(msg),
);
