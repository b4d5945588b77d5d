import { describe, expect, it } from 'vitest';
import { countdown, money } from './format.ts';

describe('console formatting', () => {
  it('counts down to a deadline in minutes and seconds, hours when long, and says when it passed', () => {
    expect(countdown(300_000, 0)).toBe('5:00');
    expect(countdown(61_500, 0)).toBe('1:01');
    expect(countdown(3_725_000, 0)).toBe('1:02:05');
    expect(countdown(1000, 1000)).toBe('deadline passed');
  });
  it('shows cents as dollars', () => {
    expect(money(2500)).toBe('$25.00');
    expect(money(null)).toBe('');
  });
});
