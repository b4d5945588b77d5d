import { once } from 'node:events';
import express, { type Request, type Response, type Router } from 'express';
import type { Connection } from 'mongoose';
import type { Actor } from '../../domain/lifecycle/actor.ts';
import {
  csvHeader,
  csvLine,
  endpointReportColumns,
  sourceReportColumns,
  speedColumns,
  statementLineColumns,
  statementTotalsRecord,
} from '../../domain/reporting/csv.ts';
import { grainOf, type Checked, type ReportError } from '../../domain/reporting/report-args.ts';
import { reportService, type ReportService } from '../../services/reports.ts';

export interface ReportsCsvDeps {
  mongo: Connection;
  /** Resolves who is asking (a bearer token, a session…); undefined when nobody valid is. */
  authenticate: (req: Request) => Promise<Actor | undefined>;
  now?: () => number;
}

const REPORTS = ['source', 'endpoint', 'speed', 'source-statement', 'buyer-statement'] as const;
type ReportName = (typeof REPORTS)[number];

/** Query string → report arguments. Repeated parameters are an error; groupBy is comma-separated. */
function argsFrom(query: Request['query']): Checked<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v) || (v !== undefined && typeof v !== 'string')) {
      return { ok: false, error: { code: 'BAD_USER_INPUT', field: k, message: `${k}: give it once, as plain text` } };
    }
    if (v === undefined || v === '') continue;
    out[k] = k === 'groupBy' ? v.split(',').map((g) => g.trim().toLowerCase()).filter(Boolean) : k === 'by' ? v.toLowerCase() : v;
  }
  return { ok: true, value: out };
}

const STATUS: Record<ReportError['code'], number> = { FORBIDDEN: 403, BAD_USER_INPUT: 400 };

async function* lines(report: ReportName, svc: ReportService, actor: Actor, args: Record<string, unknown>): AsyncGenerator<string, void, undefined> {
  const fail = (e: ReportError) => {
    throw Object.assign(new Error(e.message), { report: e });
  };
  switch (report) {
    case 'source': {
      const r = await svc.sourceReport(actor, args);
      if (!r.ok) return fail(r.error);
      const g = r.value.args.groupBy;
      const cols = sourceReportColumns({ period: !!grainOf(g), source: g.includes('source'), state: g.includes('state') || g.includes('county'), county: g.includes('county') });
      yield csvHeader(cols);
      for (const row of r.value.rows) yield csvLine(cols, row);
      return;
    }
    case 'endpoint': {
      const r = await svc.endpointReport(actor, args);
      if (!r.ok) return fail(r.error);
      const g = r.value.args.groupBy;
      const cols = endpointReportColumns({ period: !!grainOf(g), endpoint: g.includes('endpoint') || !!r.value.args.endpointId });
      yield csvHeader(cols);
      for (const row of r.value.rows) yield csvLine(cols, row);
      return;
    }
    case 'speed': {
      const r = await svc.speedToLead(actor, args);
      if (!r.ok) return fail(r.error);
      const cols = speedColumns({ period: !!grainOf(r.value.args.groupBy) });
      yield csvHeader(cols);
      for (const row of r.value.rows) yield csvLine(cols, row);
      return;
    }
    case 'source-statement':
    case 'buyer-statement': {
      const r = report === 'source-statement' ? await svc.sourceStatement(actor, args) : await svc.buyerStatement(actor, args);
      if (!r.ok) return fail(r.error);
      yield csvHeader(statementLineColumns);
      for (const line of r.value.lines) yield csvLine(statementLineColumns, line);
      yield statementTotalsRecord(r.value);
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
 * the GraphQL queries. Rows are streamed as they are produced. Errors before
 * the first row get a status and a JSON body naming the problem.
 */
export function createReportsCsvRouter(deps: ReportsCsvDeps): Router {
  const router = express.Router();
  router.get('/reports/:report.csv', async (req, res) => {
    const report = req.params.report as ReportName;
    if (!REPORTS.includes(report)) {
      res.status(404).json({ error: `No report "${req.params.report}"; reports: ${REPORTS.join(', ')}.` });
      return;
    }
    let actor: Actor | undefined;
    try {
      actor = await deps.authenticate(req);
    } catch {
      actor = undefined;
    }
    if (!actor) {
      res.status(401).json({ error: 'Sign in to export reports.' });
      return;
    }
    const args = argsFrom(req.query);
    if (!args.ok) {
      res.status(400).json({ error: args.error.message, field: args.error.field });
      return;
    }
    const svc = reportService(deps.mongo, deps.now ? { now: deps.now } : {});
    const gen = lines(report, svc, actor, args.value);
    let first: IteratorResult<string, void>;
    try {
      first = await gen.next(); // the header, or the refusal: nothing is sent before we know which
    } catch (err) {
      const e = (err as { report?: ReportError }).report;
      if (!e) throw err;
      res.status(STATUS[e.code]).json({ error: e.message, ...(e.field ? { field: e.field } : {}) });
      return;
    }
    const stamp = [args.value.from, args.value.to, args.value.month].filter(Boolean).join("_").replace(/[^0-9A-Za-z_-]/g, "");
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
