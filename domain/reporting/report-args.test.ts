import { describe, expect, it } from 'vitest';
import type { Actor } from '../lifecycle/actor.ts';
import { checkArgs, endpointScope, grainOf, SourceReportArgsSchema, sourceScope, SpeedArgsSchema } from './report-args.ts';

const actor = (role: Actor['role'], extra: Partial<Actor> = {}): Actor => ({ userId: 'u', role, tenantId: 't1', ...extra });

describe('report arguments', () => {
  it('accepts a valid range with groupings and defaults to no grouping', () => {
    expect(checkArgs(SourceReportArgsSchema, { from: '2026-03-01', to: '2026-03-30' })).toEqual({ ok: true, value: { from: '2026-03-01', to: '2026-03-30', groupBy: [] } });
    const r = checkArgs(SourceReportArgsSchema, { from: '2026-03-01', to: '2026-03-30', groupBy: ['week', 'source', 'county'], state: 'TX' });
    expect(r.ok && grainOf(r.value.groupBy)).toBe('week');
  });

  it('names the field and the problem', () => {
    const bad = (input: unknown) => checkArgs(SourceReportArgsSchema, input);
    expect(bad({ from: '2026-02-30', to: '2026-03-01' })).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT', field: 'from', message: 'from: "2026-02-30" is not a date (YYYY-MM-DD)' } });
    expect(bad({ from: '2026-03-05', to: '2026-03-01' })).toMatchObject({ ok: false, error: { field: 'to', message: 'to: must not be before from (2026-03-05)' } });
    expect(bad({ from: '2025-01-01', to: '2026-01-02' })).toMatchObject({ ok: false, error: { field: 'to', message: 'to: the range is 367 days; at most 366' } });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', groupBy: ['day', 'month'] })).toMatchObject({ ok: false, error: { field: 'groupBy', message: 'groupBy: at most one of day, week, month (got day, month)' } });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', groupBy: ['metro'] })).toMatchObject({ ok: false, error: { field: 'groupBy.0' } });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', state: 'XX' })).toMatchObject({ ok: false, error: { field: 'state' } });
    expect(bad({ from: '2026-03-01', to: '2026-03-02', extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } });
    expect(checkArgs(SpeedArgsSchema, { from: '2026-03-01', to: '2026-03-02', by: 'market' })).toMatchObject({ ok: false, error: { field: 'by' } });
  });
});

describe('who sees what', () => {
  it('staff see the whole tenant or what they filter on', () => {
    for (const role of ['admin', 'ops', 'manager'] as const) {
      expect(sourceScope(actor(role), undefined)).toEqual({ ok: true, value: {} });
      expect(sourceScope(actor(role), 's2')).toEqual({ ok: true, value: { sourceId: 's2' } });
      expect(endpointScope(actor(role), 'e1')).toEqual({ ok: true, value: { endpointId: 'e1' } });
    }
  });

  it('vendors see only their own source, buyers only their own endpoint', () => {
    const vendor = actor('vendor', { sourceId: 's1' });
    expect(sourceScope(vendor, undefined)).toEqual({ ok: true, value: { sourceId: 's1' } });
    expect(sourceScope(vendor, 's1')).toEqual({ ok: true, value: { sourceId: 's1' } });
    expect(sourceScope(vendor, 's2')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(endpointScope(vendor, undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(sourceScope(actor('vendor'), undefined)).toMatchObject({ ok: false, error: { message: 'This vendor account is not linked to a source.' } });

    const buyer = actor('buyer', { endpointId: 'b1' });
    expect(endpointScope(buyer, undefined)).toEqual({ ok: true, value: { endpointId: 'b1' } });
    expect(endpointScope(buyer, 'b2')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(sourceScope(buyer, undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('agents get nothing from reports', () => {
    const agent = actor('agent', { endpointId: 'a1' });
    expect(sourceScope(agent, undefined)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(endpointScope(agent, 'a1')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'The agent role cannot read endpoint reports.' } });
  });
});
