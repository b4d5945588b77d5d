import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import {
  checkReturnRequest,
  declineCounts,
  decideClaim,
  decideHandReassignDelivered,
  decideHandReassignRouted,
  decideReassignRequest,
  decideReview,
  decideReturn,
  decideShare,
  decideStatus,
  decideViewed,
  decideWindowClosed,
  replacementOf,
  returnWindowClosesAt,
  startHandReassign,
} from './decide-work.ts';
import { initialRun } from './decision.ts';
import { T0, bodies, context, evolve, given, handle, input, received, routedTo, target, validated } from './given.ts';

const agent = (endpointId: string, userId = `${endpointId}-user`): Actor => ({ userId, role: 'agent', tenantId: 't1', endpointId });
const manager: Actor = { userId: 'm1', role: 'manager', tenantId: 't1' };
const buyer = (endpointId: string): Actor => ({ userId: `${endpointId}-buyer`, role: 'buyer', tenantId: 't1', endpointId });
const DAY = 24 * 3600_000;

const offered = given(
  received,
  validated,
  routedTo('a1', 'a2'),
  { type: 'delivered', data: { endpointId: 'a1', method: 'in_app', idempotencyKey: 'k' } },
  { type: 'offered', data: { endpointIds: ['a1', 'a2'], deadlineAt: T0 + 300_000, round: 1 } },
);
const ownedBy = (endpointId: string) => evolve(offered, [{ type: 'claimed', data: { endpointId, implicit: false } }]);
const delivered = given(
  received,
  validated,
  routedTo('dallas'),
  { type: 'delivered', data: { endpointId: 'dallas', method: 'http_post', idempotencyKey: 'k' } },
  { type: 'assigned', data: { endpointId: 'dallas', by: 'delivery' } },
);

describe('lifecycle: claims', () => {
  it('when the offered agent claims before the deadline, then "claimed" is recorded, attributed to them', () => {
    expect(decideClaim(offered, agent('a2'), undefined, T0)).toEqual({
      ok: true,
      events: [{ body: { type: 'claimed', data: { endpointId: 'a2', implicit: false } }, actor: agent('a2') }],
    });
  });

  it('when a manager claims on behalf of an offered agent, then the claim is that agent’s', () => {
    const v = decideClaim(offered, manager, 'a1', T0);
    expect(v.ok && v.events[0]!.body).toEqual({ type: 'claimed', data: { endpointId: 'a1', implicit: false } });
  });

  it('refuses someone it is not offered to, a vendor, a second claim and a late one, precisely', () => {
    expect(decideClaim(offered, agent('a3'), undefined, T0)).toMatchObject({ ok: false, code: 'not_offered_to_you' });
    expect(decideClaim(offered, { userId: 'v', role: 'vendor', tenantId: 't1', sourceId: 'web' }, undefined, T0)).toMatchObject({
      ok: false,
      code: 'not_permitted',
    });
    expect(decideClaim(ownedBy('a1'), agent('a2'), undefined, T0)).toMatchObject({
      ok: false,
      code: 'already_claimed',
      message: 'This lead has already been claimed.',
    });
    expect(decideClaim(offered, agent('a1'), undefined, T0 + 301_000)).toMatchObject({ ok: false, code: 'deadline_passed' });
  });

  it('records a view, which never claims; nothing from another tenant', () => {
    const events = decideViewed(offered, agent('a1'));
    expect(bodies(events)).toEqual([{ type: 'viewed', data: { endpointId: 'a1' } }]);
    expect(evolve(offered, events)).toMatchObject({ status: 'offered', offeredTo: ['a1', 'a2'] });
    expect(decideViewed(offered, { ...agent('a1'), tenantId: 't2' })).toEqual([]);
  });

  it('counts a decline only from someone the lead is offered to', () => {
    expect(declineCounts(offered, agent('a1'))).toBe(true);
    expect(declineCounts(offered, agent('a9'))).toBe(false);
    expect(declineCounts(undefined, agent('a1'))).toBe(false);
  });
});

describe('lifecycle: work', () => {
  it('when the offered agent updates the status, then that action claims the lead implicitly first', () => {
    const v = decideStatus(offered, agent('a1'), 'contacted', 'left a voicemail');
    expect(v.ok && bodies(v.events)).toEqual([
      { type: 'claimed', data: { endpointId: 'a1', implicit: true } },
      { type: 'status_changed', data: { status: 'contacted', note: 'left a voicemail' } },
    ]);
    expect(v.ok && evolve(offered, v.events)).toMatchObject({ ownerEndpointId: 'a1', workStatus: 'contacted', status: 'assigned' });
  });

  it('when the owner updates the status, then only the status is recorded', () => {
    const v = decideStatus(ownedBy('a1'), agent('a1'), 'won', undefined);
    expect(v.ok && bodies(v.events)).toEqual([{ type: 'status_changed', data: { status: 'won' } }]);
  });

  it('lets a colleague with "act" work the lead, refuses one with "view"', () => {
    const shared = evolve(ownedBy('a1'), [
      { body: { type: 'shared', data: { userId: 'helper', permission: 'act' } }, actor: agent('a1') },
      { body: { type: 'shared', data: { userId: 'viewer', permission: 'view' } }, actor: agent('a1') },
    ]);
    expect(decideStatus(shared, agent('x', 'helper'), 'appointment', undefined).ok).toBe(true);
    expect(decideStatus(shared, agent('y', 'viewer'), 'won', undefined)).toMatchObject({ ok: false, code: 'not_owned' });
  });

  it('when the owner shares, then "shared" is recorded by them and the person shared with hears of it', () => {
    const owned = ownedBy('a1');
    const d = decideShare(owned, initialRun(), agent('a1'), 'viewer', 'view');
    expect(d.ok && bodies(d.events)).toEqual([{ type: 'shared', data: { userId: 'viewer', permission: 'view' } }]);
    expect(d.ok && d.notices).toEqual([
      {
        kind: 'shared',
        endpointIds: [],
        userIds: ['viewer'],
        except: 'a1-user',
        facts: { by: 'a1-user', permission: 'view' },
        key: String(owned.lastEventSeq + 1),
      },
    ]);
    expect(decideShare(owned, initialRun(), agent('a2'), 'viewer', 'view')).toMatchObject({ ok: false, code: 'not_permitted' });
  });

  it('accepts a reassignment from a manager only, and not to the current owner', () => {
    expect(decideReassignRequest(ownedBy('a1'), manager, 'a2')).toEqual({ ok: true });
    expect(decideReassignRequest(ownedBy('a1'), agent('a1'), 'a2')).toMatchObject({ ok: false, code: 'not_permitted' });
    expect(decideReassignRequest(ownedBy('a1'), manager, 'a1')).toMatchObject({ ok: false, code: 'same_owner' });
  });
});

describe('lifecycle: hand reassignment', () => {
  const escalated = evolve(given(received, validated, routedTo('a1')), [{ type: 'escalated', data: { kind: 'claim_lapses', reason: 'x' } }]);

  it('starts a routing round of its own', () => {
    expect(startHandReassign({ ...initialRun(), round: 4 })).toMatchObject({ round: 5, run: { round: 5 } });
  });

  it('given routing refuses the named endpoint, then "delivery_failed" says why and nothing else changes', () => {
    const d = decideHandReassignRouted(escalated, initialRun(), 'agent-c', {
      kind: 'no_coverage',
      configVersion: 3,
      summary: 'agent-c is paused',
      decisionId: 'd',
    });
    expect(bodies(d.events)).toEqual([{ type: 'delivery_failed', data: { endpointId: 'agent-c', reason: 'agent-c is paused' } }]);
    expect(d.next).toEqual({ kind: 'done' });
  });

  it('given the escalated lead is delivered to the named endpoint, then a manager assigned it, and they hear of it', () => {
    const c = target('agent-c', { round: 5, untilOwned: true });
    const routed = decideHandReassignRouted(escalated, initialRun(), 'agent-c', {
      kind: 'preassigned',
      configVersion: 3,
      summary: 's',
      decisionId: 'd',
      targets: [c],
    });
    expect(routed.next).toEqual({ kind: 'deliver', target: c });
    const d = decideHandReassignDelivered(escalated, routed.run, manager, 'calling them now', {
      target: c,
      ok: true,
      receipt: { endpointId: 'agent-c', method: 'in_app' },
      idempotencyKey: 'lead:t1:L1:agent-c',
    });
    expect(d.events).toEqual([
      { body: { type: 'delivered', data: { endpointId: 'agent-c', method: 'in_app', idempotencyKey: 'lead:t1:L1:agent-c' } } },
      { body: { type: 'assigned', data: { endpointId: 'agent-c', by: 'manager' } }, actor: manager },
    ]);
    expect(d.settle).toEqual([handle('agent-c', 5)]);
    expect(d.notices).toEqual([
      {
        kind: 'reassigned',
        endpointIds: ['agent-c'],
        managers: true,
        concerns: ['agent-c'],
        except: manager.userId,
        facts: { by: manager.userId, nowWith: ['agent-c'] },
        key: String(escalated.lastEventSeq + 2),
      },
    ]);
    expect(evolve(escalated, d.events)).toMatchObject({ status: 'assigned', ownerEndpointId: 'agent-c' });
  });

  it('given an owned lead is delivered to another endpoint, then it is reassigned from the old owner, who hears of it too', () => {
    const c = target('agent-c');
    const d = decideHandReassignDelivered(ownedBy('a1'), initialRun(), manager, undefined, {
      target: c,
      ok: true,
      receipt: { endpointId: 'agent-c', method: 'in_app' },
      idempotencyKey: 'k',
    });
    expect(d.events[1]).toEqual({ body: { type: 'reassigned', data: { fromEndpointId: 'a1', toEndpointId: 'agent-c' } }, actor: manager });
    expect(d.notices[0]!.endpointIds).toEqual(['agent-c', 'a1']);
  });

  it('given that delivery failed, then its reservation is given back and the lead stays where it was', () => {
    const c = target('agent-c', { round: 5 });
    const d = decideHandReassignDelivered(escalated, { ...initialRun(), held: [c.reservation!] }, manager, undefined, {
      target: c,
      ok: false,
      reason: 'HTTP 500',
    });
    expect(bodies(d.events)).toEqual([{ type: 'delivery_failed', data: { endpointId: 'agent-c', reason: 'HTTP 500' } }]);
    expect(d.release).toEqual([handle('agent-c', 5)]);
    expect(evolve(escalated, d.events).status).toBe('escalated');
  });
});

describe('lifecycle: returns', () => {
  const stats = { delivered: 10, returned: 0 };
  const held = { ...initialRun(), held: [{ ...handle('dallas'), untilOwned: false }] };

  it('refuses a reason the source does not allow, before anything is read', () => {
    expect(checkReturnRequest(delivered, manager, 'changed_my_mind', context.returnPolicy, T0)).toMatchObject({
      ok: false,
      code: 'reason_not_allowed',
      message: expect.stringContaining('allowed: wrong_number, duplicate'),
    });
    expect(checkReturnRequest(delivered, buyer('someone-else'), 'wrong_number', context.returnPolicy, T0)).toMatchObject({ ok: false, code: 'not_permitted' });
  });

  it('when the receiving buyer returns inside the window, then the lead is credited at its cost, with the evidence', () => {
    const d = decideReturn(
      delivered,
      held,
      { actor: buyer('dallas'), reason: 'wrong_number', evidence: 'number disconnected' },
      context,
      stats,
      input,
      T0 + 2 * DAY,
    );
    expect(d.ok && d.creditCents).toBe(2500);
    expect(d.ok && d.events).toEqual([
      { body: { type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 2500, evidence: 'number disconnected' } }, actor: buyer('dallas') },
    ]);
    expect(d.ok && d.release).toEqual([]);
    expect(d.ok && evolve(delivered, d.events).billing).toBe('credited');
  });

  it('when a return asks for a replacement, then the replacement is its own lead, never for the endpoint that returned it, and this lead’s capacity is given back', () => {
    const d = decideReturn(delivered, held, { actor: buyer('dallas'), reason: 'wrong_number', replace: true }, context, stats, input, T0 + DAY);
    expect(d.ok && d.replacement).toEqual({ ...input, leadId: 'L1-r1', replacementOf: 'L1', receivedAt: T0 + DAY, excludeEndpointIds: ['dallas'] });
    expect(d.ok && d.events[0]!.body).toMatchObject({ data: { replacementLeadId: 'L1-r1' } });
    expect(d.ok && d.release).toEqual([handle('dallas')]);
    expect(d.ok && d.run.held).toEqual([]);
  });

  it('a replacement never inherits the receiver the original’s source named', () => {
    expect(replacementOf({ ...input, preassignedEndpointId: 'callcenter' }, delivered, T0).preassignedEndpointId).toBeUndefined();
  });

  it('given the return would exceed the source’s return-rate limit, then it is refused and the refusal recorded', () => {
    const d = decideReturn(delivered, held, { actor: manager, reason: 'wrong_number' }, context, { delivered: 10, returned: 2 }, input, T0);
    expect(d).toMatchObject({
      ok: false,
      code: 'return_rate_exceeded',
      events: [{ body: { type: 'return_refused', data: { reason: 'wrong_number', code: 'return_rate_exceeded' } }, actor: manager }],
    });
  });

  it('given the lead was returned already, or the window closed, then it is refused', () => {
    const returned = evolve(delivered, [{ type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 2500 } }]);
    expect(decideReturn(returned, held, { actor: manager, reason: 'wrong_number' }, context, stats, input, T0)).toMatchObject({
      ok: false,
      code: 'already_returned',
    });
    expect(decideReturn(delivered, held, { actor: manager, reason: 'wrong_number' }, context, stats, input, T0 + 8 * DAY)).toMatchObject({
      ok: false,
      code: 'window_closed',
    });
  });
});

describe('lifecycle: the return window and final billing', () => {
  it('the window runs from delivery once the lead has an owner; without one the lead waits for a manager', () => {
    expect(returnWindowClosesAt(delivered, context.returnPolicy)).toBe(delivered.deliveredAt! + 7 * DAY);
    expect(returnWindowClosesAt(offered, context.returnPolicy)).toBeUndefined();
  });

  it('when the window closes, then billing is final at the source’s cost', () => {
    const events = decideWindowClosed(delivered, context);
    expect(bodies(events)).toEqual([{ type: 'billing_final', data: { billedCents: 2500 } }]);
    expect(evolve(delivered, events)).toMatchObject({ status: 'closed', billing: 'final' });
  });

  it('when the window closes on a credited lead, then nothing is billed', () => {
    const credited = evolve(delivered, [{ type: 'return_accepted', data: { reason: 'wrong_number', creditCents: 2500 } }]);
    const events = decideWindowClosed(credited, context);
    expect(bodies(events)).toEqual([{ type: 'billing_final', data: { billedCents: 0 } }]);
    expect(evolve(credited, events).billing).toBe('credited');
  });
});

describe('lifecycle: who may review', () => {
  const inReview = evolve(given(received, validated), [{ type: 'review_requested', data: { summary: 'Sent to review' } }]);
  it('managers and ops may approve or reject a lead in review; nobody may while it is not there', () => {
    expect(decideReview(inReview, manager)).toEqual({ ok: true });
    expect(decideReview(inReview, agent('a1'))).toMatchObject({ ok: false, code: 'not_permitted' });
    expect(decideReview(given(received, validated), manager)).toMatchObject({ ok: false, code: 'not_in_review' });
  });
});
