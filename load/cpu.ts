import { readdirSync, readFileSync } from 'node:fs';

/** Linux clock ticks per second (`getconf CLK_TCK`); 100 on every kernel this project runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime: the process's own CPU and that of its reaped children. */
  ticks: number;
}

/** One `/proc/<pid>/stat` line. The command name may hold spaces and parentheses, so fields are counted after the last ')'. */
export function parseProcStat(pid: number, line: string): ProcStat {
  const f = line.slice(line.lastIndexOf(')') + 2).split(' ');
  // Field n of the line is f[n - 3]: ppid is field 4, utime to cstime fields 14 to 17.
  return { pid, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
}

/** Ticks of a process and every live descendant (a server that forks, such as PostgreSQL, counts whole); undefined if it is gone. */
export function treeTicks(stats: readonly ProcStat[], root: number): number | undefined {
  if (!stats.some((s) => s.pid === root)) return undefined;
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of stats) {
      if (tree.has(s.pid) || !tree.has(s.ppid)) continue;
      tree.add(s.pid);
      grew = true;
    }
  }
  return stats.reduce((sum, s) => (tree.has(s.pid) ? sum + s.ticks : sum), 0);
}

/** CPU milliseconds used so far by each named process tree, from one pass over /proc. */
export function cpuMsOfTrees<K extends string>(roots: Partial<Record<K, number>>): Partial<Record<K, number>> {
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        return [parseProcStat(Number(d), readFileSync(`/proc/${d}/stat`, 'utf8'))];
      } catch {
        return []; // exited between the listing and the read
      }
    });
  const out: Partial<Record<K, number>> = {};
  for (const [name, pid] of Object.entries(roots) as Array<[K, number | undefined]>) {
    const ticks = pid === undefined ? undefined : treeTicks(stats, pid);
    if (ticks !== undefined) out[name] = (ticks * 1000) / TICKS_PER_SECOND;
  }
  return out;
}
