import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const preload = require.resolve('./workflow-threads.cjs');

/** What the SDK's global handlers do on install in a fresh thread, with and without the preload. */
function installIn(thread: { preload: boolean; env?: Record<string, string> }): Promise<{ hook: boolean }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    if (workerData.preload) require(workerData.preload);
    const { globalHandlers } = require(workerData.vmShared);
    globalHandlers.install();
    parentPort.postMessage({ hook: globalHandlers.promiseHookInstalled });
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, {
      eval: true,
      env: { ...process.env, ...thread.env },
      workerData: { preload: thread.preload ? preload : undefined, vmShared: require.resolve('@temporalio/worker/lib/workflow/vm-shared') },
    });
    w.once('message', (m: { hook: boolean }) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('the workflow stack-trace hook', () => {
  it('is installed by the SDK on its own', async () => {
    expect(await installIn({ preload: false })).toEqual({ hook: true });
  });

  it('stays off with the preload', async () => {
    expect(await installIn({ preload: true, env: { WORKFLOW_STACK_TRACES: '' } })).toEqual({ hook: false });
  });

  it('is kept with WORKFLOW_STACK_TRACES=on', async () => {
    expect(await installIn({ preload: true, env: { WORKFLOW_STACK_TRACES: 'on' } })).toEqual({ hook: true });
  });
});

/** Whether a call into a context with a 1 ms timeout is stopped while it loops for a while, in a fresh thread. */
function watchdogIn(thread: { preload: boolean; env?: Record<string, string> }): Promise<{ stopped: boolean }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    if (workerData.preload) require(workerData.preload);
    const vm = require('node:vm');
    const script = new vm.Script('const until = Date.now() + 300; while (Date.now() < until);');
    let stopped = false;
    try { script.runInContext(vm.createContext({ Date }), { timeout: 1 }); } catch (e) { stopped = /timed out/.test(String(e)); }
    parentPort.postMessage({ stopped });
  `;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, env: { ...process.env, ...thread.env }, workerData: { preload: thread.preload ? preload : undefined } });
    w.once('message', (m: { stopped: boolean }) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('the deadlock watchdog on calls into a workflow context', () => {
  it('stops a call that outlives its timeout without the preload', async () => {
    expect(await watchdogIn({ preload: false })).toEqual({ stopped: true });
  });

  it('is kept in a workflow thread with the preload', async () => {
    expect(await watchdogIn({ preload: true, env: { WORKFLOW_DEADLOCK_DETECTION: '' } })).toEqual({ stopped: true });
  });

  it('is not started in a workflow thread with WORKFLOW_DEADLOCK_DETECTION=off', async () => {
    expect(await watchdogIn({ preload: true, env: { WORKFLOW_DEADLOCK_DETECTION: 'off' } })).toEqual({ stopped: false });
  });
});
