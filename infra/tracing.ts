import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { ConsoleSpanExporter, NoopSpanProcessor, BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * What a process traces with. Off by default: without OTEL_TRACES_EXPORTER
 * (or with `none`, or OTEL_SDK_DISABLED=true) no provider is registered,
 * spans are no-ops and no `traceparent` is sent anywhere.
 */
export interface Tracing {
  enabled: boolean;
  /** Where workflow spans (made inside the workflow sandbox and handed out through a sink) go. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes pending spans and stops exporting; called on shutdown. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** service.name unless OTEL_SERVICE_NAME says otherwise. */
  serviceName: string;
  env?: NodeJS.ProcessEnv;
  /** Span processors to use instead of the ones the environment names (tests pass an in-memory exporter). */
  processors?: SpanProcessor[];
}

/** The exporters OTEL_TRACES_EXPORTER names (comma-separated, per the OpenTelemetry spec): otlp, console, none. */
export function processorsFromEnv(env: NodeJS.ProcessEnv): SpanProcessor[] {
  if (String(env.OTEL_SDK_DISABLED ?? '').toLowerCase() === 'true') return [];
  const names = String(env.OTEL_TRACES_EXPORTER ?? 'none')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const out: SpanProcessor[] = [];
  for (const name of new Set(names)) {
    // OTLP over HTTP: the exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS and _TIMEOUT itself.
    if (name === 'otlp') out.push(new BatchSpanProcessor(new OTLPTraceExporter()));
    else if (name === 'console') out.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
    else if (name !== 'none') throw new Error(`OTEL_TRACES_EXPORTER: "${name}" is not supported here (otlp, console or none)`);
  }
  return out;
}

function fanOut(processors: SpanProcessor[]): SpanProcessor {
  if (processors.length === 1) return processors[0]!;
  return {
    onStart: (span, ctx) => processors.forEach((p) => p.onStart(span, ctx)),
    onEnd: (span) => processors.forEach((p) => p.onEnd(span)),
    forceFlush: async () => void (await Promise.all(processors.map((p) => p.forceFlush()))),
    shutdown: async () => void (await Promise.all(processors.map((p) => p.shutdown()))),
  };
}

/**
 * Registers the global tracer provider (W3C trace context propagation,
 * async-hooks context) when the environment asks for an exporter. Call once,
 * first thing in a process.
 */
export function startTracing(opts: TracingOptions): Tracing {
  const env = opts.env ?? process.env;
  const processors = opts.processors ?? processorsFromEnv(env);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over our default name.
  const resource = new Resource({ 'service.name': opts.serviceName }).merge(envDetectorSync.detect());
  if (processors.length === 0) {
    return { enabled: false, spanProcessor: new NoopSpanProcessor(), resource, shutdown: async () => undefined };
  }
  const spanProcessor = fanOut(processors);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { enabled: true, spanProcessor, resource: provider.resource, shutdown: () => provider.shutdown() };
}
