import type { Connection } from 'mongoose';
import type { Actor } from '../domain/lifecycle/actor.ts';
import { localDay, type TimeGrain } from '../domain/reporting/calendar.ts';
import {
  BuyerStatementArgsSchema,
  checkArgs,
  EndpointReportArgsSchema,
  endpointScope,
  grainOf,
  reportsAllowed,
  SourceReportArgsSchema,
  SourceStatementArgsSchema,
  sourceScope,
  SpeedArgsSchema,
  type Checked,
  type EndpointReportArgs,
  type SourceReportArgs,
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
 * Report queries, scoped to the actor's tenant and, for vendors and buyers,
 * to their own source or endpoint. Reports read rollup blocks; before that,
 * days changed since the last refresh are folded in (read-your-writes).
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
    async sourceReport(actor: Actor, input: unknown): Promise<Checked<ReportResult<SourceReportRow, SourceReportArgs>>> {
      const allowed = reportsAllowed(actor);
      if (!allowed.ok) return allowed;
      const args = checkArgs(SourceReportArgsSchema, input);
      if (!args.ok) return args;
      const scope = sourceScope(actor, args.value.sourceId);
      if (!scope.ok) return scope;
      const a = args.value;
      const tenantId = actor.tenantId;
      const grain = grainOf(a.groupBy);
      const [settings, { fresh, periods: read }] = await Promise.all([tenantReportSettings(conn, tenantId), freshRows(tenantId, 'source', a.from, a.to, grain)]);
      let periods = read;
      const { sourceId } = scope.value;
      if (sourceId || a.state) periods = filterRows(periods, (r) => (!sourceId || r.sourceId === sourceId) && (!a.state || r.state === a.state));
      const dims = a.groupBy.filter((g): g is 'source' | 'state' | 'county' => g === 'source' || g === 'state' || g === 'county');
      const rows = sourceReportRows(periods, dims, (id) => settings.costBases.get(id)?.kind, grain);
      return { ok: true, value: { args: { ...a, ...scope.value }, timeZone: settings.timeZone, stale: !fresh, rows } };
    },

    async endpointReport(actor: Actor, input: unknown): Promise<Checked<ReportResult<EndpointReportRow, EndpointReportArgs>>> {
      const allowed = reportsAllowed(actor);
      if (!allowed.ok) return allowed;
      const args = checkArgs(EndpointReportArgsSchema, input);
      if (!args.ok) return args;
      const scope = endpointScope(actor, args.value.endpointId);
      if (!scope.ok) return scope;
      const a = args.value;
      const tenantId = actor.tenantId;
      const grain = grainOf(a.groupBy);
      const [settings, { fresh, periods: read }] = await Promise.all([tenantReportSettings(conn, tenantId), freshRows(tenantId, 'endpoint', a.from, a.to, grain)]);
      let periods = read;
      const { endpointId } = scope.value;
      if (endpointId) periods = filterRows(periods, (r) => r.endpointId === endpointId);
      const rows = endpointReportRows(periods, a.groupBy.includes('endpoint') || !!endpointId, grain);
      return { ok: true, value: { args: { ...a, ...scope.value }, timeZone: settings.timeZone, stale: !fresh, rows } };
    },

    async speedToLead(actor: Actor, input: unknown): Promise<Checked<ReportResult<SpeedRow, SpeedArgs>>> {
      const allowed = reportsAllowed(actor);
      if (!allowed.ok) return allowed;
      const args = checkArgs(SpeedArgsSchema, input);
      if (!args.ok) return args;
      const a = args.value;
      const scope = a.by === 'source' ? sourceScope(actor, a.sourceId) : endpointScope(actor, a.endpointId);
      if (!scope.ok) return scope;
      const tenantId = actor.tenantId;
      const grain = grainOf(a.groupBy);
      const v = scope.value as { sourceId?: string; endpointId?: string };
      const [settings, { fresh, periods }] = await Promise.all([tenantReportSettings(conn, tenantId), freshRows(tenantId, a.by, a.from, a.to, grain)]);
      const rows =
        a.by === 'source'
          ? speedRows(filterRows(periods as PeriodRows<SourceRollupRow>[], (r) => !v.sourceId || r.sourceId === v.sourceId), 'source', grain)
          : speedRows(filterRows(periods as PeriodRows<EndpointRollupRow>[], (r) => !v.endpointId || r.endpointId === v.endpointId), 'endpoint', grain);
      return { ok: true, value: { args: { ...a, ...v }, timeZone: settings.timeZone, stale: !fresh, rows } };
    },

    async sourceStatement(actor: Actor, input: unknown): Promise<Checked<Statement>> {
      const allowed = reportsAllowed(actor);
      if (!allowed.ok) return allowed;
      const args = checkArgs(SourceStatementArgsSchema, input);
      if (!args.ok) return args;
      const scope = sourceScope(actor, args.value.sourceId);
      if (!scope.ok) return scope;
      const settings = await tenantReportSettings(conn, actor.tenantId);
      const facts = await store.leadFactsOfMonth(actor.tenantId, args.value.sourceId, args.value.month);
      return {
        ok: true,
        value: sourceStatement({
          tenantId: actor.tenantId,
          sourceId: args.value.sourceId,
          month: args.value.month,
          basis: settings.costBases.get(args.value.sourceId),
          facts,
          today: localDay(now(), settings.timeZone),
        }),
      };
    },

    async buyerStatement(actor: Actor, input: unknown): Promise<Checked<Statement>> {
      const allowed = reportsAllowed(actor);
      if (!allowed.ok) return allowed;
      const args = checkArgs(BuyerStatementArgsSchema, input);
      if (!args.ok) return args;
      const scope = endpointScope(actor, args.value.endpointId);
      if (!scope.ok) return scope;
      const settings = await tenantReportSettings(conn, actor.tenantId);
      const facts = await store.endpointFactsOfMonth(actor.tenantId, args.value.endpointId, args.value.month);
      return {
        ok: true,
        value: buyerStatement({ tenantId: actor.tenantId, endpointId: args.value.endpointId, month: args.value.month, facts, today: localDay(now(), settings.timeZone) }),
      };
    },
  };
}

export type ReportService = ReturnType<typeof reportService>;
