import { z } from 'zod';
import { IdSchema, StateCodeSchema } from '../../schema/common.ts';
import { daysBetween, isDay, isMonth, type TimeGrain } from './calendar.ts';

/**
 * Report arguments, checked at the edge (GraphQL and CSV share these). Who
 * may ask for which slice is the policy's (domain/access/policy.ts,
 * `canReadReports` and `reportScope`), not this file's.
 */
export const MAX_RANGE_DAYS = 366;
const GRAINS = ['day', 'week', 'month'] as const;

export type ArgsError = { code: 'invalid_input'; message: string; field?: string };
export type Checked<T> = { ok: true; value: T } | { ok: false; error: ArgsError };

const DaySchema = z
  .string({ error: 'must be a date (YYYY-MM-DD)' })
  .refine(isDay, { error: (iss) => `${JSON.stringify(iss.input)} is not a date (YYYY-MM-DD)` });
const MonthSchema = z
  .string({ error: 'must be a month (YYYY-MM)' })
  .refine(isMonth, { error: (iss) => `${JSON.stringify(iss.input)} is not a month (YYYY-MM)` });

function rangeChecks<T extends { from: string; to: string; groupBy: readonly string[] }>(v: T, ctx: z.core.$RefinementCtx<T>) {
  if (v.to < v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${v.from})` });
  else if (daysBetween(v.from, v.to) > MAX_RANGE_DAYS)
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the range is ${daysBetween(v.from, v.to)} days; at most ${MAX_RANGE_DAYS}` });
  const grains = v.groupBy.filter((g) => (GRAINS as readonly string[]).includes(g));
  if (grains.length > 1) ctx.addIssue({ code: 'custom', path: ['groupBy'], message: `at most one of day, week, month (got ${grains.join(', ')})` });
  if (new Set(v.groupBy).size !== v.groupBy.length) ctx.addIssue({ code: 'custom', path: ['groupBy'], message: 'names a grouping twice' });
}

const groupList = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .array(z.enum(values, { error: (iss) => `${JSON.stringify(iss.input)} is not a grouping (one of ${values.join(', ')})` }))
    .max(values.length)
    .default([]);

export const SourceReportArgsSchema = z
  .strictObject({
    from: DaySchema,
    to: DaySchema,
    groupBy: groupList(['day', 'week', 'month', 'source', 'state', 'county'] as const),
    sourceId: IdSchema.optional(),
    state: StateCodeSchema.optional(),
  })
  .superRefine(rangeChecks);
export type SourceReportArgs = z.output<typeof SourceReportArgsSchema>;

export const EndpointReportArgsSchema = z
  .strictObject({
    from: DaySchema,
    to: DaySchema,
    groupBy: groupList(['day', 'week', 'month', 'endpoint'] as const),
    endpointId: IdSchema.optional(),
  })
  .superRefine(rangeChecks);
export type EndpointReportArgs = z.output<typeof EndpointReportArgsSchema>;

export const SpeedArgsSchema = z
  .strictObject({
    from: DaySchema,
    to: DaySchema,
    by: z.enum(['source', 'endpoint'], { error: 'must be source or endpoint' }),
    groupBy: groupList(['day', 'week', 'month'] as const),
    sourceId: IdSchema.optional(),
    endpointId: IdSchema.optional(),
  })
  .superRefine(rangeChecks);
export type SpeedArgs = z.output<typeof SpeedArgsSchema>;

export const SourceStatementArgsSchema = z.strictObject({ sourceId: IdSchema, month: MonthSchema });
export type SourceStatementArgs = z.output<typeof SourceStatementArgsSchema>;
export const BuyerStatementArgsSchema = z.strictObject({ endpointId: IdSchema, month: MonthSchema });
export type BuyerStatementArgs = z.output<typeof BuyerStatementArgsSchema>;

export const grainOf = (groupBy: readonly string[]): TimeGrain | undefined => GRAINS.find((g) => groupBy.includes(g));

/** Parses with a schema into a typed result whose error names the first bad field. */
export function checkArgs<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  return { ok: false, error: { code: 'invalid_input', message: field ? `${field}: ${issue.message}` : issue.message, ...(field ? { field } : {}) } };
}
