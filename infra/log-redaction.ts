// Logs never carry personal data. Our own log calls pass only ids, codes and
// counts; these guards cover text we do not write ourselves (error messages,
// the Temporal SDK's messages, a receiver's answer quoted in a failure).

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// Ten or more digits, optionally split by the separators phone numbers are
// written with: every North American number in any of its spellings (E.164,
// national, plain digits). Ids, dates and ZIPs have fewer digits in a row.
const PHONE = /\+?\(?\d(?:[ ().-]{0,2}\d){9,}/g;

/** Replaces anything that looks like an email address or a phone number. */
export function scrubPii(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[number]');
}

/** Keys whose values are personal data wherever they appear in a log object (pino redact paths). */
export const REDACTED_KEYS = ['phone', 'email', 'lead', 'payload', 'body', 'firstName', 'lastName', 'street', 'ip', 'consent'];

export const REDACT_PATHS = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((k) => `*.${k}`),
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
];

interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  cause?: SerializedError;
}

/**
 * An error as a log field: type, message, stack and code, scrubbed. Other
 * properties (a driver's key values, a failure's details) are left out: they
 * may hold anything.
 */
export function serializeError(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) return { type: typeof err, message: scrubPii(String(err)) };
  const e = err as Error & { code?: unknown; cause?: unknown };
  const out: SerializedError = { type: e.name || e.constructor?.name || 'Error', message: scrubPii(e.message ?? '') };
  if (e.stack) out.stack = scrubPii(e.stack);
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (e.cause !== undefined && depth < 3) out.cause = serializeError(e.cause, depth + 1);
  return out;
}
