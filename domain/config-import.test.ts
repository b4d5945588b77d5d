import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocate } from './allocation/allocate.ts';
import { compileSnapshot } from './allocation/compile-snapshot.ts';
import { renderExplanation } from './allocation/explain.ts';
import { MemoryCounters } from './allocation/memory-counters.ts';
import { describeConfigError, exportConfig, importConfig } from './config-import.ts';

const example = readFileSync(new URL('../data/example-network.yaml', import.meta.url), 'utf8');
const errorsOf = (text: string) => {
  const r = importConfig(text);
  return r.ok ? [] : r.errors.map(describeConfigError);
};
const minimal = (endpoints: string) => `tenant: { id: t, name: T }\nendpoints:\n${endpoints}`;

describe('importConfig', () => {
  it('imports the example network cleanly', () => {
    const r = importConfig(example);
    if (!r.ok) throw new Error(r.errors.map(describeConfigError).join('\n'));
    expect(r.value.endpoints).toHaveLength(19);
    expect(r.value.sources.find((s) => s.id === 'quotewell')).toMatchObject({
      returnWindowSec: 7 * 86_400,
      costBasis: { kind: 'per_lead', amountCents: 3500 },
    });
  });

  it('points at the exact bad ZIP inside an endpoint territory', () => {
    const eps = Array.from(
      { length: 13 },
      (_, i) =>
        `  - { id: e${i}, name: E${i}, kind: location${i === 12 ? ", territories: [{kind: shared, zips: ['75201']}, {kind: shared, zips: ['75202']}, {kind: shared, states: [TX]}, {kind: exclusive, zips: ['75203', '7520']}]" : ''} }`,
    ).join('\n');
    expect(errorsOf(minimal(eps))).toEqual(['endpoints[12].territories[3].zips: "7520" is not a ZIP']);
  });

  it('explains unquoted ZIPs, unknown states, bad ranges, bad zones and unknown fields', () => {
    const errs = errorsOf(
      minimal(`  - id: a
    name: A
    kind: location
    schedule: { timeZone: Central }
    territories:
      - { kind: exclusive, zips: [75201], states: [XX], zipRanges: ['75299-75201'] }
    colour: blue`),
    );
    expect(errs).toEqual([
      'endpoints[0].schedule.timeZone: "Central" is not an IANA time zone (for example "America/Chicago")',
      'endpoints[0].territories[0].zips: 75201 is a number: write ZIPs in quotes ("75201") so leading zeros survive',
      'endpoints[0].territories[0].zipRanges[0]: ZIP range {"from":"75299","to":"75201"} runs backwards',
      'endpoints[0].territories[0].states: "XX" is not a US state code',
      'endpoints[0]: Unrecognized key: "colour"',
    ]);
  });

  it('checks references and duplicate ids across the document (exclusive grants: exclusive-conflicts.test.ts)', () => {
    const errs = errorsOf(`tenant: { id: t, name: T }
endpoints:
  - { id: a, name: A, kind: location, territories: [{ kind: exclusive, zips: ['75201'] }] }
  - { id: a, name: A again, kind: location }
  - { id: b, name: B, kind: agent, teamId: ghost-team, territories: [{ kind: exclusive, zipRanges: ['75200-75205'] }] }
rotations:
  - { id: r, name: R, members: [a, nobody] }
territories:
  - { id: t1, endpointId: missing, kind: shared, zips: ['75201'] }
routingPlans:
  - { id: p, sourceId: no-such-source, tiers: [{ name: x, selector: { rotationId: nope } }] }
`);
    expect(errs).toEqual([
      'endpoints[1].id: endpoint id "a" is used twice',
      'endpoints[2].teamId: names team "ghost-team", which is not in this configuration',
      'territories[0].endpointId: names endpoint "missing", which is not in this configuration',
      'rotations[0].members: names endpoint "nobody", which is not in this configuration',
      'routingPlans[0].sourceId: names source "no-such-source", which is not in this configuration',
      'routingPlans[0].tiers[0].selector.rotationId: names rotation "nope", which is not in this configuration',
    ]);
  });

  it('reports YAML and JSON syntax errors with line and column, never throwing', () => {
    const yaml = importConfig('tenant:\n  id: t\n  name: [unclosed\n');
    expect(yaml.ok).toBe(false);
    if (!yaml.ok)
      expect(yaml.errors[0]).toMatchObject({
        path: '',
        line: expect.any(Number),
        column: expect.any(Number),
        message: expect.stringMatching(/^not valid YAML at line \d+, column \d+/),
      });
    const json = importConfig('{\n  "tenant": { "id": "t", }\n}');
    expect(json).toMatchObject({ ok: false, errors: [{ line: 2, message: expect.stringMatching(/^not valid JSON at line 2, column \d+/) }] });
    expect(importConfig('- just\n- a list')).toMatchObject({ ok: false, errors: [{ path: '' }] });
    expect(importConfig('a: &x [*x]')).toMatchObject({ ok: false });
  });

  it('exports YAML and JSON that import back to the same configuration', () => {
    const r = importConfig(example);
    if (!r.ok) throw new Error('example did not import');
    for (const format of ['yaml', 'json'] as const) {
      const again = importConfig(exportConfig(r.value, format), format);
      expect(again).toEqual({ ok: true, value: r.value });
    }
  });
});

describe('the example network routes', () => {
  const r = importConfig(example);
  if (!r.ok) throw new Error('example did not import');
  const snap = compileSnapshot(r.value, 7);
  const tuesday10am = Date.UTC(2026, 4, 12, 15, 0); // 10:00 in Dallas
  const route = (zip: string, serviceLine: string, extra: { sourceId?: string; countyFips?: string; now?: number } = {}) =>
    allocate({
      lead: { id: `l-${zip}`, sourceId: extra.sourceId ?? 'web-form', serviceLine, geography: { zip, state: 'TX', countyFips: extra.countyFips ?? '48113' } },
      snapshot: snap,
      counters: new MemoryCounters(),
      now: extra.now ?? tuesday10am,
      random: 0.5,
    });

  it('sends a franchise ZIP to its exclusive holder, and the carved-out line to the call center desk', () => {
    expect(route('75201', 'plumbing').explanation.summary).toBe('Assigned to Dallas Uptown (exclusive holder of 75201 for plumbing), round robin turn 1');
    const electrical = route('75201', 'electrical');
    expect(electrical.tier?.name).toBe('Call center desk');
    expect(electrical.chosen).toEqual(['agent-maria']);
    const lines = renderExplanation(electrical);
    expect(lines[0]).toBe('Assigned to Maria Lopez (fallback holder of 75201 (county 48113) for electrical via DFW Regional Call Center), round robin turn 1');
    expect(lines).toContain(
      '  ✘ ineligible Dallas Uptown [dallas-uptown]: carved out: ZIP carve-out uptown-no-electrical-75201 removes 75201 electrical from its exclusive grant dallas-uptown-core',
    );
  });

  it('uses the source-specific plan: the better performer of the shared zone wins', () => {
    const d = route('75080', 'hvac', { sourceId: 'quotewell' });
    expect(d.planId).toBe('quotewell-hvac');
    expect(d.chosen).toEqual(['plano']);
    expect(d.explanation.tiers[0]!.candidates.map((c) => `${c.endpointId}: ${c.reason}`)).toEqual([
      'plano: shared holder of 75080 for hvac: performance score 88 (hand-set)',
      'dallas-north: lost on performance: performance score 67 (hand-set)',
    ]);
  });

  it('falls back to the partner network outside DFW', () => {
    const d = route('78701', 'plumbing', { countyFips: '48453' });
    expect(d.chosen).toEqual(['homepro-partners']);
    expect(d.targets[0]!.reservations).toContainEqual(expect.objectContaining({ kind: 'order', orderId: 'po-2026-q3', limit: 1820 }));
  });
});
