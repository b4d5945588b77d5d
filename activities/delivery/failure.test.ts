import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DELIVERY_REFUSED, DELIVERY_UNAVAILABLE, ensureDelivered, toApplicationFailure } from './failure.ts';

describe('delivery outcomes as Temporal failures', () => {
  it('a refused lead is a non-retryable ApplicationFailure', () => {
    const f = toApplicationFailure({ ok: false, retryable: false, status: 422, reason: 'Receiver refused the lead (HTTP 422)' }, 'endpoint ep-1');
    expect(f).toBeInstanceOf(ApplicationFailure);
    expect(f).toMatchObject({ nonRetryable: true, type: DELIVERY_REFUSED, message: 'endpoint ep-1: Receiver refused the lead (HTTP 422)' });
    expect(f.details).toEqual([{ status: 422, reason: 'Receiver refused the lead (HTTP 422)' }]);
  });

  it('a temporary failure is retryable and passes the receiver’s Retry-After on', () => {
    const f = toApplicationFailure({ ok: false, retryable: true, status: 429, reason: 'busy', retryAfterMs: 4000 });
    expect(f).toMatchObject({ nonRetryable: false, type: DELIVERY_UNAVAILABLE, nextRetryDelay: 4000 });
    expect(toApplicationFailure({ ok: false, retryable: true, reason: 'timeout' }).nextRetryDelay).toBeUndefined();
  });

  it('ensureDelivered returns a success and throws a failure', () => {
    expect(ensureDelivered({ ok: true, status: 200, receiverRef: 'r' })).toEqual({ ok: true, status: 200, receiverRef: 'r' });
    expect(() => ensureDelivered({ ok: false, retryable: false, reason: 'no' })).toThrow(ApplicationFailure);
  });
});
