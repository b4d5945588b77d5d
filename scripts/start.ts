// `npm start`: the whole embedded stack in one command. Data persists under
// .data/ between starts; Ctrl-C stops every part in reverse order.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectMongo } from '../infra/mongo.ts';
import { spawnManaged, type ManagedChild } from '../stack/child.ts';
import { startMailCapture } from '../stack/mail-capture.ts';
import { startMongo } from '../stack/mongo.ts';
import { portOpen, waitFor } from '../stack/ports.ts';
import { startTemporalDev, temporalReady } from '../stack/temporal-dev.ts';
import { nodeArgs, nodeEnv, paths, projectRoot } from '../stack/tools.ts';
import { DEMO_SOURCE_ID, DEMO_TENANT, DEMO_USERS, seedDemo } from './seed-demo.ts';
import { DEV_PLATFORM_TOKEN } from '../infra/env.ts';
import { build as buildConsole } from 'vite';

const MONGO_PORT = Number(process.env.SWITCHYARD_MONGO_PORT ?? 27017);
const TEMPORAL_PORT = Number(process.env.SWITCHYARD_TEMPORAL_PORT ?? 7233);
const UI_PORT = Number(process.env.SWITCHYARD_TEMPORAL_UI_PORT ?? 8233);
const API_PORT = Number(process.env.PORT ?? 4000);
const WORKER_METRICS_PORT = Number(process.env.WORKER_METRICS_PORT ?? 9464);
// The local mail capture (SMTP in, a web viewer out), unless SMTP_URL names a real server.
const MAIL_SMTP_PORT = Number(process.env.SWITCHYARD_MAIL_SMTP_PORT ?? 1025);
const MAIL_WEB_PORT = Number(process.env.SWITCHYARD_MAIL_PORT ?? 8025);
const DB_NAME = 'switchyard';

const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  console.log('\n[switchyard] stopping…');
  for (const part of stops.reverse()) {
    await part.stop().catch((err) => console.error(`[switchyard] ${part.name} did not stop cleanly: ${(err as Error).message}`));
    console.log(`[switchyard] ${part.name} stopped`);
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

async function ensurePortFree(port: number, what: string, envVar: string) {
  if (await portOpen(port)) {
    throw new Error(`port ${port} for ${what} is already in use; stop whatever holds it or set ${envVar}`);
  }
}

function nodeChild(name: string, script: string, env: NodeJS.ProcessEnv): ManagedChild {
  return spawnManaged({
    name,
    command: process.execPath,
    args: nodeArgs(script),
    env: { ...process.env, ...nodeEnv(script), ...env },
    cwd: projectRoot,
    logFile: join(paths.data, 'logs', `${name}.log`),
    echo: true,
  });
}

async function main() {
  const t0 = Date.now();
  mkdirSync(paths.data, { recursive: true });

  if (!process.env.MONGODB_URI) await ensurePortFree(MONGO_PORT, 'the MongoDB-wire server', 'SWITCHYARD_MONGO_PORT');
  if (!process.env.TEMPORAL_ADDRESS) await ensurePortFree(TEMPORAL_PORT, 'Temporal', 'SWITCHYARD_TEMPORAL_PORT');
  await ensurePortFree(API_PORT, 'the API', 'PORT');
  if (WORKER_METRICS_PORT > 0) await ensurePortFree(WORKER_METRICS_PORT, "the worker's metrics", 'WORKER_METRICS_PORT');
  if (!process.env.SMTP_URL) {
    await ensurePortFree(MAIL_SMTP_PORT, 'the mail capture (SMTP)', 'SWITCHYARD_MAIL_SMTP_PORT');
    await ensurePortFree(MAIL_WEB_PORT, 'the mail capture (web)', 'SWITCHYARD_MAIL_PORT');
  }

  const [mongo, temporal] = await Promise.all([
    startMongo({ port: MONGO_PORT, dataDir: join(paths.data, 'mongo'), logFile: join(paths.data, 'logs', 'mongo.log') }),
    process.env.TEMPORAL_ADDRESS
      ? temporalReady(process.env.TEMPORAL_ADDRESS).then(() => ({ address: process.env.TEMPORAL_ADDRESS!, uiUrl: undefined, stop: async () => undefined }))
      : startTemporalDev({ port: TEMPORAL_PORT, uiPort: UI_PORT, dbFile: join(paths.data, 'temporal.db'), logFile: join(paths.data, 'logs', 'temporal.log') }),
  ]);
  stops.push({ name: 'mongodb', stop: mongo.stop }, { name: 'temporal', stop: temporal.stop });
  console.log(`[switchyard] MongoDB-wire server: ${mongo.kind} at ${mongo.uri}`);
  console.log(`[switchyard] Temporal at ${temporal.address}`);
  const mail = process.env.SMTP_URL ? undefined : await startMailCapture({ smtpPort: MAIL_SMTP_PORT, webPort: MAIL_WEB_PORT });
  if (mail) stops.push({ name: 'mail capture', stop: mail.close });

  const mongoUri = process.env.MONGODB_URI ?? `${mongo.uri}${DB_NAME}`;
  // Pretty logs for people at a terminal; JSON everywhere else (the default).
  const childEnv = {
    MONGODB_URI: mongoUri,
    TEMPORAL_ADDRESS: temporal.address,
    PORT: String(API_PORT),
    NODE_ENV: 'development',
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
    WORKER_METRICS_PORT: String(WORKER_METRICS_PORT),
    WORKER_METRICS_HOST: '127.0.0.1',
    // Ctrl-C drains in-flight work for at most this long (the stop below waits a little longer).
    SHUTDOWN_GRACE_MS: process.env.SHUTDOWN_GRACE_MS ?? '10000',
    // The development platform credential (README: Set up your brand); set your own in production.
    PLATFORM_TOKEN: process.env.PLATFORM_TOKEN ?? DEV_PLATFORM_TOKEN,
    // Alerts and email deliveries go to the capture; claim links in them point at this API.
    SMTP_URL: process.env.SMTP_URL ?? `smtp://127.0.0.1:${mail!.port}`,
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${API_PORT}`,
  };

  const db = await connectMongo(mongoUri);
  const seeded = await seedDemo(db);
  await db.close();
  console.log(
    `[switchyard] demo tenant "${DEMO_TENANT.id}" ${seeded.created ? 'loaded' : 'already present'}${seeded.configured ? ' with its demo configuration' : ''}`,
  );
  if (seeded.apiKey) {
    console.log(`[switchyard] API key for the demo source "${DEMO_SOURCE_ID}" (shown this once; keep it for the README tour):\n\n    ${seeded.apiKey}\n`);
  } else {
    console.log(
      `[switchyard] the demo source "${DEMO_SOURCE_ID}" already has an API key (shown at the first start); lost it? sign in as admin and run rotateApiKey(sourceId: "${DEMO_SOURCE_ID}")`,
    );
  }

  // The console's production build, served by the API at / (`npm run console:dev` for hot reload).
  const tc = Date.now();
  await buildConsole({ configFile: join(projectRoot, 'console', 'vite.config.ts'), logLevel: 'warn' });
  console.log(`[switchyard] console built in ${((Date.now() - tc) / 1000).toFixed(1)}s`);

  const worker = nodeChild('worker', 'worker.ts', childEnv);
  stops.push({ name: 'worker', stop: () => worker.stop(30_000) });
  const api = nodeChild('api', 'api/main.ts', childEnv);
  stops.push({ name: 'api', stop: () => api.stop() });

  const healthUrl = `http://localhost:${API_PORT}/health`;
  await waitFor(
    'the API and worker',
    async () => (await fetch(healthUrl)).ok,
    120_000,
    () => worker.exited() ?? api.exited(),
  );

  console.log(`
[switchyard] up in ${((Date.now() - t0) / 1000).toFixed(1)}s
  Console:             http://localhost:${API_PORT}/  (tenant "demo"; the sign-ins below)
  GraphQL (GraphiQL):  http://localhost:${API_PORT}/graphql
  Health:              ${healthUrl}
  Metrics:             http://localhost:${API_PORT}/metrics (API)${WORKER_METRICS_PORT > 0 ? `, http://localhost:${WORKER_METRICS_PORT}/metrics (worker)` : ''}
  Temporal UI:         ${temporal.uiUrl ?? '(external Temporal)'}
  Mail (captured):     ${mail?.webUrl ?? `(sent through SMTP_URL)`}  alerts and email deliveries; JSON at /api/messages
  MongoDB:             ${mongoUri}
  Data:                ${paths.data}  (kept between starts)
  Demo sign-ins:       tenant "demo" (README: Tour)
${DEMO_USERS.map((u) => `    ${u.role.padEnd(8)} ${u.email} / ${u.password}`).join('\n')}
  Platform token:      ${childEnv.PLATFORM_TOKEN === DEV_PLATFORM_TOKEN ? `${DEV_PLATFORM_TOKEN} (development; README: Set up your brand)` : '(from PLATFORM_TOKEN)'}${seeded.apiKey ? `\n  Demo source API key: ${seeded.apiKey}  (shown this once)` : ''}
Press Ctrl-C to stop.`);

  for (const child of [worker, api]) {
    child.proc.once('exit', () => {
      if (!stopping) {
        console.error(`[switchyard] ${child.name} exited unexpectedly: ${child.exited()}`);
        void stopAll(1);
      }
    });
  }
}

main().catch(async (err) => {
  console.error(`[switchyard] failed to start: ${(err as Error).message}`);
  await stopAll(1);
});
