// Every workflow the worker registers. The bundle is built from this file.
export { emptyWorkflow, timerWorkflow, healthProbeWorkflow } from './probes.ts';
export { leadWorkflow } from './lead-workflow.ts';
