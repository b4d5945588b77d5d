import type { Connection } from 'mongoose';
import { configStore } from '../db/config-store.ts';
import { leadEventModel } from '../db/models/lead-event.ts';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { SAMPLE_OPTIONS, type GeneratorOptions } from '../domain/reporting/generate-events.ts';
import { TenantConfigDocumentSchema, type TenantConfigDocument } from '../schema/tenant-config.ts';

export const REPORT_ZONE = 'America/Chicago';

/** The tenant configuration behind SAMPLE_OPTIONS: zone, the three source contracts, the receivers. */
export function reportTenantConfig(tenantId: string, opts: GeneratorOptions = SAMPLE_OPTIONS): TenantConfigDocument {
  return TenantConfigDocumentSchema.parse({
    tenant: { id: tenantId, name: `Tenant ${tenantId}`, timeZone: REPORT_ZONE },
    sources: [
      { id: 'web', name: 'Web forms', costBasis: { kind: 'per_lead', amountCents: 2500 } },
      { id: 'affiliate', name: 'Affiliate network', costBasis: { kind: 'per_accepted_lead', amountCents: 1800 } },
      { id: 'flatco', name: 'Flat-fee partner', costBasis: { kind: 'flat', amountCents: 150_000, period: 'month' } },
    ],
    endpoints: [
      ...opts.buyers.map((b) => ({ id: b.id, name: `Buyer ${b.id}`, kind: 'buyer', bidCents: b.priceCents })),
      ...opts.locations.map((id) => ({ id, name: `Location ${id}`, kind: 'location' })),
      ...opts.agents.map((id) => ({ id, name: `Agent ${id}`, kind: 'agent' })),
    ],
  });
}

export async function seedReportTenant(conn: Connection, tenantId: string, opts: GeneratorOptions = SAMPLE_OPTIONS): Promise<void> {
  await configStore<TenantConfigDocument>(conn).publish(tenantId, reportTenantConfig(tenantId, opts), 'test');
}

/** Stores events straight into `lead_events` (what the workflow's appends amount to), in bulk. */
export async function insertEvents(conn: Connection, events: readonly LeadEvent[]): Promise<void> {
  const Events = leadEventModel(conn);
  await Events.createIndexes();
  for (let i = 0; i < events.length; i += 2000) {
    await Events.collection.insertMany(
      events.slice(i, i + 2000).map(({ id, ...rest }) => ({ _id: id, ...rest }) as never),
      { ordered: false },
    );
  }
}
