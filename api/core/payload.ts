/**
 * The API's one error contract, applied at its edge. Every mutation, and
 * every query whose arguments can be wrong, answers `{ ok, errors, ...result }`
 * with each refusal as a UserError; its code is UPPER_SNAKE_CASE whatever
 * casing the service or workflow rule that refused uses (lead rules say
 * `already_claimed`, the API says `ALREADY_CLAIMED`). Services keep their own
 * typed results; resolvers turn them into payloads only through this file.
 */

/** A business rejection as the UserError type carries it. */
export interface UserError {
  code: string;
  message: string;
  field?: string | null;
  line?: number | null;
  column?: number | null;
}

/** A refusal as services and rules give it: `path` is the configuration editor's name for `field`. */
export interface Problem {
  code: string;
  message: string;
  field?: string | undefined;
  path?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

/**
 * Every code the API emits, for the README and the tests. The API's own
 * checks, the services' refusals, then the lead workflow's rules (which are
 * lower case in the domain and pass through `apiCode`).
 */
export const ERROR_CODES = [
  // Any argument or input field the API checks itself (lengths, formats, paging, ranges).
  'INVALID_INPUT',
  // Missing, or not visible to the caller (another tenant's, a lead not theirs): the same answer.
  'NOT_FOUND',
  'INVALID_CREDENTIALS',
  'EMAIL_TAKEN',
  'INVALID_CONFIG',
  'WRONG_TENANT',
  'UNKNOWN_SOURCE',
  'SOURCE_INACTIVE',
  'INVALID_LEAD',
  'UNKNOWN_USER',
  'UNKNOWN_ENDPOINT',
  'UNRESOLVABLE_ADDRESS',
  'NO_CONFIGURATION',
  // Onboarding: a tenant id taken, a set-password token that cannot be used, a password too short.
  'TENANT_EXISTS',
  'INVALID_TOKEN',
  'WEAK_PASSWORD',
  // The lead's own rules (domain/lifecycle), answered by its workflow.
  'NOT_OFFERED',
  'NOT_OFFERED_TO_YOU',
  'ALREADY_CLAIMED',
  'DEADLINE_PASSED',
  'NOT_PERMITTED',
  'NOT_OWNED',
  'SAME_OWNER',
  'LEAD_CLOSED',
  'NOT_READY',
  'NOT_DELIVERED',
  'ALREADY_RETURNED',
  'REASON_NOT_ALLOWED',
  'WINDOW_CLOSED',
  'RETURN_RATE_EXCEEDED',
  'NOT_HELD',
  'NOT_IN_REVIEW',
  // A workflow refusal that carried no code of its own.
  'REFUSED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** `already_claimed` → `ALREADY_CLAIMED`, `notFound` → `NOT_FOUND`; upper-case codes are unchanged. */
export const apiCode = (code: string): string =>
  code
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase() || 'REFUSED';

export function toUserError(p: Problem): UserError {
  const field = p.field ?? p.path;
  return {
    code: apiCode(p.code),
    message: p.message,
    ...(field ? { field } : {}),
    ...(p.line != null ? { line: p.line, ...(p.column != null ? { column: p.column } : {}) } : {}),
  };
}

/** One of the API's own refusals; `field` names the argument or input path at fault. */
export const userError = (code: ErrorCode, message: string, field?: string): UserError => ({ code, message, ...(field ? { field } : {}) });

export const invalidInput = (message: string, field: string): UserError => userError('INVALID_INPUT', message, field);

/** A success: the result fields, ok, and no errors. */
export const succeeded = <T extends object>(result: T): T & { ok: true; errors: UserError[] } => ({ ...result, ok: true, errors: [] });

/** A refusal: every problem as a UserError, beside the result fields that still apply (a lead as it is now, an empty list). */
export function refused<T extends object = Record<never, never>>(
  problems: Problem | UserError | ReadonlyArray<Problem | UserError>,
  result?: T,
): T & { ok: false; errors: UserError[] } {
  const list = Array.isArray(problems) ? problems : [problems as Problem];
  return { ...(result ?? ({} as T)), ok: false, errors: list.map((p) => toUserError(p as Problem)) };
}

/** Services answering `{ ok: false, code, errors: [{ field | path, message, line?, column? }] }` (configuration, users, intake). */
export const problemsOf = (code: string, errors: ReadonlyArray<Omit<Problem, 'code'>>): Problem[] => errors.map((e) => ({ ...e, code }));

/** A checked argument or a refusal naming it: what argument parsers return, so a resolver never throws for bad input. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: UserError };
