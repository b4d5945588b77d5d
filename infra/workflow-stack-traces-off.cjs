// Preloaded into the worker process (`node --require`), and so into its
// workflow threads, which inherit the process's flags.
//
// Why: @temporalio/worker installs a V8 promise hook in every workflow thread
// that, for each promise a workflow creates, captures a stack trace and maps
// it through the bundle's source map. Only the `__stack_trace` and
// `__enhanced_stack_trace` queries (the UI's "Stack Trace" tab) read them, and
// it was a sixth of the worker's CPU per lead (issue #16). With it off those
// queries answer that stack traces are disabled; nothing else changes (errors
// keep their stacks). WORKFLOW_STACK_TRACES=on keeps the SDK's hook.
'use strict';
if (process.env.WORKFLOW_STACK_TRACES !== 'on') {
  // The SDK's own module instance in this thread, the one its workflow thread code uses: a CommonJS require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { globalHandlers } = require('@temporalio/worker/lib/workflow/vm-shared');
  globalHandlers.setPromiseHook = function setPromiseHookOff() {
    this.promiseHookInstalled = false;
  };
}
