import { parseMetrics, scrape } from '../testing/metrics.ts';

const NAME = 'switchyard_db_commands_total';

/** Database commands per `command collection`, from one Prometheus page of a process. */
export function dbCommandsOf(page: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of parseMetrics(page)) {
    if (s.name !== NAME) continue;
    const key = `${s.labels.command ?? '?'} ${s.labels.collection ?? ''}`.trim();
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/** What a process sent between two scrapes of its counters: the per-key differences, keys that did not move left out. */
export function commandsBetween(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d > 0) out.set(k, d);
  }
  return out;
}

export const sumOf = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

/** Scrapes a process's counters; undefined when it has no metrics page to read (it said so at start, or it is down). */
export async function scrapeDbCommands(url: string | undefined): Promise<Map<string, number> | undefined> {
  if (!url) return undefined;
  return scrape(url).then(
    (page) => dbCommandsOf(page.text),
    () => undefined,
  );
}
