import { describe, expect, it } from 'vitest';
import { keyedMutex } from './keyed-mutex.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('keyed mutex', () => {
  it('runs tasks of one key one at a time, in arrival order, and other keys alongside', async () => {
    const run = keyedMutex();
    const log: string[] = [];
    let inA = 0;
    let maxInA = 0;
    const task = (key: string, n: number) =>
      run(key, async () => {
        if (key === 'a') maxInA = Math.max(maxInA, ++inA);
        log.push(`${key}${n}+`);
        await tick();
        log.push(`${key}${n}-`);
        if (key === 'a') inA--;
        return n;
      });
    const results = await Promise.all([task('a', 1), task('a', 2), task('b', 1), task('a', 3)]);
    expect(results).toEqual([1, 2, 1, 3]);
    expect(maxInA).toBe(1);
    expect(log.filter((l) => l.startsWith('a'))).toEqual(['a1+', 'a1-', 'a2+', 'a2-', 'a3+', 'a3-']);
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
  });

  it('a failing task neither blocks the queue nor hides its error', async () => {
    const run = keyedMutex();
    const failed = run('k', async () => {
      throw new Error('boom');
    });
    const next = run('k', async () => 'still runs');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('still runs');
  });

  it('holds a set of keys at once: overlapping sets queue, disjoint ones run alongside, and crossed orders never deadlock', async () => {
    const run = keyedMutex();
    const holding = new Set<string>();
    const clashes: string[] = [];
    const log: string[] = [];
    const task = (name: string, keys: string[]) =>
      run.all(keys, async () => {
        for (const k of keys) if (holding.has(k)) clashes.push(`${name}:${k}`);
        keys.forEach((k) => holding.add(k));
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
        keys.forEach((k) => holding.delete(k));
        return name;
      });
    const results = await Promise.all([task('x', ['a', 'b']), task('y', ['b', 'a']), task('z', ['c']), task('w', ['c', 'a'])]);
    expect(results).toEqual(['x', 'y', 'z', 'w']);
    expect(clashes).toEqual([]);
    // z shares nothing with x, so it ran while x held a and b.
    expect(log.indexOf('z+')).toBeLessThan(log.indexOf('x-'));
    expect(log.indexOf('y+')).toBeGreaterThan(log.indexOf('x-'));
  });
});
