import { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../infra/env.ts';
import { temporalDataConverter } from '../infra/payload-codec.ts';
import { createLogger } from '../infra/logger.ts';
import { connectMongo } from '../infra/mongo.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import { authService } from '../services/auth.ts';
import { createApp } from './server.ts';

/** Development and tests only: production refuses to start without JWT_SECRET. */
const DEV_JWT_SECRET = 'switchyard-development-secret-not-for-production';

const env = loadEnv();
const log = createLogger('api', env.LOG_LEVEL);
if (env.NODE_ENV === 'production' && (!env.JWT_SECRET || !env.PII_KEY)) {
  log.fatal('JWT_SECRET and PII_KEY must be set in production');
  process.exit(1);
}
const mongo = await connectMongo(env.MONGODB_URI);
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: temporalDataConverter(env.PII_KEY ?? DEV_PII_KEY) });

const app = createApp(
  {
    mongo,
    temporal,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    auth: authService(mongo, { jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET, tokenTtlSec: env.TOKEN_TTL_SEC }),
    pii: createPiiCodec(env.PII_KEY ?? DEV_PII_KEY),
  },
  {
    nodeEnv: env.NODE_ENV,
    corsOrigins: env.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    rateLimits: { userPerMin: env.RATE_LIMIT_USER_PER_MIN, apiKeyPerMin: env.RATE_LIMIT_KEY_PER_MIN, anonymousPerMin: env.RATE_LIMIT_ANON_PER_MIN },
    maxBodyBytes: env.MAX_BODY_BYTES,
    trustProxy: env.TRUST_PROXY_HOPS > 0 ? env.TRUST_PROXY_HOPS : false,
    onInternalError: (err) => log.error({ err }, 'internal error (masked for the client)'),
  },
);
const server = app.listen(env.PORT, () => log.info({ port: env.PORT }, `GraphQL at http://localhost:${env.PORT}/graphql`));

async function shutdown(signal: string) {
  log.info({ signal }, 'api stopping');
  server.close();
  await connection.close();
  await mongo.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
