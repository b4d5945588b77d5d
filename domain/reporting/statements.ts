import type { CostBasis } from '../../schema/source.ts';
import { dayNumber, monthRange } from './calendar.ts';
import type { EndpointFact, LeadFact } from './facts.ts';

/**
 * Reconciliation statements: what a source is owed and what a buyer owes for
 * one month, line by line, computed from the lead facts (so from the lead
 * events). A statement closes by itself once the month is over and every
 * line is settled; nobody signs anything off.
 *
 * Source lines (one per lead received in the month, in the tenant's zone):
 * - a rejected lead (any reason) is not billed;
 * - per_lead bills the lead's cost for every lead not rejected, delivered or not;
 * - per_accepted_lead bills it only once a receiver got the lead (delivered);
 * - flat bills the contract amount once per period and every lead line is 0;
 * - an accepted return credits the lead's credit; net = billed − credited.
 * A line is settled when the lead was rejected or credited, or its billing is
 * final (its return window closed). Where the lead's own final billed amount
 * disagrees with the line's net, the line is a discrepancy and the statement
 * stays open until someone looks: it never closes over a difference.
 *
 * Buyer lines (one per priced delivery to the endpoint in the month): billed
 * the delivery's price, credited the same price when a return is accepted
 * while the lead is theirs; settled when credited, final, or passed on to
 * another receiver.
 */
export type LineState = 'open' | 'final' | 'credited' | 'not_billed';

export interface StatementLine {
  leadId: string;
  /** When the lead was received (source) or delivered to the buyer (buyer). */
  at: number;
  billedCents: number;
  creditedCents: number;
  netCents: number;
  state: LineState;
  rejectReason?: string;
  returnReason?: string;
}

export interface Discrepancy {
  leadId: string;
  /** The statement's net for the lead. */
  expectedCents: number;
  /** What the lead's billing_final event recorded. */
  recordedCents: number;
}

export interface Statement {
  party: 'source' | 'buyer';
  partyId: string;
  tenantId: string;
  /** "YYYY-MM" in the tenant's zone. */
  period: string;
  basis?: CostBasis['kind'];
  status: 'open' | 'closed';
  /** Why it is still open, in words; empty when closed. */
  openReason: string;
  leads: number;
  leadsBilled: number;
  billedCents: number;
  returnsCredited: number;
  creditedCents: number;
  flatFeeCents: number;
  netCents: number;
  openLines: number;
  discrepancies: Discrepancy[];
  lines: StatementLine[];
}

/** The flat fee a source earns in a month: a month's fee, the weeks starting in it, or the quarter's or year's fee in its first month. */
export function flatFeeFor(basis: Extract<CostBasis, { kind: 'flat' }>, month: string): number {
  const m = Number(month.slice(5, 7));
  switch (basis.period) {
    case 'month':
      return basis.amountCents;
    case 'quarter':
      return (m - 1) % 3 === 0 ? basis.amountCents : 0;
    case 'year':
      return m === 1 ? basis.amountCents : 0;
    case 'week': {
      const { from, to } = monthRange(month);
      let mondays = 0;
      for (let n = dayNumber(from)!; n <= dayNumber(to)!; n++) if ((n + 3) % 7 === 0) mondays += 1;
      return mondays * basis.amountCents;
    }
  }
}

export function sourceLine(f: LeadFact, basis: CostBasis['kind'] | undefined): StatementLine {
  const base = { leadId: f.leadId, at: f.receivedAt };
  if (f.outcome === 'rejected') {
    return { ...base, billedCents: 0, creditedCents: 0, netCents: 0, state: 'not_billed', ...(f.rejectReason ? { rejectReason: f.rejectReason } : {}) };
  }
  const settledState: LineState | undefined = f.returned ? 'credited' : f.billingFinal ? 'final' : undefined;
  const returnReason = f.returned ? { returnReason: f.returned.reason } : {};
  if (basis === 'flat') return { ...base, billedCents: 0, creditedCents: 0, netCents: 0, state: settledState ?? 'open', ...returnReason };
  const billed = basis === 'per_accepted_lead' && f.deliveredAt === undefined ? 0 : f.costCents;
  const credited = f.returned && billed > 0 ? Math.min(f.returned.creditCents, billed) : 0;
  return { ...base, billedCents: billed, creditedCents: credited, netCents: billed - credited, state: settledState ?? 'open', ...returnReason };
}

export function buyerLine(f: EndpointFact): StatementLine | undefined {
  if (f.priceCents === undefined || f.deliveredAt === undefined) return undefined;
  const credited = f.returned ? f.priceCents : 0;
  const state: LineState = f.returned ? 'credited' : f.billingFinalAt !== undefined || f.movedOn ? 'final' : 'open';
  return {
    leadId: f.leadId,
    at: f.deliveredAt,
    billedCents: f.priceCents,
    creditedCents: credited,
    netCents: f.priceCents - credited,
    state,
    ...(f.returned ? { returnReason: f.returned.reason } : {}),
  };
}

function summarise(
  head: Pick<Statement, 'party' | 'partyId' | 'tenantId' | 'period' | 'basis'>,
  lines: StatementLine[],
  flatFeeCents: number,
  discrepancies: Discrepancy[],
  today: string,
): Statement {
  lines.sort((a, b) => a.at - b.at || a.leadId.localeCompare(b.leadId));
  let billed = flatFeeCents;
  let credited = 0;
  let leadsBilled = 0;
  let returnsCredited = 0;
  let openLines = 0;
  for (const l of lines) {
    billed += l.billedCents;
    credited += l.creditedCents;
    if (l.billedCents > 0) leadsBilled += 1;
    if (l.creditedCents > 0) returnsCredited += 1;
    if (l.state === 'open') openLines += 1;
  }
  const monthOver = today > monthRange(head.period).to;
  const reasons: string[] = [];
  if (!monthOver) reasons.push(`the month is not over (it ends ${monthRange(head.period).to})`);
  if (openLines > 0) reasons.push(`${openLines} lead${openLines === 1 ? '' : 's'} not yet final (return window open or not yet delivered)`);
  if (discrepancies.length > 0)
    reasons.push(`${discrepancies.length} lead${discrepancies.length === 1 ? '' : 's'} whose final billed amount differs from the statement`);
  return {
    ...head,
    status: reasons.length === 0 ? 'closed' : 'open',
    openReason: reasons.join('; '),
    leads: lines.length,
    leadsBilled,
    billedCents: billed,
    returnsCredited,
    creditedCents: credited,
    flatFeeCents,
    netCents: billed - credited,
    openLines,
    discrepancies,
    lines,
  };
}

/**
 * A source's statement for a month. `facts` are the source's leads received
 * in that month; `today` is the tenant's local date (the month must be over
 * for the statement to close).
 */
export function sourceStatement(args: {
  tenantId: string;
  sourceId: string;
  month: string;
  basis: CostBasis | undefined;
  facts: Iterable<LeadFact>;
  today: string;
}): Statement {
  const kind = args.basis?.kind;
  const lines: StatementLine[] = [];
  const discrepancies: Discrepancy[] = [];
  for (const f of args.facts) {
    const line = sourceLine(f, kind);
    lines.push(line);
    if (kind !== 'flat' && f.billingFinal && f.billingFinal.billedCents !== line.netCents) {
      discrepancies.push({ leadId: f.leadId, expectedCents: line.netCents, recordedCents: f.billingFinal.billedCents });
    }
  }
  const flat = args.basis?.kind === 'flat' ? flatFeeFor(args.basis, args.month) : 0;
  return summarise(
    { party: 'source', partyId: args.sourceId, tenantId: args.tenantId, period: args.month, ...(kind ? { basis: kind } : {}) },
    lines,
    flat,
    discrepancies,
    args.today,
  );
}

/** A buyer endpoint's statement for a month: `facts` are its endpoint facts billed in that month. */
export function buyerStatement(args: { tenantId: string; endpointId: string; month: string; facts: Iterable<EndpointFact>; today: string }): Statement {
  const lines: StatementLine[] = [];
  for (const f of args.facts) {
    const line = buyerLine(f);
    if (line) lines.push(line);
  }
  return summarise({ party: 'buyer', partyId: args.endpointId, tenantId: args.tenantId, period: args.month }, lines, 0, [], args.today);
}
