import type { TenantConfigDocument } from '../schema/tenant-config.ts';
import { formatPath } from './config-import.ts';

export interface ConfigChange {
  /** Where, as import errors name it, with list items by id: `endpoints.dallas.caps.daily`, `endpoints["dallas-north"]`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
  /** One sentence for ops. */
  text: string;
}

const LISTS = ['sources', 'endpoints', 'rotations', 'territories', 'routingPlans'] as const;
const NOUN: Record<(typeof LISTS)[number], string> = {
  sources: 'source',
  endpoints: 'endpoint',
  rotations: 'rotation',
  territories: 'territory',
  routingPlans: 'routing plan',
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? 'nothing'));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Lists of items with ids are matched by id (`endpoints[dallas]`); other lists by position. */
function keyed(list: unknown[]): Map<string, unknown> | undefined {
  if (!list.every((x) => isObject(x) && typeof x.id === 'string')) return undefined;
  return new Map(list.map((x) => [(x as { id: string }).id, x]));
}

function walk(path: Array<string | number>, a: unknown, b: unknown, out: ConfigChange[]): void {
  if (same(a, b)) return;
  const at = formatPath(path);
  if (a === undefined) {
    out.push({ path: at, kind: 'added', after: b, text: `${at} set to ${show(b)}` });
    return;
  }
  if (b === undefined) {
    out.push({ path: at, kind: 'removed', before: a, text: `${at} removed (was ${show(a)})` });
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk([...path, k], a[k], b[k], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const [la, lb]: [unknown[], unknown[]] = [a, b];
    const ka = keyed(la);
    const kb = keyed(lb);
    if (ka && kb) {
      for (const id of new Set([...ka.keys(), ...kb.keys()])) walk([...path, id], ka.get(id), kb.get(id), out);
      return;
    }
    // Lists of objects without ids (an endpoint's grants) by position; lists of values (ZIPs) as one value.
    if ([...la, ...lb].every(isObject)) {
      for (let i = 0; i < Math.max(la.length, lb.length); i++) walk([...path, i], la[i], lb[i], out);
      return;
    }
  }
  out.push({ path: at, kind: 'changed', before: a, after: b, text: `${at} changed from ${show(a)} to ${show(b)}` });
}

/**
 * What changed from one configuration version to another, by path, in words:
 * items of the lists matched by id (an added endpoint is one change, not a
 * field each), fields compared by value.
 */
export function diffConfig(from: TenantConfigDocument, to: TenantConfigDocument): ConfigChange[] {
  const out: ConfigChange[] = [];
  walk(['tenant'], from.tenant, to.tenant, out);
  for (const list of LISTS) {
    const a = keyed(from[list]) ?? new Map<string, unknown>();
    const b = keyed(to[list]) ?? new Map<string, unknown>();
    for (const id of new Set([...a.keys(), ...b.keys()])) {
      const path = formatPath([list, id]);
      const before = a.get(id);
      const after = b.get(id);
      const name = (x: unknown) => (isObject(x) && typeof x.name === 'string' ? ` "${x.name}"` : '');
      if (before === undefined) out.push({ path, kind: 'added', after, text: `${NOUN[list]} ${id}${name(after)} added` });
      else if (after === undefined) out.push({ path, kind: 'removed', before, text: `${NOUN[list]} ${id}${name(before)} removed` });
      else walk([list, id], before, after, out);
    }
  }
  return out;
}
