import type { z } from 'zod';
import { canReadReports, reportScope, type Principal, type ReportScope, type ScopeDecision } from '../../domain/access/policy.ts';
import {
  BuyerStatementArgsSchema,
  checkArgs,
  EndpointReportArgsSchema,
  SourceReportArgsSchema,
  SourceStatementArgsSchema,
  SpeedArgsSchema,
} from '../../domain/reporting/report-args.ts';
import type { ReportService } from '../../services/reports.ts';
import { toUserError, type UserError } from '../core/payload.ts';

/** A report request's outcome: the report, a refusal by the policy, or the first bad argument. */
export type ReportOutcome<T> = { kind: 'ok'; value: T } | { kind: 'forbidden'; reason: string } | { kind: 'invalid'; error: UserError };

/**
 * Every report request, GraphQL or CSV, in the same order: may this
 * principal read reports at all (so agents and API keys learn nothing from
 * validation), are the arguments sound, and which slice does the policy
 * grant for the source or endpoint they name.
 */
async function run<S extends z.ZodType, T>(
  principal: Principal,
  schema: S,
  input: unknown,
  scopeOf: (args: z.output<S>) => ScopeDecision,
  compute: (scope: ReportScope, args: z.output<S>) => Promise<T>,
): Promise<ReportOutcome<T>> {
  const may = canReadReports(principal);
  if (!may.allow) return { kind: 'forbidden', reason: may.reason };
  const args = checkArgs(schema, input);
  if (!args.ok) return { kind: 'invalid', error: toUserError(args.error) };
  const granted = scopeOf(args.value);
  if (!granted.allow) return { kind: 'forbidden', reason: granted.reason };
  return { kind: 'ok', value: await compute(granted.scope, args.value) };
}

export function reportRequests(svc: ReportService) {
  return {
    source: (p: Principal, input: unknown) => run(p, SourceReportArgsSchema, input, (a) => reportScope(p, 'source', a.sourceId), svc.sourceReport),
    endpoint: (p: Principal, input: unknown) => run(p, EndpointReportArgsSchema, input, (a) => reportScope(p, 'endpoint', a.endpointId), svc.endpointReport),
    speed: (p: Principal, input: unknown) =>
      run(
        p,
        SpeedArgsSchema,
        input,
        (a) => (a.by === 'source' ? reportScope(p, 'source', a.sourceId) : reportScope(p, 'endpoint', a.endpointId)),
        svc.speedToLead,
      ),
    sourceStatement: (p: Principal, input: unknown) =>
      run(p, SourceStatementArgsSchema, input, (a) => reportScope(p, 'source', a.sourceId), svc.sourceStatement),
    buyerStatement: (p: Principal, input: unknown) =>
      run(p, BuyerStatementArgsSchema, input, (a) => reportScope(p, 'endpoint', a.endpointId), svc.buyerStatement),
  };
}

export type ReportRequests = ReturnType<typeof reportRequests>;
