import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities/index.ts';
import { activityDepsFromEnv } from './infra/activity-deps.ts';
import { loadEnv } from './infra/env.ts';
import { createLogger } from './infra/logger.ts';
import { connectMongo } from './infra/mongo.ts';
import { workerOptions } from './infra/worker-options.ts';
import { temporalDataConverter } from './infra/payload-codec.ts';
import { DEV_PII_KEY } from './infra/pii.ts';

const env = loadEnv();
const log = createLogger('worker', env.LOG_LEVEL);

const mongo = await connectMongo(env.MONGODB_URI);
const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
const worker = await Worker.create(
  workerOptions({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    activities: createActivities(await activityDepsFromEnv(env, mongo)),
    workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
    maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
    dataConverter: temporalDataConverter(env.PII_KEY ?? DEV_PII_KEY),
  }),
);
log.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, address: env.TEMPORAL_ADDRESS }, 'worker started');
// Worker.run() returns once SIGINT/SIGTERM has drained in-flight tasks.
await worker.run();
await connection.close();
await mongo.close();
log.info('worker stopped');
