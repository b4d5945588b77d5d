// Preloaded into the worker process (`node --require`), and so into its
// workflow threads, which inherit the process's flags. Two per-call costs of
// @temporalio/worker 1.24 in those threads, each measured in issue #16: the first is
// turned off unless asked for, the second only when asked.
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

// 2. The deadlock watchdog, kept by default. The SDK calls into a workflow's
// context several times per activation, each call with a `timeout` (its
// deadlock detection), and Node starts and joins a watchdog thread for every
// call with a timeout. That cost depends on the host: 65 µs of CPU per call on
// one machine, 18 µs on another, where the 300-lead load run measured the same
// CPU per lead with and without it. So safety wins by default; on a host where
// thread starts are dear, WORKFLOW_DEADLOCK_DETECTION=off drops the timeout in
// workflow threads only, and a workflow stuck in a synchronous loop then holds
// its thread instead of failing its task.
if (process.env.WORKFLOW_DEADLOCK_DETECTION === 'off' && !isMainThread) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vm = require('node:vm');
  const runInContext = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function runInContextWithoutWatchdog(context, options) {
    if (options === undefined || options.timeout === undefined) return runInContext.call(this, context, options);
    const { timeout: _watchdog, ...rest } = options;
    return runInContext.call(this, context, rest);
  };
}
