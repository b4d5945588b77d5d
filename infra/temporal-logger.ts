import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import { leadFieldsOf } from './log-fields.ts';
import { scrubPii } from './log-redaction.ts';
import type { Logger } from './logger.ts';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

/**
 * The Temporal SDK's own logs (worker lifecycle, workflow and activity
 * context loggers, and the native core's lines when forwarded) written
 * through our pino logger: one stream of JSON lines, with the lead and
 * tenant derived from the workflow id, and messages scrubbed of anything
 * that looks like a phone number or an email address.
 */
export function temporalLogger(log: Logger): TemporalLogger {
  const write = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    const { error, failure, ...rest } = meta as LogMetadata & { error?: unknown; failure?: unknown };
    const fields: Record<string, unknown> = { ...rest, ...leadFieldsOf(rest.workflowId) };
    if (error !== undefined) fields.err = error;
    if (typeof failure === 'string') fields.failure = scrubPii(failure);
    log[LEVELS[level] ?? 'info'](fields, scrubPii(message));
  };
  return {
    log: write,
    trace: (m, meta) => write('TRACE', m, meta),
    debug: (m, meta) => write('DEBUG', m, meta),
    info: (m, meta) => write('INFO', m, meta),
    warn: (m, meta) => write('WARN', m, meta),
    error: (m, meta) => write('ERROR', m, meta),
  };
}
