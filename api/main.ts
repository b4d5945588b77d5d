import { Client, Connection } from '@temporalio/client';
import { loadEnv } from '../infra/env.ts';
import { createLogger } from '../infra/logger.ts';
import { connectMongo } from '../infra/mongo.ts';
import { createApp } from './server.ts';

const env = loadEnv();
const log = createLogger('api', env.LOG_LEVEL);
const mongo = await connectMongo(env.MONGODB_URI);
const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });

const app = createApp({ mongo, temporal, namespace: env.TEMPORAL_NAMESPACE, taskQueue: env.TEMPORAL_TASK_QUEUE });
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
