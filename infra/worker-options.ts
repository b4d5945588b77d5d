import type { DataConverter } from '@temporalio/common';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import type { Activities } from '../activities/index.ts';

export const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** A prebuilt bundle (tests build it once); otherwise the worker bundles workflowsPath itself. */
  workflowBundlePath?: string;
  maxCachedWorkflows?: number;
  /** Encrypts payloads; every worker and client of a deployment shares it (infra/payload-codec.ts). */
  dataConverter: DataConverter;
}

/** The single place worker options are decided, for the process and the tests alike. */
export function workerOptions(s: WorkerSetup): WorkerOptions {
  return {
    connection: s.connection,
    namespace: s.namespace,
    taskQueue: s.taskQueue,
    activities: s.activities,
    dataConverter: s.dataConverter,
    ...(s.workflowBundlePath ? { workflowBundle: { codePath: s.workflowBundlePath } } : { workflowsPath }),
    // Bounded so memory stays flat however many leads wait on claims or return windows.
    maxCachedWorkflows: s.maxCachedWorkflows ?? 2000,
  };
}
