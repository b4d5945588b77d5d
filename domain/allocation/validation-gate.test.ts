import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.ts';
import { MemoryCounters } from './memory-counters.ts';
import { endpoint, lead, MONDAY_MORNING, snapshotOf } from './test-network.ts';
import type { LeadSignals } from './types.ts';
import { conditionHolds } from './validation-gate.ts';

const snap = snapshotOf({
  endpoints: [
    endpoint('premium', { territories: [{ kind: 'exclusive', zips: ['75201'] }] }),
    endpoint('desk', { kind: 'call_center', territories: [{ kind: 'fallback', states: ['TX'] }] }),
  ],
  routingPlans: [
    {
      id: 'steered',
      isDefault: true,
      tiers: [
        { name: 'fraud check', review: true, onlyIf: { riskAtLeast: 70 } },
        { name: 'mobile only', selector: { territoryKinds: ['exclusive'] }, onlyIf: { lineTypes: ['mobile'] }, skipIf: { flags: ['email:role_address'] } },
        { name: 'everyone else', selector: { territoryKinds: ['fallback'] } },
      ],
    },
  ],
});
const decide = (validation: LeadSignals, reviewed = false) =>
  allocate({ lead: lead(1, { validation, reviewed }), snapshot: snap, counters: new MemoryCounters(), now: MONDAY_MORNING, random: 0 });

describe('validation that steers routing', () => {
  it('a tier selects by line type: a mobile lead goes to the premium holder, others pass it over', () => {
    expect(decide({ flags: [], lineType: 'mobile', riskScore: 10 }).chosen).toEqual(['premium']);
    const landline = decide({ flags: [], lineType: 'landline', riskScore: 10 });
    expect(landline.chosen).toEqual(['desk']);
    expect(landline.explanation.tiers[1]).toMatchObject({
      name: 'mobile only',
      outcome: "passed over: the lead's validation does not meet this tier's onlyIf",
    });
  });

  it('a tier excludes by a named flag', () => {
    const d = decide({ flags: ['email:role_address'], lineType: 'mobile', riskScore: 10 });
    expect(d.chosen).toEqual(['desk']);
    expect(d.explanation.tiers[1]!.outcome).toBe('passed over by its skipIf: flagged email:role_address');
  });

  it('a review tier sends a risky lead to the review queue, saying why; once approved, review tiers are passed over', () => {
    const risky = decide({ flags: ['risk:elevated_risk'], lineType: 'mobile', riskScore: 75 });
    expect(risky).toMatchObject({ outcome: 'review', chosen: [], reservations: [] });
    expect(risky.explanation.summary).toBe('Sent to review by tier "fraud check": risk score 75 ≥ 70');
    const approved = decide({ flags: ['risk:elevated_risk'], lineType: 'mobile', riskScore: 75 }, true);
    expect(approved.chosen).toEqual(['premium']);
    expect(approved.explanation.tiers[0]!.outcome).toBe('passed over: ops approved the lead in review');
  });

  it('every criterion of a condition must hold; identity confidence only where a provider gave one', () => {
    expect(conditionHolds({ riskAtLeast: 50, lineTypes: ['voip'] }, { flags: [], riskScore: 60, lineType: 'voip' })).toBe(
      'phone line type voip, risk score 60 ≥ 50',
    );
    expect(conditionHolds({ riskAtLeast: 50, lineTypes: ['voip'] }, { flags: [], riskScore: 60, lineType: 'mobile' })).toBeUndefined();
    expect(conditionHolds({ identityBelow: 50 }, { flags: [] })).toBeUndefined();
    expect(conditionHolds({ identityBelow: 50 }, { flags: [], identityConfidence: 30 })).toBe('identity confidence 30 < 50');
  });
});
