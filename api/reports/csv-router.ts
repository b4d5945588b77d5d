import { once } from 'node:events';
import express, { type Request, type Response, type Router } from 'express';
import type { Connection } from 'mongoose';
import type { Principal } from '../../domain/access/policy.ts';
import {
  csvHeader,
  csvLine,
  endpointReportColumns,
  sourceReportColumns,
  speedColumns,
  statementLineColumns,
  statementTotalsRecord,
} from '../../domain/reporting/csv.ts';
import { grainOf } from '../../domain/reporting/report-args.ts';
import { reportService } from '../../services/reports.ts';
import { invalidInput, userError, type Checked, type UserError } from '../core/payload.ts';
import { reportRequests, type ReportOutcome, type ReportRequests } from './report-request.ts';

export interface ReportsCsvDeps {
  mongo: Connection;
  /** Resolves who is asking (a bearer token, an API key…); undefined when nobody valid is. The policy decides what they may export. */
  authenticate: (req: Request) => Promise<Principal | undefined>;
  now?: () => number;
}

const REPORTS = ['source', 'endpoint', 'speed', 'source-statement', 'buyer-statement'] as const;
type ReportName = (typeof REPORTS)[number];

/** Query string → report arguments. Repeated parameters are an error; groupBy is comma-separated. */
function argsFrom(query: Request['query']): Checked<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v) || (v !== undefined && typeof v !== 'string')) return { ok: false, error: invalidInput(`${k}: give it once, as plain text`, k) };
    if (v === undefined || v === '') continue;
    out[k] =
      k === 'groupBy'
        ? v
            .split(',')
            .map((g) => g.trim().toLowerCase())
            .filter(Boolean)
        : k === 'by'
          ? v.toLowerCase()
          : v;
  }
  return { ok: true, value: out };
}

/**
 * A refusal before the first row: a status and the API's error shape,
 * `{ errors: [{ code, message, field? }] }`, with the GraphQL API's codes
 * (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_INPUT).
 */
type Refusal = { status: number; error: UserError };
const refuse = (res: Response, { status, error }: Refusal) => res.status(status).json({ errors: [error] });

const unwrap = <T>(r: ReportOutcome<T>): T => {
  if (r.kind === 'ok') return r.value;
  const refusal: Refusal =
    r.kind === 'forbidden' ? { status: 403, error: { code: 'FORBIDDEN', message: `Not allowed: ${r.reason}.` } } : { status: 400, error: r.error };
  throw Object.assign(new Error(refusal.error.message), { refusal });
};

async function* lines(
  report: ReportName,
  requests: ReportRequests,
  principal: Principal,
  args: Record<string, unknown>,
): AsyncGenerator<string, void, undefined> {
  switch (report) {
    case 'source': {
      const r = unwrap(await requests.source(principal, args));
      const g = r.args.groupBy;
      const cols = sourceReportColumns({
        period: !!grainOf(g),
        source: g.includes('source'),
        state: g.includes('state') || g.includes('county'),
        county: g.includes('county'),
      });
      yield csvHeader(cols);
      for (const row of r.rows) yield csvLine(cols, row);
      return;
    }
    case 'endpoint': {
      const r = unwrap(await requests.endpoint(principal, args));
      const g = r.args.groupBy;
      const cols = endpointReportColumns({ period: !!grainOf(g), endpoint: g.includes('endpoint') || !!r.args.endpointId });
      yield csvHeader(cols);
      for (const row of r.rows) yield csvLine(cols, row);
      return;
    }
    case 'speed': {
      const r = unwrap(await requests.speed(principal, args));
      const cols = speedColumns({ period: !!grainOf(r.args.groupBy) });
      yield csvHeader(cols);
      for (const row of r.rows) yield csvLine(cols, row);
      return;
    }
    case 'source-statement':
    case 'buyer-statement': {
      const r = unwrap(report === 'source-statement' ? await requests.sourceStatement(principal, args) : await requests.buyerStatement(principal, args));
      yield csvHeader(statementLineColumns);
      for (const line of r.lines) yield csvLine(statementLineColumns, line);
      yield statementTotalsRecord(r);
      return;
    }
  }
}

/** Writes with back-pressure: waits for the socket to drain rather than buffering a whole report. */
async function pipeLines(res: Response, first: string, rest: AsyncGenerator<string>): Promise<void> {
  if (!res.write(first)) await once(res, 'drain');
  for await (const chunk of rest) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await once(res, 'drain');
  }
  res.end();
}

/**
 * `GET /reports/:report.csv?from=&to=&groupBy=` (report: source, endpoint,
 * speed, source-statement, buyer-statement), with the same authorization as
 * the GraphQL queries (api/reports/report-request.ts: the policy, then the
 * arguments). Rows are streamed as they are produced. A refusal before the
 * first row gets a status and a JSON body naming the problem.
 */
export function createReportsCsvRouter(deps: ReportsCsvDeps): Router {
  const router = express.Router();
  router.get('/reports/:report.csv', async (req, res) => {
    const report = req.params.report as ReportName;
    if (!REPORTS.includes(report)) {
      refuse(res, { status: 404, error: userError('NOT_FOUND', `No report "${req.params.report}"; reports: ${REPORTS.join(', ')}.`, 'report') });
      return;
    }
    let principal: Principal | undefined;
    try {
      principal = await deps.authenticate(req);
    } catch {
      principal = undefined;
    }
    if (!principal) {
      refuse(res, { status: 401, error: { code: 'UNAUTHENTICATED', message: 'Sign in to export reports: send Authorization: Bearer <token>.' } });
      return;
    }
    const args = argsFrom(req.query);
    if (!args.ok) {
      refuse(res, { status: 400, error: args.error });
      return;
    }
    const requests = reportRequests(reportService(deps.mongo, deps.now ? { now: deps.now } : {}));
    const gen = lines(report, requests, principal, args.value);
    let first: IteratorResult<string, void>;
    try {
      first = await gen.next(); // the header, or the refusal: nothing is sent before we know which
    } catch (err) {
      const refusal = (err as { refusal?: Refusal }).refusal;
      if (!refusal) throw err;
      refuse(res, refusal);
      return;
    }
    const stamp = [args.value.from, args.value.to, args.value.month]
      .filter(Boolean)
      .join('_')
      .replace(/[^0-9A-Za-z_-]/g, '');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${report}${stamp ? `_${stamp}` : ''}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    if (first.done) {
      res.end();
      return;
    }
    await pipeLines(res, first.value, gen);
  });
  return router;
}
