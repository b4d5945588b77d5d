// Builders for allocation tests: small configuration documents, leads and a
// loop that runs many allocations against in-memory counters.
import { TenantConfigDocumentSchema, type TenantConfigInput } from '../../schema/tenant-config.ts';
import { allocate } from './allocate.ts';
import { compileSnapshot } from './compile-snapshot.ts';
import type { MemoryCounters } from './memory-counters.ts';
import type { Snapshot } from './snapshot-types.ts';
import type { AllocationDecision, AllocationLead } from './types.ts';

type EndpointInput = NonNullable<TenantConfigInput['endpoints']>[number];

export function endpoint(id: string, extra: Partial<EndpointInput> = {}): EndpointInput {
  return { id, name: id.replace(/(^|-)(\w)/g, (_, s: string, c: string) => `${s ? ' ' : ''}${c.toUpperCase()}`), kind: 'location', ...extra };
}

export function snapshotOf(input: Omit<TenantConfigInput, 'tenant'> & { tenant?: TenantConfigInput['tenant'] }, version = 1): Snapshot {
  const parsed = TenantConfigDocumentSchema.safeParse({ tenant: { id: 't1', name: 'Test brand', timeZone: 'America/Chicago' }, ...input });
  if (!parsed.success) throw new Error(`test configuration is invalid: ${JSON.stringify(parsed.error.issues, null, 1)}`);
  return compileSnapshot(parsed.data, version);
}

/** Dallas, TX 75201 (Dallas County) unless told otherwise. */
export function lead(n: number | string, extra: Partial<AllocationLead> & { zip?: string } = {}): AllocationLead {
  const { zip, ...rest } = extra;
  return {
    id: `lead-${n}`,
    sourceId: 'web',
    serviceLine: 'plumbing',
    geography: { zip: zip ?? '75201', state: 'TX', countyFips: '48113', lat: 32.7904, lon: -96.8044 },
    ...rest,
  };
}

/** Monday 2026-03-16 15:00 UTC = 10:00 in Dallas. */
export const MONDAY_MORNING = Date.UTC(2026, 2, 16, 15, 0);

export function run(
  snapshot: Snapshot,
  counters: MemoryCounters,
  n: number,
  opts: { now?: number; from?: number; lead?: (i: number) => AllocationLead } = {},
): AllocationDecision[] {
  const out: AllocationDecision[] = [];
  for (let i = 0; i < n; i++) {
    const k = (opts.from ?? 0) + i;
    const d = allocate({
      lead: opts.lead ? opts.lead(k) : lead(k),
      snapshot,
      counters,
      now: opts.now ?? MONDAY_MORNING,
      random: ((k * 2654435761) % 4294967296) / 4294967296,
    });
    counters.apply(d.reservations);
    out.push(d);
  }
  return out;
}
