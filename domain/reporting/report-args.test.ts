import { describe, expect, it } from 'vitest';
import { checkArgs, grainOf, SourceReportArgsSchema, SpeedArgsSchema } from './report-args.ts';

describe('report arguments', () => {
  it('accepts a valid range with groupings and defaults to no grouping', () => {
    expect(checkArgs(SourceReportArgsSchema, { from: '2026-03-01', to: '2026-03-30' })).toEqual({
      ok: true,
      value: { from: '2026-03-01', to: '2026-03-30', groupBy: [] },
    });
    const r = checkArgs(SourceReportArgsSchema, { from: '2026-03-01', to: '2026-03-30', groupBy: ['week', 'source', 'county'], state: 'TX' });
    expect(r.ok && grainOf(r.value.groupBy)).toBe('week');
  });

  it('names the field and the problem', () => {
    const bad = (input: unknown) => checkArgs(SourceReportArgsSchema, input);
    expect(bad({ from: '2026-02-30', to: '2026-03-01' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'from', message: 'from: "2026-02-30" is not a date (YYYY-MM-DD)' },
    });
    expect(bad({ from: '2026-03-05', to: '2026-03-01' })).toMatchObject({
      ok: false,
      error: { field: 'to', message: 'to: must not be before from (2026-03-05)' },
    });
    expect(bad({ from: '2025-01-01', to: '2026-01-02' })).toMatchObject({
      ok: false,
      error: { field: 'to', message: 'to: the range is 367 days; at most 366' },
    });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', groupBy: ['day', 'month'] })).toMatchObject({
      ok: false,
      error: { field: 'groupBy', message: 'groupBy: at most one of day, week, month (got day, month)' },
    });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', groupBy: ['metro'] })).toMatchObject({ ok: false, error: { field: 'groupBy.0' } });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', state: 'XX' })).toMatchObject({ ok: false, error: { field: 'state' } });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(checkArgs(SpeedArgsSchema, { from: '2026-03-01', to: '2026-03-02', by: 'market' })).toMatchObject({ ok: false, error: { field: 'by' } });
  });
});
