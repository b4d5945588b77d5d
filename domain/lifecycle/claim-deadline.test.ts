import { describe, expect, it } from 'vitest';
import { claimDeadlineAt } from './claim-deadline.ts';

// A 09:00–17:00 UTC weekday schedule, as a predicate.
const nineToFive = (t: number) => {
  const d = new Date(t);
  const day = d.getUTCDay();
  const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
  return day >= 1 && day <= 5 && minutes >= 9 * 60 && minutes < 17 * 60;
};
const at = (iso: string) => Date.parse(iso);

describe('claim deadline', () => {
  it('is plain wall-clock time without a schedule', () => {
    expect(claimDeadlineAt(at('2026-11-23T16:55:00Z'), 900)).toBe(at('2026-11-23T17:10:00Z'));
  });
  it('runs only inside business hours: Friday 16:55 + 15 min lapses Monday 09:10', () => {
    expect(claimDeadlineAt(at('2026-11-27T16:55:00Z'), 900, nineToFive)).toBe(at('2026-11-30T09:10:00Z'));
  });
  it('starts at opening time for an offer made overnight', () => {
    expect(claimDeadlineAt(at('2026-11-24T02:00:00Z'), 600, nineToFive)).toBe(at('2026-11-24T09:10:00Z'));
  });
  it('keeps seconds inside an open stretch', () => {
    expect(claimDeadlineAt(at('2026-11-24T10:00:30Z'), 90, nineToFive)).toBe(at('2026-11-24T10:02:00Z'));
  });
  it('falls back to wall-clock time for a receiver that never opens', () => {
    expect(claimDeadlineAt(at('2026-11-24T10:00:00Z'), 60, () => false)).toBe(at('2026-11-24T10:01:00Z'));
  });
});
