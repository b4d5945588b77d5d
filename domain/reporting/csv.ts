import { stringify } from 'csv-stringify/sync';
import { REJECT_REASONS, WORK_STATUSES } from '../lifecycle/lead-status.ts';
import type { EndpointReportRow, SourceReportRow, SpeedRow } from './report-rows.ts';
import type { Statement, StatementLine } from './statements.ts';

export type Cell = string | number | null | undefined;
export interface Column<R> {
  header: string;
  value: (row: R) => Cell;
}

/**
 * One CSV record (RFC 4180, "\n"-terminated). Text cells that a spreadsheet
 * would run as a formula (=, +, -, @ …) are prefixed with "'"; numbers are
 * written as they are.
 */
export function csvRecord(cells: readonly Cell[]): string {
  return stringify([cells.map((c) => (c === null || c === undefined ? '' : c))], { escape_formulas: true });
}

export const csvHeader = <R>(columns: readonly Column<R>[]) => csvRecord(columns.map((c) => c.header));
export const csvLine = <R>(columns: readonly Column<R>[], row: R) => csvRecord(columns.map((c) => c.value(row)));

const rate = (x: number | null) => (x === null ? null : Number(x.toFixed(4)));

export function sourceReportColumns(opts: { period: boolean; source: boolean; state: boolean; county: boolean }): Column<SourceReportRow>[] {
  return [
    ...(opts.period ? [{ header: 'period', value: (r: SourceReportRow) => r.period }] : []),
    ...(opts.source ? [{ header: 'source', value: (r: SourceReportRow) => r.sourceId }] : []),
    ...(opts.state ? [{ header: 'state', value: (r: SourceReportRow) => r.state }] : []),
    ...(opts.county ? [{ header: 'county', value: (r: SourceReportRow) => r.county }] : []),
    { header: 'received', value: (r) => r.received },
    { header: 'accepted', value: (r) => r.accepted },
    { header: 'rejected', value: (r) => r.rejected },
    ...REJECT_REASONS.map((reason) => ({ header: `rejected_${reason}`, value: (r: SourceReportRow) => r.rejectedByReason[reason] })),
    { header: 'pending', value: (r) => r.pending },
    { header: 'waiting', value: (r) => r.waiting },
    { header: 'delivered', value: (r) => r.delivered },
    { header: 'claimed', value: (r) => r.claimed },
    { header: 'escalated', value: (r) => r.escalated },
    { header: 'returned', value: (r) => r.returned },
    { header: 'returned_by_reason', value: (r) => r.returnedByReason.map((x) => `${x.reason}:${x.count}`).join(' ') },
    { header: 'spend_cents', value: (r) => r.spendCents },
    { header: 'credit_cents', value: (r) => r.creditCents },
    { header: 'net_cost_cents', value: (r) => r.netCostCents },
    { header: 'cost_per_accepted_cents', value: (r) => r.costPerAcceptedCents },
    { header: 'acceptance_rate', value: (r) => rate(r.acceptanceRate) },
    { header: 'return_rate', value: (r) => rate(r.returnRate) },
    { header: 'intake_to_delivery_median_ms', value: (r) => r.intakeToDelivery.medianMs },
    { header: 'intake_to_delivery_p90_ms', value: (r) => r.intakeToDelivery.p90Ms },
    { header: 'delivery_to_claim_median_ms', value: (r) => r.deliveryToClaim.medianMs },
    { header: 'delivery_to_claim_p90_ms', value: (r) => r.deliveryToClaim.p90Ms },
  ];
}

export function endpointReportColumns(opts: { period: boolean; endpoint: boolean }): Column<EndpointReportRow>[] {
  return [
    ...(opts.period ? [{ header: 'period', value: (r: EndpointReportRow) => r.period }] : []),
    ...(opts.endpoint ? [{ header: 'endpoint', value: (r: EndpointReportRow) => r.endpointId }] : []),
    { header: 'leads', value: (r) => r.leads },
    { header: 'offered', value: (r) => r.offered },
    { header: 'offers', value: (r) => r.offers },
    { header: 'claimed', value: (r) => r.claimed },
    { header: 'lapsed', value: (r) => r.lapsed },
    { header: 'delivered', value: (r) => r.delivered },
    { header: 'delivery_failures', value: (r) => r.deliveryFailures },
    { header: 'returned', value: (r) => r.returned },
    { header: 'returned_by_reason', value: (r) => r.returnedByReason.map((x) => `${x.reason}:${x.count}`).join(' ') },
    { header: 'billed_cents', value: (r) => r.billedCents },
    { header: 'credited_cents', value: (r) => r.creditedCents },
    { header: 'net_cents', value: (r) => r.netCents },
    { header: 'claim_rate', value: (r) => rate(r.claimRate) },
    { header: 'delivery_to_claim_median_ms', value: (r) => r.deliveryToClaim.medianMs },
    { header: 'delivery_to_claim_p90_ms', value: (r) => r.deliveryToClaim.p90Ms },
    { header: 'intake_to_delivery_median_ms', value: (r) => r.intakeToDelivery.medianMs },
    { header: 'intake_to_delivery_p90_ms', value: (r) => r.intakeToDelivery.p90Ms },
    ...WORK_STATUSES.map((s) => ({ header: `reached_${s}`, value: (r: EndpointReportRow) => r.statusesReached[s] })),
  ];
}

export function speedColumns(opts: { period: boolean }): Column<SpeedRow>[] {
  return [
    ...(opts.period ? [{ header: 'period', value: (r: SpeedRow) => r.period }] : []),
    { header: 'by', value: (r) => r.by },
    { header: 'id', value: (r) => r.id },
    { header: 'delivered', value: (r) => r.delivered },
    { header: 'intake_to_delivery_median_ms', value: (r) => r.intakeToDelivery.medianMs },
    { header: 'intake_to_delivery_p90_ms', value: (r) => r.intakeToDelivery.p90Ms },
    { header: 'delivery_to_claim_median_ms', value: (r) => r.deliveryToClaim.medianMs },
    { header: 'delivery_to_claim_p90_ms', value: (r) => r.deliveryToClaim.p90Ms },
  ];
}

export const statementLineColumns: Column<StatementLine>[] = [
  { header: 'lead_id', value: (l) => l.leadId },
  { header: 'at', value: (l) => new Date(l.at).toISOString() },
  { header: 'billed_cents', value: (l) => l.billedCents },
  { header: 'credited_cents', value: (l) => l.creditedCents },
  { header: 'net_cents', value: (l) => l.netCents },
  { header: 'state', value: (l) => l.state },
  { header: 'reject_reason', value: (l) => l.rejectReason },
  { header: 'return_reason', value: (l) => l.returnReason },
];

/** The statement's closing record, after its lines: the totals under the same columns, state = the statement's status. */
export function statementTotalsRecord(s: Statement): string {
  return csvRecord([
    `TOTAL ${s.party} ${s.partyId} ${s.period}`,
    null,
    s.billedCents,
    s.creditedCents,
    s.netCents,
    s.status,
    null,
    s.flatFeeCents ? `flat fee ${s.flatFeeCents}` : null,
  ]);
}
