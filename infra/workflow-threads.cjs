// Preloaded into the worker process (`node --require`), and so into its
// workflow threads, which inherit the process's flags. Two per-call costs of
// @temporalio/worker 1.24 in those threads, each measured in issue #16, each
// with a switch that restores the SDK's behaviour.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS preload, loaded by --require
const { isMainThread } = require('node:worker_threads');

// 1. The stack-trace hook. The SDK installs a V8 promise hook in every
// workflow thread that, for each promise a workflow creates, captures a stack
// trace and maps it through the bundle's source map. Only the `__stack_trace`
// and `__enhanced_stack_trace` queries (the UI's "Stack Trace" tab) read them,
// and it was a sixth of the worker's CPU per lead. With it off those queries
// answer that stack traces are disabled; errors keep their stacks.
// WORKFLOW_STACK_TRACES=on keeps the SDK's hook.
if (process.env.WORKFLOW_STACK_TRACES !== 'on') {
  // The SDK's own module instance in this thread, the one its workflow thread code uses: a CommonJS require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { globalHandlers } = require('@temporalio/worker/lib/workflow/vm-shared');
  globalHandlers.setPromiseHook = function setPromiseHookOff() {
    this.promiseHookInstalled = false;
  };
}

// 2. The deadlock watchdog. The SDK calls into a workflow's context several
// times per activation, each call with a `timeout` (its 5-second deadlock
// detection), and Node starts and joins a watchdog thread for every call with
// a timeout: about 65 µs of CPU per call against 1 µs without. In workflow
// threads only, the calls go in without it; a workflow stuck in a synchronous
// loop then holds its thread instead of failing its task.
// WORKFLOW_DEADLOCK_DETECTION=on keeps the SDK's watchdog.
if (process.env.WORKFLOW_DEADLOCK_DETECTION !== 'on' && !isMainThread) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vm = require('node:vm');
  const runInContext = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function runInContextWithoutWatchdog(context, options) {
    if (options === undefined || options.timeout === undefined) return runInContext.call(this, context, options);
    const { timeout: _watchdog, ...rest } = options;
    return runInContext.call(this, context, rest);
  };
}
