import { describe, expect, it } from 'vitest';
import { processorsFromEnv } from './tracing.ts';

describe('tracing from the OpenTelemetry environment variables', () => {
  it('is off unless OTEL_TRACES_EXPORTER names an exporter', () => {
    expect(processorsFromEnv({})).toEqual([]);
    expect(processorsFromEnv({ OTEL_TRACES_EXPORTER: 'none' })).toEqual([]);
    expect(processorsFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toEqual([]);
  });

  it('builds one processor per named exporter', () => {
    expect(processorsFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })).toHaveLength(1);
    expect(processorsFromEnv({ OTEL_TRACES_EXPORTER: 'otlp, console' })).toHaveLength(2);
  });

  it('refuses an exporter it does not ship', () => {
    expect(() => processorsFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/"zipkin" is not supported/);
  });
});
