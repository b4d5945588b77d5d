import { describe, expect, it } from 'vitest';
import { allocate } from './allocate.ts';
import { capWindowKeys, capWindowKeysInZone } from './cap-windows.ts';
import { MemoryCounters } from './memory-counters.ts';
import { endpoint, lead, snapshotOf } from './test-network.ts';

const NY = 'America/New_York';
const utc = (iso: string) => Date.parse(iso);

describe('cap windows in the endpoint time zone', () => {
  it('splits the repeated fall-back hour into two windows but keeps one day', () => {
    const first = capWindowKeysInZone(NY, utc('2026-11-01T05:30:00Z')); // 01:30 EDT
    const second = capWindowKeysInZone(NY, utc('2026-11-01T06:30:00Z')); // 01:30 EST
    expect(first).toEqual({ hourly: '2026-11-01T01-04:00', daily: '2026-11-01', weekly: '2026-W44', monthly: '2026-11' });
    expect(second.hourly).toBe('2026-11-01T01-05:00');
    expect(second.daily).toBe(first.daily);
  });

  it('jumps from 01:59 to 03:00 on spring-forward night and starts days at local midnight', () => {
    expect(capWindowKeysInZone(NY, utc('2026-03-08T06:59:00Z')).hourly).toBe('2026-03-08T01-05:00');
    expect(capWindowKeysInZone(NY, utc('2026-03-08T07:00:00Z')).hourly).toBe('2026-03-08T03-04:00');
    expect(capWindowKeysInZone(NY, utc('2026-03-09T03:30:00Z')).daily).toBe('2026-03-08'); // 23:30 EDT
    expect(capWindowKeysInZone(NY, utc('2026-03-09T04:30:00Z')).daily).toBe('2026-03-09'); // 00:30 EDT
  });

  it('uses ISO weeks and local months', () => {
    expect(capWindowKeysInZone(NY, utc('2025-12-29T12:00:00Z')).weekly).toBe('2026-W01');
    expect(capWindowKeysInZone(NY, utc('2027-01-01T12:00:00Z')).weekly).toBe('2026-W53');
    expect(capWindowKeysInZone(NY, utc('2026-03-15T12:00:00Z')).weekly).toBe('2026-W11'); // a Sunday ends its week
    expect(capWindowKeys({ schedule: { timeZone: 'America/Los_Angeles' } }, utc('2026-04-01T05:00:00Z')).monthly).toBe('2026-03');
    expect(capWindowKeys({ timeZone: 'Asia/Kolkata' }, utc('2026-04-01T05:00:00Z')).hourly).toBe('2026-04-01T10+05:30');
  });
});

describe('business hours in the endpoint time zone', () => {
  const snap = snapshotOf({
    endpoints: [
      endpoint('nyc-office', {
        schedule: {
          timeZone: NY,
          hours: { mon: ['09:00-17:00'], tue: ['09:00-17:00'], wed: ['09:00-17:00'], thu: ['09:00-17:00'], fri: ['09:00-17:00'] },
          holidays: ['2026-12-25'],
        },
        territories: [{ kind: 'exclusive', zips: ['75201'] }],
      }),
      endpoint('night-desk', { kind: 'call_center', territories: [{ kind: 'fallback', states: ['TX'] }] }),
    ],
  });
  const at = (iso: string) => allocate({ lead: lead(iso), snapshot: snap, counters: new MemoryCounters(), now: utc(iso), random: 0 });

  it.each([
    // Before spring-forward (EST, UTC-5) and after it (EDT, UTC-4): the same UTC instant is 08:30 one week and 09:30 the next.
    ['2026-03-06T13:30:00Z', 'night-desk', 'closed: it is Friday 08:30 in America/New_York'],
    ['2026-03-06T14:30:00Z', 'nyc-office', undefined],
    ['2026-03-09T12:30:00Z', 'night-desk', 'closed: it is Monday 08:30 in America/New_York'],
    ['2026-03-09T13:30:00Z', 'nyc-office', undefined],
    // Around fall-back: Friday is still EDT, Monday is EST.
    ['2026-10-30T13:30:00Z', 'nyc-office', undefined],
    ['2026-11-02T13:30:00Z', 'night-desk', 'closed: it is Monday 08:30 in America/New_York'],
    ['2026-11-02T14:30:00Z', 'nyc-office', undefined],
    ['2026-11-02T21:59:00Z', 'nyc-office', undefined],
    ['2026-11-02T22:00:00Z', 'night-desk', 'closed: it is Monday 17:00 in America/New_York'],
  ])('at %s the lead goes to %s', (iso, expected, reason) => {
    const d = at(iso);
    expect(d.chosen).toEqual([expected]);
    if (reason) expect(d.explanation.tiers[0]!.candidates[0]).toMatchObject({ endpointId: 'nyc-office', verdict: 'ineligible', reason });
  });

  it('skips a holiday in the endpoint calendar', () => {
    const d = at('2026-12-25T15:00:00Z');
    expect(d.chosen).toEqual(['night-desk']);
    expect(d.explanation.tiers[0]!.candidates[0]!.reason).toBe('closed for a holiday: 2026-12-25 (Friday 10:00 in America/New_York)');
  });

  it('takes leads after hours when the endpoint accepts them, and says so', () => {
    const open = snapshotOf({
      endpoints: [
        endpoint('late', {
          schedule: { timeZone: NY, hours: { mon: ['09:00-17:00'] }, acceptAfterHours: true },
          territories: [{ kind: 'exclusive', zips: ['75201'] }],
        }),
      ],
    });
    const d = allocate({ lead: lead(1), snapshot: open, counters: new MemoryCounters(), now: utc('2026-03-10T02:00:00Z'), random: 0 });
    expect(d.chosen).toEqual(['late']);
    expect(d.explanation.tiers[0]!.candidates[0]!.reason).toContain('closed (Monday 22:00 in America/New_York) but accepts leads after hours');
  });

  it('handles ranges that run past midnight', () => {
    const night = snapshotOf({
      endpoints: [endpoint('owl', { schedule: { timeZone: NY, hours: { fri: ['22:00-02:00'] } }, territories: [{ kind: 'exclusive', zips: ['75201'] }] })],
    });
    const when = (iso: string) => allocate({ lead: lead(iso), snapshot: night, counters: new MemoryCounters(), now: utc(iso), random: 0 }).outcome;
    expect(when('2026-03-07T06:30:00Z')).toBe('assigned'); // Saturday 01:30 EST
    expect(when('2026-03-07T07:30:00Z')).toBe('held'); // Saturday 02:30 EST: closed now, so held until Friday 22:00 (never no coverage)
  });
});
