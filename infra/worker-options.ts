import { createRequire } from 'node:module';
import type { Context } from '@temporalio/activity';
import type { DataConverter } from '@temporalio/common';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { BundleOptions, NativeConnection, ReplayWorkerOptions, WorkerOptions } from '@temporalio/worker';
import { Resource } from '@opentelemetry/resources';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Activities } from '../activities/index.ts';
import { activityObserver } from './activity-observer.ts';
import type { Logger } from './logger.ts';
import type { WorkerMetrics } from './metrics.ts';

export const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;

/**
 * OpenTelemetry's workflow interceptors, which trace the workflow and carry its
 * trace context to every activity: in the bundle only where tracing is on
 * (OTEL_TRACES_EXPORTER), because they cost the worker about 5 ms per
 * workflow and 1.5 ms per local activity (issue #16). They add no commands,
 * but their awaits move an update's completion relative to a timer started in
 * the same activation, so a bundle without them cannot replay a history made
 * with them, nor the reverse (tried: "Update machine does not handle this
 * event: TimerStarted"). Tracing is therefore switched on or off for a whole
 * fleet at once, with no lead in flight or on a task queue of its own (README).
 */
export const tracingInterceptorModules = [createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

/** How the workflow bundle is built, by the worker itself, the tests' global setup and the load harness alike. */
export function workflowBundleOptions(o: { traced: boolean }): Pick<BundleOptions, 'workflowsPath' | 'workflowInterceptorModules'> {
  return { workflowsPath, workflowInterceptorModules: o.traced ? tracingInterceptorModules : [] };
}

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
  /** Activity completion and failure lines. */
  log?: Logger;
  metrics?: WorkerMetrics;
  /** Where workflow spans go (infra/tracing.ts); spans are dropped without it. */
  tracing?: { enabled?: boolean; spanProcessor: SpanProcessor; resource: Resource };
  /** On shutdown, how long in-flight tasks may run before their activities are cancelled. */
  shutdownGraceMs?: number;
  identity?: string;
}

/** The single place worker options are decided, for the process and the tests alike. */
export function workerOptions(s: WorkerSetup): WorkerOptions {
  const tracing = s.tracing ?? { spanProcessor: new NoopSpanProcessor(), resource: Resource.empty() };
  // Activity-side spans touch no history, so they are left out when nothing would export them.
  const traced = s.tracing !== undefined && s.tracing.enabled !== false;
  return {
    connection: s.connection,
    namespace: s.namespace,
    taskQueue: s.taskQueue,
    activities: s.activities,
    dataConverter: s.dataConverter,
    // Without a prebuilt bundle the worker bundles itself from the same definition as everyone else.
    ...(s.workflowBundlePath ? { workflowBundle: { codePath: s.workflowBundlePath } } : { workflowsPath }),
    // Bounded so memory stays flat however many leads wait on claims or return windows.
    maxCachedWorkflows: s.maxCachedWorkflows ?? 100,
    interceptors: {
      // A prebuilt bundle has them baked in or not (workflowBundleOptions); a traced worker that bundles itself adds them here.
      ...(s.workflowBundlePath || !traced ? {} : { workflowModules: tracingInterceptorModules }),
      activity: [
        ...(traced
          ? [(ctx: Context) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })]
          : []),
        activityObserver(s.log, s.metrics),
      ],
    },
    // The workflow interceptors hand their spans out through this sink (a no-op processor when tracing is off).
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
    ...(s.shutdownGraceMs !== undefined ? { shutdownGraceTime: s.shutdownGraceMs, shutdownForceTime: s.shutdownGraceMs + 10_000 } : {}),
    ...(s.identity ? { identity: s.identity } : {}),
  };
}

/**
 * Options for replaying recorded histories against a bundle: the same sinks
 * as a live worker, so the tracing interceptors in the bundle find theirs
 * (nothing is exported during replay).
 */
export function replayOptions(workflowBundlePath: string, dataConverter: DataConverter): ReplayWorkerOptions {
  return {
    workflowBundle: { codePath: workflowBundlePath },
    dataConverter,
    sinks: { exporter: makeWorkflowExporter(new NoopSpanProcessor(), Resource.empty()) },
  };
}
