// "Who would get this lead at 2 a.m. on Sunday?" asked over GraphQL: the
// dry run judges schedules at the instant asked, and reserves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type Harness } from '../../testing/api-harness.ts';

const SIMULATE = `query($at: DateTime) { simulateRouting(lead: { sourceId: "src-1", zip: "76102" }, at: $at) {
  ok errors { code field } at decision { outcome summary chosen { endpointId territoryKind grantId priceFactor } }
} }`;

describe('simulateRouting at any instant', () => {
  let h: Harness;
  let ops: { token: string };
  beforeAll(async () => {
    h = await startApiHarness();
    ops = { token: h.tokens.t1!.ops };
    // A Fort Worth branch open weekdays 08:00-17:00 Chicago time, holding 76102.
    const upserted = await h.gql(
      'mutation($item: JSON!) { upsertEndpoint(endpoint: $item) { ok errors { message } } }',
      {
        item: {
          id: 'fort-worth',
          name: 'Fort Worth branch',
          kind: 'location',
          schedule: { timeZone: 'America/Chicago', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['08:00-17:00']])) },
          territories: [{ id: 'fw-core', kind: 'exclusive', zips: ['76102'] }],
        },
      },
      ops,
    );
    expect(upserted.body.data.upsertEndpoint).toEqual({ ok: true, errors: [] });
  });
  afterAll(async () => h?.close());

  it('Sunday 02:00: held until Monday 08:00; Monday 10:00: the branch, naming its grant; an instant that is not a date is refused', async () => {
    const sunday = await h.gql(SIMULATE, { at: '2026-12-06T02:00:00-06:00' }, ops);
    expect(sunday.body.data.simulateRouting).toMatchObject({ ok: true, at: '2026-12-06T08:00:00.000Z', decision: { outcome: 'held', chosen: [] } });
    expect(sunday.body.data.simulateRouting.decision.summary).toMatch(
      /^Held until Mon 2026-12-07 08:00 America\/Chicago: everyone who could take it is closed now \(Fort Worth branch\)/,
    );

    const monday = await h.gql(SIMULATE, { at: '2026-12-07T10:00:00-06:00' }, ops);
    expect(monday.body.data.simulateRouting.decision).toMatchObject({
      outcome: 'assigned',
      chosen: [{ endpointId: 'fort-worth', territoryKind: 'exclusive', grantId: 'fw-core', priceFactor: 1 }],
    });

    const bad = await h.gql(SIMULATE, { at: 'Sunday night' }, ops);
    expect(bad.body.errors?.[0]?.message).toMatch(/ISO 8601/);
  });
});
