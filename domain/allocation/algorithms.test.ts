import { describe, expect, it } from 'vitest';
import type { TenantConfigInput } from '../../schema/tenant-config.ts';
import { allocate } from './allocate.ts';
import { MemoryCounters } from './memory-counters.ts';
import { endpoint, lead, MONDAY_MORNING, run, snapshotOf } from './test-network.ts';

type Tier = NonNullable<TenantConfigInput['routingPlans']>[number]['tiers'][number];
const holders = (ids: string[], extra: (id: string) => object = () => ({})) =>
  ids.map((id) => endpoint(id, { territories: [{ kind: 'shared', zips: ['75201'] }], ...extra(id) }));
const plan = (tier: Omit<Tier, 'name' | 'selector'> & Partial<Pick<Tier, 'selector'>>) => [
  { id: 'p', isDefault: true, tiers: [{ name: 'only', selector: { territoryKinds: ['shared' as const] }, ...tier }] },
];

describe('round robin', () => {
  it('stays fair after a member was paused for a stretch: no burst when it returns', () => {
    const members = ['a', 'b', 'c', 'd', 'e'];
    const config = (pausedC: boolean) => snapshotOf({ endpoints: holders(members, (id) => ({ paused: pausedC && id === 'c' })) });
    const active = config(false);
    const pausedC = config(true);
    const counters = new MemoryCounters();
    const seq: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const snap = i >= 300 && i < 600 ? pausedC : active; // c is away for 300 leads (a day's worth)
      const d = allocate({ lead: lead(i), snapshot: snap, counters, now: MONDAY_MORNING, random: 0 });
      counters.apply(d.reservations);
      seq.push(d.chosen[0]!);
    }
    const count = (id: string) => seq.filter((x) => x === id).length;
    const always = ['a', 'b', 'd', 'e'].map(count);
    expect(Math.max(...always) - Math.min(...always)).toBeLessThanOrEqual(1);
    // After its return c takes its turn once per cycle of five, never two in a row.
    const back = seq.slice(600);
    for (let i = 1; i < back.length; i++) expect(back[i] === 'c' && back[i - 1] === 'c').toBe(false);
    for (let i = 0; i + 5 <= back.length; i += 5) expect(back.slice(i, i + 5).filter((x) => x === 'c').length).toBeLessThanOrEqual(2);
    expect(count('c')).toBeGreaterThanOrEqual(139); // 700 active leads / 5
  });

  it('is not reset by adding a member: the newcomer is served once, then waits its turn', () => {
    const counters = new MemoryCounters();
    const three = snapshotOf({ endpoints: holders(['a', 'b', 'c']) });
    run(three, counters, 9);
    const four = snapshotOf({ endpoints: holders(['a', 'b', 'c', 'n']) }, 2);
    const next = run(four, counters, 8, { from: 9 }).map((d) => d.chosen[0]);
    expect(next).toEqual(['n', 'a', 'b', 'c', 'n', 'a', 'b', 'c']);
    expect(counters.rotations.get('turn:plan:builtin-default:1')?.turn).toBe(17);
  });
});

describe('percentage split', () => {
  it('converges within 2 points of the split over 10,000 leads', () => {
    const snap = snapshotOf({ endpoints: holders(['a', 'b', 'c']), routingPlans: plan({ algorithm: 'percentage', percentages: { a: 50, b: 30, c: 20 } }) });
    const seq = run(snap, new MemoryCounters(), 10_000).map((d) => d.chosen[0]);
    const share = (id: string) => (100 * seq.filter((x) => x === id).length) / seq.length;
    expect(Math.abs(share('a') - 50)).toBeLessThanOrEqual(2);
    expect(Math.abs(share('b') - 30)).toBeLessThanOrEqual(2);
    expect(Math.abs(share('c') - 20)).toBeLessThanOrEqual(2);
    // Deterministic deficit: also right over any short stretch.
    expect(seq.slice(0, 10).filter((x) => x === 'a').length).toBe(5);
  });
});

describe('weighted', () => {
  it('draws in proportion to weight and is reproducible from the random input', () => {
    const snap = snapshotOf({
      endpoints: holders(['heavy', 'light'], (id) => ({ weight: id === 'heavy' ? 3 : 1 })),
      routingPlans: plan({ algorithm: 'weighted' }),
    });
    const seq = run(snap, new MemoryCounters(), 4000).map((d) => d.chosen[0]);
    expect(seq.filter((x) => x === 'heavy').length / 4000).toBeCloseTo(0.75, 1);
    const d1 = allocate({ lead: lead(1), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: () => 0.9 });
    expect(d1.chosen).toEqual(['light']);
    expect(d1.explanation.summary).toBe('Assigned to Light (shared holder of 75201 for plumbing), weighted draw, weight 1 of 4 (25% chance)');
  });
});

describe('ordered algorithms', () => {
  const decide = (algorithm: Tier['algorithm'], extra: (id: string) => object, ids = ['a', 'b', 'c'], tier: Partial<Tier> = {}) =>
    allocate({
      lead: lead(1),
      snapshot: snapshotOf({ endpoints: holders(ids, extra), routingPlans: plan({ algorithm, ...tier }) }),
      counters: new MemoryCounters(),
      now: MONDAY_MORNING,
      random: 0,
    });

  it('priority: 1 goes first', () => {
    const d = decide('priority', (id) => ({ priority: { a: 5, b: 1, c: 3 }[id] }));
    expect(d.chosen).toEqual(['b']);
    expect(d.fallbacks.map((f) => f.endpointId)).toEqual(['c', 'a']);
    expect(d.explanation.tiers[0]!.candidates[1]).toMatchObject({ endpointId: 'c', verdict: 'lost', reason: 'lost on priority: priority 3' });
  });

  it('performance: best score first', () => {
    expect(decide('performance', (id) => ({ performanceScore: { a: 70, b: 60, c: 95 }[id] })).chosen).toEqual(['c']);
  });

  it('order priority: the least-filled order first, filled orders are ineligible', () => {
    const d = decide('order_priority', (id) => ({ orders: [{ id: `o-${id}`, committed: 100, sold: { a: 50, b: 20, c: 100 }[id] }] }));
    expect(d.chosen).toEqual(['b']);
    expect(d.reservations).toContainEqual({ kind: 'order', endpointId: 'b', orderId: 'o-b', scope: 'order:b:o-b', limit: 80, used: 0 });
    expect(d.explanation.tiers[0]!.candidates).toContainEqual(
      expect.objectContaining({ endpointId: 'c', verdict: 'ineligible', reason: 'every order filled (o-c: 100 of 100 sold)' }),
    );
    expect(d.explanation.summary).toContain('least-filled order: order o-b: 20 of 100 sold (20%)');
  });

  it('broadcast: offers to N at once, all must claim', () => {
    const d = decide('broadcast', (id) => ({ priority: { a: 2, b: 1, c: 3 }[id] }), ['a', 'b', 'c'], { broadcastCount: 2, claimDeadlineSec: 120 });
    expect(d.outcome).toBe('broadcast');
    expect(d.chosen).toEqual(['b', 'a']);
    expect(d.targets.every((t) => t.claimRequired && t.claimDeadlineSec === 120)).toBe(true);
    expect(d.explanation.summary).toBe('Offered to B, A at once (first to claim wins), tier "only"');
  });
});

describe('eligibility', () => {
  it('names the cap and its count, and the shell reserves the right window', () => {
    const counters = new MemoryCounters();
    const snap = snapshotOf({ endpoints: holders(['solo'], () => ({ caps: { daily: 2, openUnclaimed: 5 } })) });
    const [d1, , d3] = run(snap, counters, 3);
    expect(d1!.reservations).toEqual([
      { kind: 'cap', endpointId: 'solo', scope: 'cap:solo:2026-03-16', window: 'daily', windowKey: '2026-03-16', limit: 2, used: 0 },
      { kind: 'open_unclaimed', endpointId: 'solo', scope: 'open:solo', limit: 5, used: 0 },
      { kind: 'turn', endpointId: 'solo', scope: 'turn:plan:builtin-default:1', turn: 1 },
    ]);
    expect(d3!.outcome).toBe('no_coverage');
    expect(d3!.explanation.tiers[1]!.candidates[0]).toMatchObject({ reason: 'daily cap reached: 2 of 2', counters: { daily: '2 of 2' } });
  });

  it('rules out unlicensed, excluded and open-unclaimed-full endpoints with reasons', () => {
    const snap = snapshotOf({
      endpoints: holders(['unlicensed', 'tried', 'busy', 'ok'], (id) => ({
        licensedStates: id === 'unlicensed' ? ['OK'] : [],
        caps: id === 'busy' ? { openUnclaimed: 0 } : {},
      })),
    });
    const d = allocate({ lead: lead(1, { exclude: ['tried'] }), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 });
    expect(d.chosen).toEqual(['ok']);
    const reasons = Object.fromEntries(d.explanation.tiers[1]!.candidates.map((c) => [c.endpointId, c.reason]));
    expect(reasons).toMatchObject({
      unlicensed: 'not licensed in TX',
      tried: 'already tried for this lead (delivery failed or the offer lapsed)',
      busy: 'open-unclaimed limit reached: 0 of 0 leads not yet claimed',
    });
  });

  it('gives the lead to the endpoint the source named, unless it cannot take it', () => {
    const snap = snapshotOf({ endpoints: [...holders(['a']), endpoint('named', { paused: false }), endpoint('asleep', { paused: true })] });
    const d = allocate({ lead: lead(1, { preassignedEndpointId: 'named' }), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 });
    expect(d).toMatchObject({ chosen: ['named'], tier: { algorithm: 'preassigned' } });
    const p = allocate({ lead: lead(1, { preassignedEndpointId: 'asleep' }), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 });
    expect(p.chosen).toEqual(['a']);
    expect(p.explanation.tiers[0]).toMatchObject({
      outcome: 'the named endpoint cannot take it; routing by the plan',
      candidates: [{ endpointId: 'asleep', reason: 'paused' }],
    });
  });
});
