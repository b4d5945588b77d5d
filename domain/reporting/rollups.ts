import type { RejectReason, WorkStatus } from '../lifecycle/lead-status.ts';
import type { EndpointFact, LeadFact } from './facts.ts';
import { record, type Histogram } from './histogram.ts';

/**
 * Rollups: the facts of a block of days summed per group. A source rollup row
 * is one (source, state, county); an endpoint rollup row is one endpoint.
 * Every metric is a count, a sum of cents or a histogram, so rows of
 * different days merge by addition and a range is the sum of its blocks.
 * Money that depends on the source's cost basis is kept in both forms (cost
 * of every accepted lead, cost of every delivered lead) and chosen when the
 * report is read, so a change of contract needs no rebuild.
 */
export interface SourceMetrics {
  received: number;
  accepted: number;
  rejected: number;
  pending: number;
  /** Accepted leads waiting now (held while everyone is closed, or paced). */
  waiting: number;
  delivered: number;
  claimed: number;
  escalated: number;
  returned: number;
  billingFinal: number;
  rejectedBy: Partial<Record<RejectReason, number>>;
  returnedBy: Record<string, number>;
  /** Σ cost of leads not rejected: what a per-lead contract bills. */
  costAcceptedCents: number;
  /** Σ cost of delivered leads: what a per-accepted-lead contract bills. */
  costDeliveredCents: number;
  /** Σ credits of accepted returns. */
  creditCents: number;
  intakeToDelivery: Histogram;
  deliveryToClaim: Histogram;
}

export interface EndpointMetrics {
  leads: number;
  offered: number;
  offers: number;
  lapsed: number;
  delivered: number;
  deliveryFailures: number;
  claimed: number;
  returned: number;
  returnedBy: Record<string, number>;
  /** Σ price of priced deliveries: what buyers are billed. */
  billedCents: number;
  /** Σ price of returned priced deliveries: what buyers are credited. */
  creditedCents: number;
  statuses: Partial<Record<WorkStatus, number>>;
  /** Leads that reached contacted or further (appointment, qualified, won) with this endpoint: each counted once. */
  contacted: number;
  deliveryToClaim: Histogram;
  intakeToDelivery: Histogram;
}

export interface SourceRollupRow {
  sourceId: string;
  state: string;
  county: string;
  m: SourceMetrics;
}

export interface EndpointRollupRow {
  endpointId: string;
  m: EndpointMetrics;
}

export type RollupKind = 'source' | 'endpoint';

export const emptySourceMetrics = (): SourceMetrics => ({
  received: 0,
  accepted: 0,
  rejected: 0,
  pending: 0,
  waiting: 0,
  delivered: 0,
  claimed: 0,
  escalated: 0,
  returned: 0,
  billingFinal: 0,
  rejectedBy: {},
  returnedBy: {},
  costAcceptedCents: 0,
  costDeliveredCents: 0,
  creditCents: 0,
  intakeToDelivery: {},
  deliveryToClaim: {},
});

export const emptyEndpointMetrics = (): EndpointMetrics => ({
  leads: 0,
  offered: 0,
  offers: 0,
  lapsed: 0,
  delivered: 0,
  deliveryFailures: 0,
  claimed: 0,
  returned: 0,
  returnedBy: {},
  billedCents: 0,
  creditedCents: 0,
  statuses: {},
  contacted: 0,
  deliveryToClaim: {},
  intakeToDelivery: {},
});

const bump = (m: Record<string, number>, key: string, n = 1) => {
  m[key] = (m[key] ?? 0) + n;
};

/** Adds `add` into `target`, field by field (numbers add; maps and histograms merge). */
export function addMetrics<T extends object>(target: T, add: T): T {
  const t = target as Record<string, unknown>;
  for (const [k, v] of Object.entries(add as Record<string, unknown>)) {
    if (typeof v === 'number') t[k] = ((t[k] as number | undefined) ?? 0) + v;
    else if (v && typeof v === 'object') t[k] = addMetrics((t[k] as object | undefined) ?? {}, v);
  }
  return target;
}

export function addLeadFact(m: SourceMetrics, f: LeadFact): void {
  m.received += 1;
  if (f.outcome === 'rejected') {
    m.rejected += 1;
    bump(m.rejectedBy, f.rejectReason ?? 'invalid');
  } else if (f.outcome === 'accepted') {
    m.accepted += 1;
  } else {
    m.pending += 1;
  }
  if (f.waiting) m.waiting += 1;
  if (f.outcome !== 'rejected') m.costAcceptedCents += f.costCents;
  if (f.deliveredAt !== undefined) {
    m.delivered += 1;
    m.costDeliveredCents += f.costCents;
    record(m.intakeToDelivery, f.deliveredAt - f.receivedAt);
    if (f.claimedAt !== undefined) record(m.deliveryToClaim, f.claimedAt - f.deliveredAt);
  }
  if (f.claimedAt !== undefined) m.claimed += 1;
  if (f.escalated) m.escalated += 1;
  if (f.returned) {
    m.returned += 1;
    bump(m.returnedBy, f.returned.reason);
    m.creditCents += f.returned.creditCents;
  }
  if (f.billingFinal) m.billingFinal += 1;
}

export function addEndpointFact(m: EndpointMetrics, f: EndpointFact): void {
  m.leads += 1;
  if (f.offers > 0) m.offered += 1;
  m.offers += f.offers;
  m.lapsed += f.lapses;
  m.deliveryFailures += f.deliveryFailures;
  if (f.deliveredAt !== undefined) {
    m.delivered += 1;
    record(m.intakeToDelivery, f.deliveredAt - f.receivedAt);
    if (f.priceCents !== undefined) m.billedCents += f.priceCents;
  }
  if (f.claimedAt !== undefined) {
    m.claimed += 1;
    if (f.claimMs !== undefined) record(m.deliveryToClaim, f.claimMs);
  }
  if (f.returned) {
    m.returned += 1;
    bump(m.returnedBy, f.returned.reason);
    if (f.deliveredAt !== undefined && f.priceCents !== undefined) m.creditedCents += f.priceCents;
  }
  for (const s of f.statuses) bump(m.statuses, s);
  if (f.statuses.some((s) => CONTACTED.has(s))) m.contacted += 1;
}

const CONTACTED: ReadonlySet<WorkStatus> = new Set(['contacted', 'appointment', 'qualified', 'won']);

export const sourceRowKey = (r: Pick<SourceRollupRow, 'sourceId' | 'state' | 'county'>) => `${r.sourceId}|${r.state}|${r.county}`;

/** Source rollup rows of a set of lead facts (one day's, or any set). */
export function sourceRowsOf(facts: Iterable<LeadFact>): SourceRollupRow[] {
  const rows = new Map<string, SourceRollupRow>();
  for (const f of facts) {
    const key = sourceRowKey(f);
    let row = rows.get(key);
    if (!row) {
      row = { sourceId: f.sourceId, state: f.state, county: f.county, m: emptySourceMetrics() };
      rows.set(key, row);
    }
    addLeadFact(row.m, f);
  }
  return [...rows.values()];
}

export function endpointRowsOf(facts: Iterable<EndpointFact>): EndpointRollupRow[] {
  const rows = new Map<string, EndpointRollupRow>();
  for (const f of facts) {
    let row = rows.get(f.endpointId);
    if (!row) {
      row = { endpointId: f.endpointId, m: emptyEndpointMetrics() };
      rows.set(f.endpointId, row);
    }
    addEndpointFact(row.m, f);
  }
  return [...rows.values()];
}

/** Merges rows of several blocks into one set (same groups add up). */
export function mergeSourceRows(blocks: Iterable<readonly SourceRollupRow[]>): SourceRollupRow[] {
  const rows = new Map<string, SourceRollupRow>();
  for (const block of blocks) {
    for (const r of block) {
      const key = sourceRowKey(r);
      const row = rows.get(key);
      if (row) addMetrics(row.m, r.m);
      else rows.set(key, { sourceId: r.sourceId, state: r.state, county: r.county, m: addMetrics(emptySourceMetrics(), r.m) });
    }
  }
  return [...rows.values()];
}

export function mergeEndpointRows(blocks: Iterable<readonly EndpointRollupRow[]>): EndpointRollupRow[] {
  const rows = new Map<string, EndpointRollupRow>();
  for (const block of blocks) {
    for (const r of block) {
      const row = rows.get(r.endpointId);
      if (row) addMetrics(row.m, r.m);
      else rows.set(r.endpointId, { endpointId: r.endpointId, m: addMetrics(emptyEndpointMetrics(), r.m) });
    }
  }
  return [...rows.values()];
}

/** Id of a rollup document: one per tenant, kind and aligned block of days. */
export const rollupId = (tenantId: string, kind: RollupKind, span: number, start: string) => `${tenantId}|${kind}|${span}|${start}`;
