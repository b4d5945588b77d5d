import { readdirSync, readFileSync } from 'node:fs';

/** Linux clock ticks per second (`getconf CLK_TCK`); 100 on every kernel this project runs on. */
const TICKS_PER_SECOND = 100;

interface Stat {
  pid: number;
  ppid: number;
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    // f[1] is ppid; utime, stime, cutime, cstime are fields 14 to 17 of the whole line (f[11..14]).
    return { pid, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used so far by a process and every live descendant (a server that forks, such as PostgreSQL, counts whole). */
export function processTreeCpuMs(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  const root = readStat(pid);
  if (!root) return undefined;
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => readStat(Number(d)) ?? []);
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const s of all) {
      if (tree.has(s.pid) || !tree.has(s.ppid)) continue;
      tree.add(s.pid);
      grew = true;
    }
  }
  const ticks = all.filter((s) => tree.has(s.pid)).reduce((a, s) => a + s.ticks, 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}
