import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.ts';
import { counterScopes } from './counter-scopes.ts';
import { renderExplanation } from './explain.ts';
import { MemoryCounters } from './memory-counters.ts';
import { endpoint, lead, MONDAY_MORNING, run, snapshotOf } from './test-network.ts';

const snap = snapshotOf({
  endpoints: [
    endpoint('a', { caps: { daily: 5, hourly: 2 }, orders: [{ id: 'o1', committed: 10 }], territories: [{ kind: 'exclusive', zips: ['75201'] }] }),
    endpoint('b', { caps: { openUnclaimed: 3 }, territories: [{ kind: 'fallback', states: ['TX'] }] }),
    endpoint('elsewhere', { caps: { daily: 1 }, territories: [{ kind: 'exclusive', zips: ['10001'] }] }),
  ],
});

describe('decisions', () => {
  it('are deterministic for the same inputs', () => {
    const counters = new MemoryCounters();
    run(snap, counters, 3);
    const once = allocate({ lead: lead('x'), snapshot: snap, counters, now: MONDAY_MORNING, random: 0.3 });
    const twice = allocate({ lead: lead('x'), snapshot: snap, counters, now: MONDAY_MORNING, random: 0.3 });
    expect(twice).toEqual(once);
    expect(once.configVersion).toBe(1);
  });

  it('name exactly the counters the shell must load for a lead', () => {
    expect(counterScopes(snap, lead(1), MONDAY_MORNING)).toEqual({
      counts: ['cap:a:2026-03-16T10-05:00', 'cap:a:2026-03-16', 'order:a:o1', 'open:b'],
      rotations: ['turn:plan:builtin-default:0', 'turn:plan:builtin-default:1', 'turn:plan:builtin-default:2', 'turn:plan:builtin-default:3'],
      // Whose last turn each round-robin tier reads: the holders of the lead's area with that tier's grant kind.
      turnMembers: {
        'turn:plan:builtin-default:0': ['a'],
        'turn:plan:builtin-default:1': [],
        'turn:plan:builtin-default:2': [],
        'turn:plan:builtin-default:3': ['b'],
      },
      limits: { 'cap:a:2026-03-16T10-05:00': 2, 'cap:a:2026-03-16': 5, 'order:a:o1': 10, 'open:b': 3 },
      // No tier distributes by performance: no scores to read.
      performance: false,
    });
  });

  it('say in words why a lead had no coverage, and keep the geography note', () => {
    const counters = new MemoryCounters();
    counters.counts.set('open:b', 3);
    counters.counts.set('cap:a:2026-03-16', 5);
    const d = allocate({
      lead: lead(1, {
        geography: {
          zip: '75201',
          state: 'TX',
          countyFips: '48113',
          resolution: { from: 'city_state', reason: 'zip_missing', note: 'the lead had no ZIP; resolved to 75201 from Dallas, TX' },
        },
      }),
      snapshot: snap,
      counters,
      now: MONDAY_MORNING,
      random: 0,
    });
    expect(d.outcome).toBe('no_coverage');
    expect(d.explanation.summary).toBe(
      'No coverage for 75201 (TX) for plumbing: 2 candidates considered in 4 tiers, none eligible (1 daily cap reached, 1 open-unclaimed limit reached) (the lead had no ZIP; resolved to 75201 from Dallas, TX)',
    );
    expect(renderExplanation(d)).toEqual([
      d.explanation.summary,
      'plan builtin-default, configuration version 1',
      'geography: the lead had no ZIP; resolved to 75201 from Dallas, TX',
      'tier 1 "exclusive holders" (round robin): no eligible candidate',
      '  ✘ ineligible A [a]: daily cap reached: 5 of 5 {hourly 0 of 2, daily 5 of 5}',
      'tier 2 "shared holders" (round robin): no candidates',
      'tier 3 "secondary holders" (round robin): no candidates',
      'tier 4 "fallback holders" (round robin): no eligible candidate',
      '  ✘ ineligible B [b]: open-unclaimed limit reached: 3 of 3 leads not yet claimed {openUnclaimed 3 of 3}',
    ]);
  });

  it('offer fallbacks with their own reservations for failover', () => {
    const two = snapshotOf({ endpoints: ['p', 'q'].map((id) => endpoint(id, { caps: { daily: 9 }, territories: [{ kind: 'shared', zips: ['75201'] }] })) });
    const d = allocate({ lead: lead(1), snapshot: two, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 });
    expect(d.chosen).toEqual(['p']);
    expect(d.fallbacks).toEqual([
      expect.objectContaining({
        endpointId: 'q',
        reservations: [
          expect.objectContaining({ kind: 'cap', scope: 'cap:q:2026-03-16' }),
          { kind: 'turn', endpointId: 'q', scope: 'turn:plan:builtin-default:1', turn: 1 },
        ],
      }),
    ]);
  });
});
