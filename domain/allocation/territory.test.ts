import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.ts';
import { MemoryCounters } from './memory-counters.ts';
import { endpoint, lead, MONDAY_MORNING, run, snapshotOf } from './test-network.ts';

const empty = () => new MemoryCounters();

describe('territory', () => {
  it('a carve-out beats a wider exclusive grant', () => {
    const snap = snapshotOf({
      endpoints: [
        endpoint('dallas-north', {
          territories: [
            { kind: 'exclusive', counties: ['48113'] },
            { id: 'c-uptown', kind: 'carve_out', zips: ['75201'], serviceLines: ['plumbing'] },
          ],
        }),
        endpoint('call-center', { kind: 'call_center', territories: [{ kind: 'fallback', states: ['TX'] }] }),
      ],
    });
    const carved = allocate({ lead: lead(1), snapshot: snap, counters: empty(), now: MONDAY_MORNING, random: 0 });
    expect(carved.chosen).toEqual(['call-center']);
    const first = carved.explanation.tiers[0]!;
    expect(first.candidates).toEqual([
      expect.objectContaining({
        endpointId: 'dallas-north',
        verdict: 'ineligible',
        reason: expect.stringMatching(/^carved out: ZIP carve-out c-uptown removes 75201 plumbing/),
      }),
    ]);
    // Outside the carve-out, and for another service line inside it, the county grant still holds.
    expect(allocate({ lead: lead(2, { zip: '75202' }), snapshot: snap, counters: empty(), now: MONDAY_MORNING, random: 0 }).chosen).toEqual(['dallas-north']);
    expect(allocate({ lead: lead(3, { serviceLine: 'hvac' }), snapshot: snap, counters: empty(), now: MONDAY_MORNING, random: 0 }).chosen).toEqual([
      'dallas-north',
    ]);
  });

  it('a carve-out without an endpoint removes the area from everyone, but not from narrower grants', () => {
    const snap = snapshotOf({
      endpoints: [
        endpoint('a', { territories: [{ kind: 'exclusive', states: ['TX'] }] }),
        endpoint('b', { territories: [{ kind: 'shared', zips: ['75201'] }] }),
      ],
      territories: [{ id: 'no-dallas-county', kind: 'carve_out', counties: ['48113'] }],
    });
    const d = allocate({ lead: lead(1), snapshot: snap, counters: empty(), now: MONDAY_MORNING, random: 0 });
    expect(d.chosen).toEqual(['b']);
    expect(d.explanation.tiers[0]!.candidates[0]).toMatchObject({
      endpointId: 'a',
      verdict: 'ineligible',
      reason: expect.stringContaining('county carve-out no-dallas-county'),
    });
  });

  it('a shared zone alternates between its holders', () => {
    const snap = snapshotOf({
      endpoints: [
        endpoint('east', { territories: [{ kind: 'shared', zips: ['75201'] }] }),
        endpoint('west', { territories: [{ kind: 'shared', zipRanges: ['75200-75210'] }] }),
      ],
    });
    const chosen = run(snap, empty(), 6).map((d) => d.chosen[0]);
    expect(chosen).toEqual(['east', 'west', 'east', 'west', 'east', 'west']);
  });

  it('secondary holders are reached only when every exclusive and shared holder is ineligible, at their price factor', () => {
    const config = (exclusivePaused: boolean) =>
      snapshotOf({
        endpoints: [
          endpoint('owner', { paused: exclusivePaused, bidCents: 5000, territories: [{ kind: 'exclusive', zips: ['75201'] }] }),
          endpoint('neighbour', { caps: { daily: 1 }, territories: [{ kind: 'shared', zips: ['75201'] }] }),
          endpoint('overflow', { bidCents: 5000, territories: [{ kind: 'secondary', priceFactor: 0.8, zips: ['75201'] }] }),
        ],
        routingPlans: [
          {
            id: 'p',
            isDefault: true,
            tiers: [
              { name: 'exclusive', selector: { territoryKinds: ['exclusive'] } },
              { name: 'shared', selector: { territoryKinds: ['shared'] } },
              { name: 'secondary', selector: { territoryKinds: ['secondary'] }, algorithm: 'highest_bid' },
            ],
          },
        ],
      });
    expect(run(config(false), empty(), 1)[0]!.chosen).toEqual(['owner']);

    const counters = empty();
    const snap = config(true);
    const [first, second] = run(snap, counters, 2);
    expect(first!.chosen).toEqual(['neighbour']);
    expect(second!.chosen).toEqual(['overflow']);
    expect(second!.targets[0]).toMatchObject({ priceFactor: 0.8, priceCents: 4000 });
    expect(second!.explanation.summary).toBe(
      'Assigned to Overflow (secondary holder of 75201 for plumbing, price factor 0.8), highest bid: bid $50.00 × 0.8 = $40.00',
    );
    const [t1, t2] = second!.explanation.tiers;
    expect(t1!.candidates[0]).toMatchObject({ endpointId: 'owner', verdict: 'ineligible', reason: 'paused' });
    expect(t2!.candidates[0]).toMatchObject({
      endpointId: 'neighbour',
      verdict: 'ineligible',
      reason: 'daily cap reached: 1 of 1',
      counters: { daily: '1 of 1' },
    });
  });

  it('a radius grant covers leads by great-circle distance', () => {
    const snap = snapshotOf({
      endpoints: [endpoint('mobile-van', { territories: [{ kind: 'exclusive', radius: { lat: 32.7767, lon: -96.797, miles: 10 } }] })],
    });
    const near = lead(1); // downtown Dallas, about 1 mile away
    const far = lead(2, { zip: '76102', geography: { zip: '76102', state: 'TX', countyFips: '48439', lat: 32.7555, lon: -97.3308 } }); // Fort Worth, about 31 miles
    expect(allocate({ lead: near, snapshot: snap, counters: empty(), now: MONDAY_MORNING, random: 0 }).chosen).toEqual(['mobile-van']);
    const d = allocate({ lead: far, snapshot: snap, counters: empty(), now: MONDAY_MORNING, random: 0 });
    expect(d.outcome).toBe('no_coverage');
    expect(d.explanation.summary).toBe('No coverage: no endpoint holds 76102 (TX) for plumbing');
  });

  it('agents inherit their location territory and rotation members outside it are named', () => {
    const snap = snapshotOf({
      endpoints: [
        endpoint('dallas', { territories: [{ kind: 'exclusive', zips: ['75201'] }] }),
        endpoint('austin', { territories: [{ kind: 'exclusive', zips: ['78701'] }] }),
        endpoint('ann', { kind: 'agent', locationId: 'dallas' }),
        endpoint('bob', { kind: 'agent', locationId: 'austin' }),
      ],
      rotations: [{ id: 'r', name: 'Texas agents', members: ['bob', 'ann'] }],
      routingPlans: [{ id: 'p', isDefault: true, tiers: [{ name: 'agents', selector: { territoryKinds: ['exclusive'], rotationId: 'r' } }] }],
    });
    const d = allocate({ lead: lead(1), snapshot: snap, counters: empty(), now: MONDAY_MORNING, random: 0 });
    expect(d.chosen).toEqual(['ann']);
    expect(d.targets[0]).toMatchObject({ claimRequired: true, claimDeadlineSec: 300, maxLapses: 3 });
    expect(d.explanation.summary).toBe('Assigned to Ann (exclusive holder of 75201 for plumbing via Dallas), round robin turn 1');
    expect(d.explanation.tiers[0]!.candidates[1]).toMatchObject({
      endpointId: 'bob',
      verdict: 'ineligible',
      reason: 'outside territory: holds no exclusive grant for 75201 plumbing',
    });
  });
});

describe('the decision names the grant', () => {
  const snap = snapshotOf({
    sources: [{ id: 'web', name: 'Web', costBasis: { kind: 'per_lead', amountCents: 4000 } }],
    endpoints: [
      endpoint('overflow', { territories: [{ id: 'overflow-dfw', kind: 'secondary', zips: ['75201'], priceFactor: 0.75 }] }),
      endpoint('bidder', { bidCents: 3000, territories: [{ id: 'bidder-dfw', kind: 'secondary', zips: ['75202'], priceFactor: 0.5 }] }),
    ],
  });
  const decide = (zip: string) => allocate({ lead: lead(zip, { zip }), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 });

  it('with its kind, id and price factor; a secondary holder without a bid pays the source cost × its factor', () => {
    expect(decide('75201').targets[0]).toMatchObject({
      endpointId: 'overflow',
      territoryKind: 'secondary',
      grantId: 'overflow-dfw',
      priceFactor: 0.75,
      priceCents: 3000,
    });
  });

  it('a secondary holder with a bid pays its bid × its factor', () => {
    expect(decide('75202').targets[0]).toMatchObject({
      endpointId: 'bidder',
      territoryKind: 'secondary',
      grantId: 'bidder-dfw',
      priceFactor: 0.5,
      priceCents: 1500,
    });
  });
});
