// Errors are made by graphql-yoga's own helper, so they are instances of the GraphQLError class yoga checks
// against (under vitest the graphql package can load twice, as ESM and as CommonJS).
import { createGraphQLError } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import type { Actor } from '../../domain/lifecycle/actor.ts';
import type { Checked } from '../../domain/reporting/report-args.ts';
import type { SourceReportRow } from '../../domain/reporting/report-rows.ts';
import type { Statement, StatementLine } from '../../domain/reporting/statements.ts';
import { reportService } from '../../services/reports.ts';

export interface ReportsContext {
  mongo: Connection;
  /** Who asks; undefined when the request carried no valid credentials. */
  actor?: Actor;
  /** The clock, for statements (whether a month is over). */
  now?: () => number;
}

type Args = Record<string, unknown>;

function actorOf(ctx: ReportsContext): Actor {
  if (!ctx.actor) throw createGraphQLError('Sign in to read reports.', { extensions: { code: 'UNAUTHENTICATED' } });
  return ctx.actor;
}

function unwrap<T>(r: Checked<T>): T {
  if (r.ok) return r.value;
  throw createGraphQLError(r.error.message, { extensions: { code: r.error.code, ...(r.error.field ? { field: r.error.field } : {}) } });
}

/** GraphQL enums are upper case and absent arguments arrive as null; the service wants lower case and absence. */
function toInput(args: Args): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === null || v === undefined) continue;
    if (k === 'groupBy' && Array.isArray(v)) out[k] = v.map((g) => String(g).toLowerCase());
    else if (k === 'by') out[k] = String(v).toLowerCase();
    else out[k] = v;
  }
  return out;
}

const up = (s: string) => s.toUpperCase();
const rejectCounts = (r: SourceReportRow['rejectedByReason']) => ({ invalid: r.invalid, duplicate: r.duplicate, dnc: r.dnc, noCoverage: r.no_coverage, risk: r.risk });
const statementOut = (s: Statement) => ({ ...s, party: up(s.party), status: up(s.status), lineCount: s.lines.length });

/**
 * Report queries as plain functions of (args, ctx): the same authorization
 * as every other entry point (the report service decides), errors as
 * GraphQLErrors with extensions.code FORBIDDEN, BAD_USER_INPUT or UNAUTHENTICATED.
 */
export const reportQueries = {
  async sourceReport(args: Args, ctx: ReportsContext) {
    const r = unwrap(await reportService(ctx.mongo).sourceReport(actorOf(ctx), toInput(args)));
    return { from: r.args.from, to: r.args.to, timeZone: r.timeZone, stale: r.stale, rows: r.rows.map((row) => ({ ...row, rejectedByReason: rejectCounts(row.rejectedByReason) })) };
  },
  async endpointReport(args: Args, ctx: ReportsContext) {
    const r = unwrap(await reportService(ctx.mongo).endpointReport(actorOf(ctx), toInput(args)));
    return { from: r.args.from, to: r.args.to, timeZone: r.timeZone, stale: r.stale, rows: r.rows };
  },
  async speedToLead(args: Args, ctx: ReportsContext) {
    const r = unwrap(await reportService(ctx.mongo).speedToLead(actorOf(ctx), toInput(args)));
    return { from: r.args.from, to: r.args.to, timeZone: r.timeZone, stale: r.stale, rows: r.rows.map((row) => ({ ...row, by: up(row.by) })) };
  },
  async sourceStatement(args: Args, ctx: ReportsContext) {
    return statementOut(unwrap(await reportService(ctx.mongo, ctx.now ? { now: ctx.now } : {}).sourceStatement(actorOf(ctx), toInput(args))));
  },
  async buyerStatement(args: Args, ctx: ReportsContext) {
    return statementOut(unwrap(await reportService(ctx.mongo, ctx.now ? { now: ctx.now } : {}).buyerStatement(actorOf(ctx), toInput(args))));
  },
};

const MAX_LINES = 5000;

/** Resolver map to merge into the API's schema (graphql-yoga / graphql-tools shape). */
export const reportResolvers = {
  Query: {
    sourceReport: (_root: unknown, args: Args, ctx: ReportsContext) => reportQueries.sourceReport(args, ctx),
    endpointReport: (_root: unknown, args: Args, ctx: ReportsContext) => reportQueries.endpointReport(args, ctx),
    speedToLead: (_root: unknown, args: Args, ctx: ReportsContext) => reportQueries.speedToLead(args, ctx),
    sourceStatement: (_root: unknown, args: Args, ctx: ReportsContext) => reportQueries.sourceStatement(args, ctx),
    buyerStatement: (_root: unknown, args: Args, ctx: ReportsContext) => reportQueries.buyerStatement(args, ctx),
  },
  Statement: {
    lines: (s: { lines: StatementLine[] }, args: { offset?: number | null; limit?: number | null }) => {
      const offset = args.offset ?? 0;
      const limit = args.limit ?? 500;
      if (!Number.isInteger(offset) || offset < 0) throw createGraphQLError('offset: must be a whole number, 0 or more', { extensions: { code: 'BAD_USER_INPUT', field: 'offset' } });
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LINES) {
        throw createGraphQLError(`limit: must be between 1 and ${MAX_LINES}`, { extensions: { code: 'BAD_USER_INPUT', field: 'limit' } });
      }
      return s.lines.slice(offset, offset + limit).map((l) => ({ ...l, at: new Date(l.at).toISOString(), state: up(l.state) }));
    },
  },
};
