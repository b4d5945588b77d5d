import { describe, expect, it } from 'vitest';
import { TenantConfigDocumentSchema } from '../../schema/tenant-config.ts';
import { allocate } from './allocate.ts';
import { counterScopes } from './counter-scopes.ts';
import { MemoryCounters } from './memory-counters.ts';
import { endpoint, lead, MONDAY_MORNING, run, snapshotOf } from './test-network.ts';

// A franchise location capped at 5 a day whose leads are worked by a rotation
// of its three agents, a secondary holder and a call centre behind it.
const snap = snapshotOf({
  endpoints: [
    endpoint('dallas', { name: 'Dallas branch', caps: { daily: 5 }, parentId: 'network', territories: [{ kind: 'exclusive', zips: ['75201'] }] }),
    ...['a1', 'a2', 'a3'].map((id) => endpoint(id, { kind: 'agent', locationId: 'dallas' })),
    endpoint('plano', { territories: [{ kind: 'secondary', zips: ['75201'], priceFactor: 0.8 }] }),
    endpoint('network', { kind: 'partner', name: 'North Texas network', caps: { weekly: 8 } }),
    endpoint('callcenter', { kind: 'call_center', territories: [{ kind: 'fallback', states: ['TX'] }] }),
  ],
  rotations: [{ id: 'dallas-desk', name: 'Dallas desk', members: ['a1', 'a2', 'a3'] }],
  routingPlans: [
    {
      id: 'franchise',
      isDefault: true,
      tiers: [
        { name: 'dallas agents', selector: { rotationId: 'dallas-desk' } },
        { name: 'overflow', selector: { territoryKinds: ['secondary'] } },
        { name: 'call centre', selector: { territoryKinds: ['fallback'] } },
      ],
    },
  ],
});

describe('capacity across the hierarchy', () => {
  it('counts every agent’s lead against the location’s cap: the sixth lead of the day overflows to the next tier', () => {
    const counters = new MemoryCounters();
    const decisions = run(snap, counters, 7);
    expect(decisions.map((d) => d.chosen[0])).toEqual(['a1', 'a2', 'a3', 'a1', 'a2', 'plano', 'plano']);
    expect(counters.counts.get('cap:dallas:2026-03-16')).toBe(5);
  });

  it('names the level that blocked, in the words ops read', () => {
    const counters = new MemoryCounters();
    run(snap, counters, 5);
    const d = allocate({ lead: lead('sixth'), snapshot: snap, counters, now: MONDAY_MORNING, random: 0 });
    const agents = d.explanation.tiers[0]!.candidates;
    expect(agents.map((c) => [c.endpointId, c.verdict, c.reason])).toEqual([
      ['a1', 'ineligible', 'Dallas branch: daily cap reached, 5 of 5, counting its agents'],
      ['a2', 'ineligible', 'Dallas branch: daily cap reached, 5 of 5, counting its agents'],
      ['a3', 'ineligible', 'Dallas branch: daily cap reached, 5 of 5, counting its agents'],
    ]);
    expect(agents[0]!.counters).toEqual({ 'Dallas branch daily': '5 of 5' });
  });

  it('takes a unit of every level’s cap with the agent’s own reservation', () => {
    const d = allocate({ lead: lead(1), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 });
    expect(d.targets[0]!.reservations.filter((r) => r.kind === 'cap').map((r) => r.scope)).toEqual(['cap:dallas:2026-03-16', 'cap:network:2026-W12']);
  });

  it('a network cap above the location holds everything under it', () => {
    const counters = new MemoryCounters();
    counters.counts.set('cap:network:2026-W12', 8);
    const d = allocate({ lead: lead(1), snapshot: snap, counters, now: MONDAY_MORNING, random: 0 });
    expect(d.explanation.tiers[0]!.candidates[0]!.reason).toBe('North Texas network: weekly cap reached, 8 of 8, counting its agents');
    expect(d.chosen).toEqual(['plano']);
  });

  it('the shell reads the caps of every candidate’s location and network', () => {
    expect(counterScopes(snap, lead(1), MONDAY_MORNING).counts).toEqual(expect.arrayContaining(['cap:dallas:2026-03-16', 'cap:network:2026-W12']));
  });

  it('refuses a hierarchy that loops back on itself', () => {
    const r = TenantConfigDocumentSchema.safeParse({
      tenant: { id: 't1', name: 'T', timeZone: 'America/Chicago' },
      endpoints: [endpoint('x', { parentId: 'y' }), endpoint('y', { parentId: 'x' })],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain('endpoint "x" is above itself: its teamId, locationId and parentId links lead back to it');
  });
});
