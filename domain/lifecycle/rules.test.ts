import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { checkAct, checkClaim, checkReassign, checkShare } from './claim-rules.ts';
import type { LeadState } from './lead-state.ts';
import { checkReturn, type ReturnPolicy } from './return-policy.ts';

const NOW = Date.UTC(2026, 10, 23, 15);
const base: LeadState = {
  leadId: 'l1',
  tenantId: 't1',
  sourceId: 's1',
  serviceLine: 'plumbing',
  status: 'offered',
  receivedAt: NOW - 60_000,
  costCents: 2500,
  flags: [],
  offeredTo: ['a1', 'a2'],
  offerDeadlineAt: NOW + 60_000,
  offerRound: 1,
  lapsedBy: [],
  collaborators: [],
  deliveredAt: NOW - 30_000,
  deliveredTo: 'a1',
  billing: 'billable',
  lastEventSeq: 5,
  updatedAt: NOW,
};
const agent = (endpointId: string, tenantId = 't1'): Actor => ({ userId: `u-${endpointId}`, role: 'agent', tenantId, endpointId });
const manager: Actor = { userId: 'm1', role: 'manager', tenantId: 't1' };

describe('claim rules', () => {
  it('lets an offered agent claim before the deadline', () => {
    expect(checkClaim(base, agent('a2'), undefined, NOW)).toEqual({ ok: true });
  });
  it('refuses with a precise code otherwise', () => {
    expect(checkClaim(base, agent('a3'), undefined, NOW)).toMatchObject({ ok: false, code: 'not_offered_to_you' });
    expect(checkClaim(base, agent('a1', 't2'), undefined, NOW)).toMatchObject({ ok: false, code: 'wrong_tenant' });
    expect(checkClaim(base, agent('a1'), undefined, NOW + 120_000)).toMatchObject({ ok: false, code: 'deadline_passed' });
    expect(checkClaim({ ...base, ownerEndpointId: 'a1', status: 'assigned' }, agent('a2'), undefined, NOW)).toMatchObject({
      ok: false,
      code: 'already_claimed',
    });
    expect(checkClaim({ ...base, status: 'delivering', offeredTo: [] }, agent('a1'), undefined, NOW)).toMatchObject({ ok: false, code: 'not_offered' });
    expect(checkClaim(base, { userId: 'v', role: 'vendor', tenantId: 't1' }, undefined, NOW)).toMatchObject({ ok: false, code: 'not_permitted' });
  });
  it('lets a manager claim on behalf of an offered agent only', () => {
    expect(checkClaim(base, manager, 'a1', NOW)).toEqual({ ok: true });
    expect(checkClaim(base, manager, 'zz', NOW)).toMatchObject({ ok: false, code: 'not_offered_to_you' });
  });
  it('lets the offered agent act (which claims implicitly), the owner, act-collaborators and managers', () => {
    expect(checkAct(base, agent('a1')).ok).toBe(true);
    const owned = { ...base, status: 'assigned' as const, ownerEndpointId: 'a1', offeredTo: [] };
    expect(checkAct(owned, agent('a1')).ok).toBe(true);
    expect(checkAct(owned, agent('a2'))).toMatchObject({ ok: false, code: 'not_owned' });
    const shared = { ...owned, collaborators: [{ userId: 'u-a2', permission: 'act' as const, by: 'u-a1', at: NOW }] };
    expect(checkAct(shared, agent('a2')).ok).toBe(true);
    const viewOnly = { ...owned, collaborators: [{ userId: 'u-a2', permission: 'view' as const, by: 'u-a1', at: NOW }] };
    expect(checkAct(viewOnly, agent('a2')).ok).toBe(false);
    expect(checkAct(owned, manager).ok).toBe(true);
  });
  it('lets only the owner or a manager share, and only a manager reassign', () => {
    const owned = { ...base, status: 'assigned' as const, ownerEndpointId: 'a1', offeredTo: [] };
    expect(checkShare(owned, agent('a1')).ok).toBe(true);
    expect(checkShare(owned, agent('a2'))).toMatchObject({ ok: false, code: 'not_permitted' });
    expect(checkReassign(owned, agent('a1'), 'a2')).toMatchObject({ ok: false, code: 'not_permitted' });
    expect(checkReassign(owned, manager, 'a1')).toMatchObject({ ok: false, code: 'same_owner' });
    expect(checkReassign(owned, manager, 'a2')).toEqual({ ok: true });
  });
});

describe('return policy', () => {
  const policy: ReturnPolicy = { allowedReasons: ['duplicate', 'wrong_number'], windowMs: 48 * 3600_000, maxReturnRate: 0.1 };
  const delivered = { ...base, status: 'assigned' as const, ownerEndpointId: 'a1', offeredTo: [] };
  const buyer: Actor = { userId: 'b', role: 'buyer', tenantId: 't1', endpointId: 'a1' };

  it('accepts an allowed reason inside the window under the rate limit', () => {
    expect(checkReturn(delivered, buyer, 'wrong_number', policy, { delivered: 100, returned: 3 }, NOW)).toEqual({ ok: true });
  });
  it('refuses after the window', () => {
    expect(checkReturn(delivered, buyer, 'wrong_number', policy, undefined, NOW + 49 * 3600_000)).toMatchObject({ ok: false, code: 'window_closed' });
  });
  it('refuses a reason the source does not allow, naming the allowed ones', () => {
    const r = checkReturn(delivered, buyer, 'changed_mind', policy, undefined, NOW);
    expect(r).toMatchObject({ ok: false, code: 'reason_not_allowed' });
    expect(!r.ok && r.message).toContain('duplicate, wrong_number');
  });
  it('refuses the return that would exceed the maximum return rate', () => {
    expect(checkReturn(delivered, buyer, 'duplicate', policy, { delivered: 100, returned: 10 }, NOW)).toMatchObject({
      ok: false,
      code: 'return_rate_exceeded',
    });
    expect(checkReturn(delivered, buyer, 'duplicate', policy, { delivered: 100, returned: 9 }, NOW)).toEqual({ ok: true });
    // A young source: the first return of its first lead is allowed, the second is not.
    expect(checkReturn(delivered, buyer, 'duplicate', policy, { delivered: 1, returned: 0 }, NOW)).toEqual({ ok: true });
    expect(checkReturn(delivered, buyer, 'duplicate', policy, { delivered: 2, returned: 1 }, NOW)).toMatchObject({ ok: false, code: 'return_rate_exceeded' });
    expect(checkReturn(delivered, buyer, 'duplicate', { ...policy, maxReturnRate: 0 }, { delivered: 50, returned: 0 }, NOW)).toMatchObject({
      ok: false,
      code: 'return_rate_exceeded',
    });
  });
  it('refuses a second return, an undelivered lead, and another buyer', () => {
    expect(checkReturn({ ...delivered, returned: { reason: 'x', at: NOW, creditCents: 1 } }, buyer, 'duplicate', policy, undefined, NOW)).toMatchObject({
      code: 'already_returned',
    });
    expect(checkReturn({ ...delivered, deliveredAt: undefined }, buyer, 'duplicate', policy, undefined, NOW)).toMatchObject({ code: 'not_delivered' });
    expect(checkReturn(delivered, { ...buyer, endpointId: 'other' }, 'duplicate', policy, undefined, NOW)).toMatchObject({ code: 'not_permitted' });
  });
});
