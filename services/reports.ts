import type { Connection } from 'mongoose';
import type { ReportScope } from '../domain/access/policy.ts';
import { localDay, type TimeGrain } from '../domain/reporting/calendar.ts';
import {
  grainOf,
  type BuyerStatementArgs,
  type EndpointReportArgs,
  type SourceReportArgs,
  type SourceStatementArgs,
  type SpeedArgs,
} from '../domain/reporting/report-args.ts';
import {
  endpointReportRows,
  sourceReportRows,
  speedRows,
  type EndpointReportRow,
  type PeriodRows,
  type SourceReportRow,
  type SpeedRow,
} from '../domain/reporting/report-rows.ts';
import type { EndpointRollupRow, SourceRollupRow } from '../domain/reporting/rollups.ts';
import { buyerStatement, sourceStatement, type Statement } from '../domain/reporting/statements.ts';
import { reportStore, tenantReportSettings, type ReportStore } from '../db/report-store.ts';

export interface ReportResult<R, A> {
  args: A;
  timeZone: string;
  /** Some changes in the range were not yet folded into the rollups (a refresh was under way elsewhere). */
  stale: boolean;
  rows: R[];
}

const REFRESH_WAIT_MS = 3000;

/**
 * Report queries over checked arguments (domain/reporting/report-args.ts),
 * limited to the scope the policy granted (`reportScope`: a tenant, and for
 * vendors and buyers their own source or endpoint). Reports read rollup
 * blocks; before that, days changed since the last refresh are folded in
 * (read-your-writes).
 */
export function reportService(conn: Connection, opts: { now?: () => number } = {}) {
  const store: ReportStore = reportStore(conn);
  const now = opts.now ?? Date.now;

  /** Folds pending changes in [from, to] into the rollups; false when another refresher kept them past the wait. */
  async function ensureFresh(tenantId: string, from: string, to: string): Promise<boolean> {
    const deadline = Date.now() + REFRESH_WAIT_MS;
    for (;;) {
      if ((await store.pendingDays(tenantId, from, to)).length === 0) return true;
      const r = await store.refresh(tenantId);
      if (r !== 'busy') continue; // marks written meanwhile may remain: look again
      if (Date.now() > deadline) return false;
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  /** Pending changes folded in first, then the rollup rows of each period. */
  async function freshRows<K extends 'source' | 'endpoint'>(tenantId: string, kind: K, from: string, to: string, grain: TimeGrain | undefined) {
    const fresh = await ensureFresh(tenantId, from, to);
    return { fresh, periods: await store.periodRows(tenantId, kind, from, to, grain) };
  }

  const filterRows = <R extends SourceRollupRow | EndpointRollupRow>(periods: PeriodRows<R>[], keep: (r: R) => boolean): PeriodRows<R>[] =>
    periods.map((p) => ({ period: p.period, rows: p.rows.filter(keep) }));

  return {
    async sourceReport(scope: ReportScope, a: SourceReportArgs): Promise<ReportResult<SourceReportRow, SourceReportArgs>> {
      const { tenantId, sourceId } = scope;
      const grain = grainOf(a.groupBy);
      const [settings, { fresh, periods: read }] = await Promise.all([
        tenantReportSettings(conn, tenantId),
        freshRows(tenantId, 'source', a.from, a.to, grain),
      ]);
      let periods = read;
      if (sourceId || a.state) periods = filterRows(periods, (r) => (!sourceId || r.sourceId === sourceId) && (!a.state || r.state === a.state));
      const dims = a.groupBy.filter((g): g is 'source' | 'state' | 'county' => g === 'source' || g === 'state' || g === 'county');
      const rows = sourceReportRows(periods, dims, (id) => settings.costBases.get(id)?.kind, grain);
      return { args: { ...a, ...(sourceId ? { sourceId } : {}) }, timeZone: settings.timeZone, stale: !fresh, rows };
    },

    async endpointReport(scope: ReportScope, a: EndpointReportArgs): Promise<ReportResult<EndpointReportRow, EndpointReportArgs>> {
      const { tenantId, endpointId } = scope;
      const grain = grainOf(a.groupBy);
      const [settings, { fresh, periods: read }] = await Promise.all([
        tenantReportSettings(conn, tenantId),
        freshRows(tenantId, 'endpoint', a.from, a.to, grain),
      ]);
      let periods = read;
      if (endpointId) periods = filterRows(periods, (r) => r.endpointId === endpointId);
      const rows = endpointReportRows(periods, a.groupBy.includes('endpoint') || !!endpointId, grain);
      return { args: { ...a, ...(endpointId ? { endpointId } : {}) }, timeZone: settings.timeZone, stale: !fresh, rows };
    },

    async speedToLead(scope: ReportScope, a: SpeedArgs): Promise<ReportResult<SpeedRow, SpeedArgs>> {
      const { tenantId } = scope;
      const grain = grainOf(a.groupBy);
      // Only the side the report is by narrows it: a speed report by source ignores an endpoint scope, and back.
      const v = a.by === 'source' ? (scope.sourceId ? { sourceId: scope.sourceId } : {}) : scope.endpointId ? { endpointId: scope.endpointId } : {};
      const [settings, { fresh, periods }] = await Promise.all([tenantReportSettings(conn, tenantId), freshRows(tenantId, a.by, a.from, a.to, grain)]);
      const rows =
        a.by === 'source'
          ? speedRows(
              filterRows(periods as PeriodRows<SourceRollupRow>[], (r) => !v.sourceId || r.sourceId === v.sourceId),
              'source',
              grain,
            )
          : speedRows(
              filterRows(periods as PeriodRows<EndpointRollupRow>[], (r) => !v.endpointId || r.endpointId === v.endpointId),
              'endpoint',
              grain,
            );
      return { args: { ...a, ...v }, timeZone: settings.timeZone, stale: !fresh, rows };
    },

    /** One source's statement; the scope is the policy's answer for that source. */
    async sourceStatement(scope: ReportScope, a: SourceStatementArgs): Promise<Statement> {
      const { tenantId } = scope;
      const sourceId = scope.sourceId ?? a.sourceId;
      const settings = await tenantReportSettings(conn, tenantId);
      const facts = await store.leadFactsOfMonth(tenantId, sourceId, a.month);
      return sourceStatement({ tenantId, sourceId, month: a.month, basis: settings.costBases.get(sourceId), facts, today: localDay(now(), settings.timeZone) });
    },

    /** One buyer endpoint's statement; the scope is the policy's answer for that endpoint. */
    async buyerStatement(scope: ReportScope, a: BuyerStatementArgs): Promise<Statement> {
      const { tenantId } = scope;
      const endpointId = scope.endpointId ?? a.endpointId;
      const settings = await tenantReportSettings(conn, tenantId);
      const facts = await store.endpointFactsOfMonth(tenantId, endpointId, a.month);
      return buyerStatement({ tenantId, endpointId, month: a.month, facts, today: localDay(now(), settings.timeZone) });
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
