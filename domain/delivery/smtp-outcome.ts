import type { DeliveryFailure } from './outcome.ts';

/** The parts of a mail client's error that say whether trying again can help. */
export interface SmtpErrorInfo {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Codes for problems at our end of the configuration: a retry would only repeat them. */
const PERMANENT_CLIENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'EMESSAGE', 'EREQUIREDTLS']);

/**
 * SMTP reverses HTTP's convention: 4xx replies are temporary ("try later"),
 * 5xx permanent. Connection and timeout problems are temporary too.
 */
export function classifySmtpError(err: SmtpErrorInfo): DeliveryFailure {
  const detail = (err.response ?? err.message ?? 'unknown error').replace(/\s+/g, ' ').trim().slice(0, 200);
  if (typeof err.responseCode === 'number') {
    const permanent = err.responseCode >= 500;
    return {
      ok: false,
      retryable: !permanent,
      status: err.responseCode,
      reason: `Mail server ${permanent ? 'refused the message' : 'deferred the message'} (SMTP ${err.responseCode}): ${detail}`,
    };
  }
  if (err.code && PERMANENT_CLIENT_CODES.has(err.code)) {
    return { ok: false, retryable: false, reason: `Mail could not be sent (${err.code}): ${detail}` };
  }
  return { ok: false, retryable: true, reason: `Could not reach the mail server${err.code ? ` (${err.code})` : ''}: ${detail}` };
}

/** "250 2.0.0 Ok: queued as 4AbC" → 250; undefined when the reply has no code. */
export function smtpReplyCode(response: string | undefined): number | undefined {
  const m = /^(\d{3})/.exec(response?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}
