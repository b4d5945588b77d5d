import type { Actor } from './actor.ts';
import type { LeadState } from './lead-state.ts';
import type { RuleResult } from './claim-rules.ts';

export interface ReturnPolicy {
  allowedReasons: string[];
  windowMs: number;
  /** Largest share of a source's delivered leads that may be returned, 0..1. */
  maxReturnRate: number;
}

export interface ReturnStats {
  delivered: number;
  returned: number;
}

export type ReturnRefusal =
  'wrong_tenant' | 'not_permitted' | 'not_delivered' | 'already_returned' | 'reason_not_allowed' | 'window_closed' | 'return_rate_exceeded';

/**
 * Accept or refuse a return by the source's policy. The rate check counts this
 * return: with a 10% limit, the 11th return of 100 delivered leads is refused,
 * and the first return of a source's first delivered lead is allowed.
 */
export function checkReturn(
  state: LeadState,
  actor: Actor,
  reason: string,
  policy: ReturnPolicy,
  stats: ReturnStats | undefined,
  now: number,
): RuleResult<ReturnRefusal> {
  const no = (code: ReturnRefusal, message: string) => ({ ok: false as const, code, message });
  if (actor.tenantId !== state.tenantId) return no('wrong_tenant', 'This lead belongs to another tenant.');
  const allowedRole =
    actor.role === 'admin' ||
    actor.role === 'ops' ||
    actor.role === 'manager' ||
    (actor.role === 'buyer' && actor.endpointId === state.deliveredTo) ||
    (actor.role === 'agent' && actor.endpointId === state.ownerEndpointId);
  if (!allowedRole) return no('not_permitted', 'Only the receiving buyer or owner, or a manager, can return this lead.');
  if (state.returned) return no('already_returned', 'This lead has already been returned.');
  if (state.deliveredAt === undefined) return no('not_delivered', 'Only a delivered lead can be returned.');
  if (!policy.allowedReasons.includes(reason)) {
    return no('reason_not_allowed', `"${reason}" is not an allowed return reason; allowed: ${policy.allowedReasons.join(', ') || 'none'}.`);
  }
  const closesAt = state.deliveredAt + policy.windowMs;
  if (now > closesAt || state.billing === 'final') return no('window_closed', `The return window closed at ${new Date(closesAt).toISOString()}.`);
  // The limit is an allowance of ⌈rate × delivered⌉ returns: with 10%, 10 of 100 delivered leads may come back, and
  // a young source's first bad lead can still be returned (a 0% limit allows none).
  if (stats && stats.delivered > 0 && stats.returned + 1 > Math.ceil(policy.maxReturnRate * stats.delivered - 1e-9)) {
    return no(
      'return_rate_exceeded',
      `Accepting this return would take the source's return rate to ${(((stats.returned + 1) / stats.delivered) * 100).toFixed(1)}%, above its ${(policy.maxReturnRate * 100).toFixed(1)}% limit (${Math.ceil(policy.maxReturnRate * stats.delivered - 1e-9)} of ${stats.delivered} delivered leads may be returned).`,
    );
  }
  return { ok: true };
}
