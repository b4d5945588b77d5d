import type { UserError } from '../context.ts';

/**
 * Turns a refused workflow update into the typed business error the API
 * returns. The workflow refuses with an ApplicationFailure whose `type` is the
 * rule's code (claim-rules.ts, return-policy.ts: already_claimed,
 * deadline_passed, window_closed, ...) and whose message is written for
 * people; both pass through. Anything else is not a business outcome and is
 * rethrown (the client sees a masked internal error, the log the cause).
 */
export function updateFailureToUserError(err: unknown): UserError {
  const e = err as { name?: string; cause?: { name?: string; type?: string | null; message?: string } };
  if (e?.name === 'WorkflowNotFoundError') {
    return { code: 'LEAD_CLOSED', message: 'This lead’s workflow has finished: it can no longer be changed.' };
  }
  if (e?.name === 'WorkflowUpdateFailedError' && e.cause?.name === 'ApplicationFailure' && e.cause.type) {
    return { code: e.cause.type.toUpperCase(), message: e.cause.message ?? 'The lead refused this change.' };
  }
  throw err;
}
