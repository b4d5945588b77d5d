import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startMongo } from '../stack/mongo.ts';
import { freePort } from '../stack/ports.ts';
import { startTemporalDev, temporalReady } from '../stack/temporal-dev.ts';
import { testServerPath } from '../stack/tools.ts';
import { workflowBundleOptions } from '../infra/worker-options.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    temporalAddress: string;
    workflowBundlePath: string;
    testServerPath: string;
  }
}

/**
 * Starts the real servers once for the integration project: the MongoDB-wire
 * server on a random port in a temp directory, the Temporal dev server, and
 * the workflow bundle (built once, handed to every worker by codePath).
 * A missing server is a loud failure, never a skip.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-it-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const tsPath = testServerPath();
    const [mongo, temporal, bundle] = await Promise.all([
      startMongo({ port: await freePort(), dataDir: join(dir, 'mongo'), logFile: join(dir, 'mongo.log') }),
      process.env.TEMPORAL_ADDRESS
        ? temporalReady(process.env.TEMPORAL_ADDRESS).then(() => ({ address: process.env.TEMPORAL_ADDRESS!, stop: async () => undefined }))
        : startTemporalDev({ port: 'free', logFile: join(dir, 'temporal.log') }),
      bundleWorkflowCode({ ...workflowBundleOptions({ traced: false }), logger: quietBundlerLogger }),
    ]);
    stops.push(mongo.stop, temporal.stop);
    const bundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.code);

    project.provide('mongoUri', mongo.uri);
    project.provide('temporalAddress', temporal.address);
    project.provide('workflowBundlePath', bundlePath);
    project.provide('testServerPath', tsPath);
    process.stdout.write(`[integration] MongoDB-wire server ${mongo.kind} at ${mongo.uri}; Temporal at ${temporal.address}; logs in ${dir}\n`);
  } catch (err) {
    await Promise.allSettled(stops.map((s) => s()));
    throw new Error(`Integration servers could not start: ${(err as Error).message}\nRun \`npm run provision\` and see the logs in ${dir}.`, { cause: err });
  }

  return async () => {
    await Promise.allSettled(stops.map((s) => s()));
    if (!process.env.KEEP_TEST_DATA) rmSync(dir, { recursive: true, force: true });
  };
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (msg: string, meta?: unknown) => console.warn(msg, meta ?? ''),
  error: (msg: string, meta?: unknown) => console.error(msg, meta ?? ''),
};
