import { ApplicationFailure } from '@temporalio/common';
import type { DeliveryFailure, DeliveryOutcome } from '../../domain/delivery/outcome.ts';

/** Failure types the workflow's retry policy and failover logic can match on. */
export const DELIVERY_REFUSED = 'DeliveryRefused';
export const DELIVERY_UNAVAILABLE = 'DeliveryUnavailable';

/**
 * Activity side only. A refused lead (non-retryable) skips the rest of the
 * retry policy so the workflow can fail over at once; a temporary failure is
 * retried, after the receiver's Retry-After when it gave one.
 */
export function toApplicationFailure(outcome: DeliveryFailure, context?: string): ApplicationFailure {
  const message = context ? `${context}: ${outcome.reason}` : outcome.reason;
  const details = [{ status: outcome.status, reason: outcome.reason }];
  if (!outcome.retryable) return ApplicationFailure.nonRetryable(message, DELIVERY_REFUSED, ...details);
  return ApplicationFailure.create({
    message,
    type: DELIVERY_UNAVAILABLE,
    nonRetryable: false,
    details,
    ...(outcome.retryAfterMs !== undefined ? { nextRetryDelay: outcome.retryAfterMs } : {}),
  });
}

/** Returns the success, or throws the matching ApplicationFailure. */
export function ensureDelivered(outcome: DeliveryOutcome, context?: string): Extract<DeliveryOutcome, { ok: true }> {
  if (outcome.ok) return outcome;
  throw toApplicationFailure(outcome, context);
}
