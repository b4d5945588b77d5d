import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { REDACT_PATHS, serializeError } from './log-redaction.ts';

export type { Logger };
export type LogFormat = 'json' | 'pretty';

/** Fields every line written inside a scope carries (the request id in the API). */
export type LogFields = Record<string, string | number | boolean | undefined>;
const scope = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` added to every log line written inside it, however deep. */
export function withLogFields<T>(fields: LogFields, fn: () => T): T {
  return scope.run({ ...scope.getStore(), ...fields }, fn);
}

export interface LoggerOptions {
  format?: LogFormat;
  /** Where lines go; stdout otherwise. Tests capture lines here. */
  destination?: DestinationStream;
}

const require = createRequire(import.meta.url);

/** pino-pretty is a development dependency: without it (a production image) lines stay JSON. */
function prettyStream(): DestinationStream | undefined {
  try {
    const pretty = require('pino-pretty') as (o: object) => DestinationStream;
    return pretty({ sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service', messageKey: 'msg', singleLine: true });
  } catch {
    return undefined;
  }
}

/**
 * The process logger: JSON lines (pino) by default, pretty under `npm start`.
 * Every line carries the scope's fields (request id) and, when tracing is on,
 * the active trace and span ids, so a lead's lines and its trace join up.
 */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info', opts: LoggerOptions = {}): Logger {
  const format = opts.format ?? ((process.env.LOG_FORMAT as LogFormat | undefined) === 'pretty' ? 'pretty' : 'json');
  const destination = opts.destination ?? (format === 'pretty' ? prettyStream() : undefined);
  const options = {
    name,
    level,
    base: { service: name },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
    mixin() {
      // A fresh object each time: pino merges the line's own fields into what this returns.
      const fields = { ...scope.getStore() };
      const span = trace.getActiveSpan()?.spanContext();
      if (!span || !isSpanContextValid(span)) return fields;
      return { ...fields, traceId: span.traceId, spanId: span.spanId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

// Services (intake, the activities) log through the process's logger without
// having it threaded through every call; silent until a process sets one.
let processLogger: Logger = pino({ level: 'silent' });

export function setProcessLogger(log: Logger): void {
  processLogger = log;
}

export function processLog(): Logger {
  return processLogger;
}
