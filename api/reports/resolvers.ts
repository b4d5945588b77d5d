import type { Principal } from '../../domain/access/policy.ts';
import type { SourceReportRow } from '../../domain/reporting/report-rows.ts';
import { reportService } from '../../services/reports.ts';
import { forbidden, requirePrincipal, type ApiContext } from '../context.ts';
import { invalidInput, refused, succeeded } from '../core/payload.ts';
import type { GraphQLModule } from '../module.ts';
import { reportRequests, type ReportOutcome, type ReportRequests } from './report-request.ts';
import { reportTypeDefs } from './type-defs.ts';

const MAX_LINES = 5000;

/** GraphQL enums are upper case and absent arguments arrive as null; report arguments are lower case and absent. */
function toInput(args: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === null || v === undefined) continue;
    if (k === 'groupBy' && Array.isArray(v)) out[k] = v.map((g) => String(g).toLowerCase());
    else if (k === 'by') out[k] = String(v).toLowerCase();
    else out[k] = v;
  }
  return out;
}

const up = <S extends string>(s: S) => s.toUpperCase() as Uppercase<S>;
const rejectCounts = (r: SourceReportRow['rejectedByReason']) => ({
  invalid: r.invalid,
  duplicate: r.duplicate,
  dnc: r.dnc,
  noCoverage: r.no_coverage,
  risk: r.risk,
});

/**
 * One report query: the shared request (policy, then arguments, then the
 * slice the policy grants) as a result payload. A bad argument is a
 * UserError naming it; a report or slice the caller may not read is a
 * FORBIDDEN error, as everywhere else in the API.
 */
async function answer<T, K extends string>(
  ctx: ApiContext,
  pick: (r: ReportRequests) => (p: Principal, input: unknown) => Promise<ReportOutcome<T>>,
  args: object,
  key: K,
) {
  const principal = requirePrincipal(ctx);
  const requests = reportRequests(reportService(ctx.deps.mongo, { now: () => ctx.now }));
  const r = await pick(requests)(principal, toInput(args));
  if (r.kind === 'forbidden') throw forbidden(`Not allowed: ${r.reason}.`);
  if (r.kind === 'invalid') return refused(r.error, { [key]: null } as Record<K, null>);
  return succeeded({ [key]: r.value } as Record<K, T>);
}

/** Reports and statements: the same policy decision and argument checks as the CSV export (./csv-router.ts). */
export const reportsModule: GraphQLModule = {
  typeDefs: reportTypeDefs,
  resolvers: {
    Query: {
      sourceReport: (_, args, ctx) => answer(ctx, (r) => r.source, args, 'report'),
      endpointReport: (_, args, ctx) => answer(ctx, (r) => r.endpoint, args, 'report'),
      speedToLead: (_, args, ctx) => answer(ctx, (r) => r.speed, args, 'report'),
      sourceStatement: (_, args, ctx) => answer(ctx, (r) => r.sourceStatement, args, 'statement'),
      buyerStatement: (_, args, ctx) => answer(ctx, (r) => r.buyerStatement, args, 'statement'),
    },
    SourceReport: { from: (r) => r.args.from, to: (r) => r.args.to },
    EndpointReport: { from: (r) => r.args.from, to: (r) => r.args.to },
    SpeedReport: { from: (r) => r.args.from, to: (r) => r.args.to },
    SourceReportRow: { rejectedByReason: (row) => rejectCounts(row.rejectedByReason) },
    SpeedRow: { by: (row) => up(row.by) },
    Statement: {
      party: (s) => up(s.party),
      status: (s) => up(s.status),
      lineCount: (s) => s.lines.length,
      lines: (s, { offset, limit }) => {
        if (!Number.isInteger(offset) || offset < 0) return refused(invalidInput('offset: must be a whole number, 0 or more', 'offset'), { nodes: [] });
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LINES)
          return refused(invalidInput(`limit: must be between 1 and ${MAX_LINES}`, 'limit'), { nodes: [] });
        return succeeded({ nodes: s.lines.slice(offset, offset + limit) });
      },
    },
    StatementLine: { at: (l) => new Date(l.at).toISOString(), state: (l) => up(l.state) },
  },
};
