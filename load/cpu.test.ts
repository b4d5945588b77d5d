import { describe, expect, it } from 'vitest';
import { parseProcStat, treeTicks } from './cpu.ts';

// A real line's layout: pid (comm) state ppid ... utime stime cutime cstime ...
const line = (pid: number, comm: string, ppid: number, [u, s, cu, cs]: number[]) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${u} ${s} ${cu} ${cs} 20 0 1 0 100 1000 10`;

describe('CPU of a process tree from /proc', () => {
  it('reads ppid and the four time fields, whatever the command name holds', () => {
    expect(parseProcStat(7, line(7, 'node (worker) x', 1, [10, 5, 2, 1]))).toEqual({ pid: 7, ppid: 1, ticks: 18 });
  });

  it('sums a process and every descendant, nothing outside it', () => {
    const stats = [
      parseProcStat(1, line(1, 'init', 0, [100, 0, 0, 0])),
      parseProcStat(10, line(10, 'postgres', 1, [5, 5, 0, 0])),
      parseProcStat(11, line(11, 'postgres: backend', 10, [3, 1, 0, 0])),
      parseProcStat(12, line(12, 'postgres: walwriter', 11, [1, 0, 0, 0])),
      parseProcStat(20, line(20, 'temporal', 1, [50, 0, 0, 0])),
    ];
    expect(treeTicks(stats, 10)).toBe(15);
    expect(treeTicks(stats, 20)).toBe(50);
    expect(treeTicks(stats, 99)).toBeUndefined();
  });
});
