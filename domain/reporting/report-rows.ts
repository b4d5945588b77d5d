import { REJECT_REASONS, WORK_STATUSES, type RejectReason, type WorkStatus } from '../lifecycle/lead-status.ts';
import type { TimeGrain } from './calendar.ts';
import { histogramCount, mergeInto, percentile, type Histogram } from './histogram.ts';
import { addMetrics, emptyEndpointMetrics, emptySourceMetrics, type EndpointRollupRow, type SourceMetrics, type SourceRollupRow } from './rollups.ts';

export type CostBasisKind = 'per_lead' | 'per_accepted_lead' | 'flat';

export interface Timing {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/** Reason counts, most frequent first, ties by reason, so rows compare and export the same every time. */
function byCountThenReason(counts: Record<string, number>): Array<{ reason: string; count: number }> {
  return Object.entries(counts)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

export function timingOf(h: Histogram): Timing {
  return { count: histogramCount(h), medianMs: percentile(h, 0.5) ?? null, p90Ms: percentile(h, 0.9) ?? null };
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Rows of one period: `period` is the first day of the period, or the range start without a time grain. */
export interface PeriodRows<R> {
  period: string;
  rows: readonly R[];
}

// --- source × market report

export const SOURCE_DIMENSIONS = ['source', 'state', 'county'] as const;
export type SourceDimension = (typeof SOURCE_DIMENSIONS)[number];

export interface SourceReportRow {
  period?: string;
  sourceId?: string;
  state?: string;
  county?: string;
  received: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<RejectReason, number>;
  /** Received, not yet validated. */
  pending: number;
  /** Accepted and waiting now: held while everyone who could take them is closed, or paced. */
  waiting: number;
  delivered: number;
  claimed: number;
  escalated: number;
  returned: number;
  returnedByReason: Array<{ reason: string; count: number }>;
  /** Lead-level cost by each source's basis (flat fees are on the statement, not here). */
  spendCents: number;
  creditCents: number;
  netCostCents: number;
  /** Net cost ÷ accepted leads, whole cents (rounded half up). */
  costPerAcceptedCents: number | null;
  /** Accepted ÷ (accepted + rejected): leads still in validation do not count yet. */
  acceptanceRate: number | null;
  /** Returned ÷ delivered. */
  returnRate: number | null;
  intakeToDelivery: Timing;
  deliveryToClaim: Timing;
}

/** Lead-level spend and credit of a rollup row under its source's basis (unknown sources count as per lead). */
export function moneyOf(m: SourceMetrics, basis: CostBasisKind | undefined): { spendCents: number; creditCents: number } {
  if (basis === 'flat') return { spendCents: 0, creditCents: 0 };
  if (basis === 'per_accepted_lead') return { spendCents: m.costDeliveredCents, creditCents: m.creditCents };
  return { spendCents: m.costAcceptedCents, creditCents: m.creditCents };
}

export function sourceReportRows(
  periods: readonly PeriodRows<SourceRollupRow>[],
  groupBy: readonly SourceDimension[],
  basisOf: (sourceId: string) => CostBasisKind | undefined,
  grain: TimeGrain | undefined,
): SourceReportRow[] {
  const bySource = groupBy.includes('source');
  const byCounty = groupBy.includes('county');
  const byState = byCounty || groupBy.includes('state');
  const out: SourceReportRow[] = [];
  for (const { period, rows } of periods) {
    const groups = new Map<string, { key: Pick<SourceReportRow, 'sourceId' | 'state' | 'county'>; m: SourceMetrics; spend: number; credit: number }>();
    for (const r of rows) {
      const key = {
        ...(bySource ? { sourceId: r.sourceId } : {}),
        ...(byState ? { state: r.state } : {}),
        ...(byCounty ? { county: r.county } : {}),
      };
      const k = `${key.sourceId ?? ''}|${key.state ?? ''}|${key.county ?? ''}`;
      let g = groups.get(k);
      if (!g) {
        g = { key, m: emptySourceMetrics(), spend: 0, credit: 0 };
        groups.set(k, g);
      }
      addMetrics(g.m, r.m);
      const money = moneyOf(r.m, basisOf(r.sourceId));
      g.spend += money.spendCents;
      g.credit += money.creditCents;
    }
    const rowsOut = [...groups.values()].map(({ key, m, spend, credit }): SourceReportRow => {
      const net = spend - credit;
      return {
        ...(grain ? { period } : {}),
        ...key,
        received: m.received,
        accepted: m.accepted,
        rejected: m.rejected,
        rejectedByReason: Object.fromEntries(REJECT_REASONS.map((r) => [r, m.rejectedBy[r] ?? 0])) as Record<RejectReason, number>,
        pending: m.pending,
        waiting: m.waiting ?? 0,
        delivered: m.delivered,
        claimed: m.claimed,
        escalated: m.escalated,
        returned: m.returned,
        returnedByReason: byCountThenReason(m.returnedBy),
        spendCents: spend,
        creditCents: credit,
        netCostCents: net,
        costPerAcceptedCents: m.accepted > 0 ? Math.round(net / m.accepted) : null,
        acceptanceRate: ratio(m.accepted, m.accepted + m.rejected),
        returnRate: ratio(m.returned, m.delivered),
        intakeToDelivery: timingOf(m.intakeToDelivery),
        deliveryToClaim: timingOf(m.deliveryToClaim),
      };
    });
    rowsOut.sort(
      (a, b) =>
        (a.sourceId ?? '').localeCompare(b.sourceId ?? '') || (a.state ?? '').localeCompare(b.state ?? '') || (a.county ?? '').localeCompare(b.county ?? ''),
    );
    out.push(...rowsOut);
  }
  return out;
}

// --- endpoint report

export interface EndpointReportRow {
  period?: string;
  endpointId?: string;
  /** Leads that reached the endpoint (offer, delivery or hand assignment). */
  leads: number;
  /** Leads offered to it (waiting for its claim), and offer rounds in all. */
  offered: number;
  offers: number;
  claimed: number;
  lapsed: number;
  delivered: number;
  deliveryFailures: number;
  returned: number;
  returnedByReason: Array<{ reason: string; count: number }>;
  billedCents: number;
  creditedCents: number;
  netCents: number;
  /** Claimed ÷ offered leads. */
  claimRate: number | null;
  deliveryToClaim: Timing;
  intakeToDelivery: Timing;
  statusesReached: Record<WorkStatus, number>;
  /** Leads that reached contacted or further, each counted once. */
  contacted: number;
}

export function endpointReportRows(periods: readonly PeriodRows<EndpointRollupRow>[], byEndpoint: boolean, grain: TimeGrain | undefined): EndpointReportRow[] {
  const out: EndpointReportRow[] = [];
  for (const { period, rows } of periods) {
    const groups = new Map<string, ReturnType<typeof emptyEndpointMetrics>>();
    for (const r of rows) {
      const k = byEndpoint ? r.endpointId : '';
      const m = groups.get(k) ?? emptyEndpointMetrics();
      groups.set(k, addMetrics(m, r.m));
    }
    const rowsOut = [...groups.entries()].map(([endpointId, m]): EndpointReportRow => ({
      ...(grain ? { period } : {}),
      ...(byEndpoint ? { endpointId } : {}),
      leads: m.leads,
      offered: m.offered,
      offers: m.offers,
      claimed: m.claimed,
      lapsed: m.lapsed,
      delivered: m.delivered,
      deliveryFailures: m.deliveryFailures,
      returned: m.returned,
      returnedByReason: byCountThenReason(m.returnedBy),
      billedCents: m.billedCents,
      creditedCents: m.creditedCents,
      netCents: m.billedCents - m.creditedCents,
      claimRate: ratio(m.claimed, m.offered),
      deliveryToClaim: timingOf(m.deliveryToClaim),
      intakeToDelivery: timingOf(m.intakeToDelivery),
      statusesReached: Object.fromEntries(WORK_STATUSES.map((s) => [s, m.statuses[s] ?? 0])) as Record<WorkStatus, number>,
      contacted: m.contacted ?? 0,
    }));
    rowsOut.sort((a, b) => (a.endpointId ?? '').localeCompare(b.endpointId ?? ''));
    out.push(...rowsOut);
  }
  return out;
}

// --- speed to lead

export interface SpeedRow {
  period?: string;
  /** 'source' or 'endpoint' */
  by: 'source' | 'endpoint';
  id: string;
  delivered: number;
  intakeToDelivery: Timing;
  deliveryToClaim: Timing;
}

export function speedRows(
  periods: readonly PeriodRows<SourceRollupRow>[] | readonly PeriodRows<EndpointRollupRow>[],
  by: 'source' | 'endpoint',
  grain: TimeGrain | undefined,
): SpeedRow[] {
  const out: SpeedRow[] = [];
  for (const { period, rows } of periods) {
    const groups = new Map<string, { delivered: number; itd: Histogram; dtc: Histogram }>();
    for (const r of rows as ReadonlyArray<SourceRollupRow | EndpointRollupRow>) {
      const id = 'sourceId' in r ? r.sourceId : r.endpointId;
      const g = groups.get(id) ?? { delivered: 0, itd: {}, dtc: {} };
      g.delivered += r.m.delivered;
      mergeInto(g.itd, r.m.intakeToDelivery);
      mergeInto(g.dtc, r.m.deliveryToClaim);
      groups.set(id, g);
    }
    const rowsOut = [...groups.entries()]
      .map(([id, g]): SpeedRow => ({
        ...(grain ? { period } : {}),
        by,
        id,
        delivered: g.delivered,
        intakeToDelivery: timingOf(g.itd),
        deliveryToClaim: timingOf(g.dtc),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    out.push(...rowsOut);
  }
  return out;
}
