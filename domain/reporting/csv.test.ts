import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvHeader, csvLine, csvRecord, sourceReportColumns, statementLineColumns, statementTotalsRecord } from './csv.ts';
import { sourceReportRows } from './report-rows.ts';
import { emptySourceMetrics } from './rollups.ts';
import { sourceStatement } from './statements.ts';

describe('CSV export', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas, numbers untouched', () => {
    const line = csvRecord(['=HYPERLINK("x")', 'a,b', 'say "hi"', -42, null, undefined, 'line\nbreak']);
    expect(parse(line)).toEqual([[`'=HYPERLINK("x")`, 'a,b', 'say "hi"', '-42', '', '', 'line\nbreak']]);
    expect(line.endsWith('\n')).toBe(true);
  });

  it('writes a source report with one column per dimension asked for and every metric', () => {
    const m = {
      ...emptySourceMetrics(),
      received: 10,
      accepted: 8,
      rejected: 2,
      rejectedBy: { dnc: 2 },
      delivered: 8,
      returned: 1,
      returnedBy: { wrong_number: 1 },
      costAcceptedCents: 20000,
      creditCents: 2500,
    };
    const rows = sourceReportRows(
      [{ period: '2026-03-01', rows: [{ sourceId: 'web', state: 'TX', county: '48113', m }] }],
      ['source', 'state'],
      () => 'per_lead',
      'month',
    );
    const cols = sourceReportColumns({ period: true, source: true, state: true, county: false });
    const [header, record] = parse(csvHeader(cols) + csvLine(cols, rows[0]!));
    const got = Object.fromEntries(header!.map((h, i) => [h, record![i]]));
    expect(got).toMatchObject({
      period: '2026-03-01',
      source: 'web',
      state: 'TX',
      received: '10',
      rejected_dnc: '2',
      returned_by_reason: 'wrong_number:1',
      spend_cents: '20000',
      credit_cents: '2500',
      net_cost_cents: '17500',
      cost_per_accepted_cents: '2188',
      acceptance_rate: '0.8',
      return_rate: '0.125',
      intake_to_delivery_median_ms: '',
    });
    expect(header).not.toContain('county');
  });

  it('writes statement lines and a closing totals record', () => {
    const s = sourceStatement({
      tenantId: 't1',
      sourceId: 'web',
      month: '2026-03',
      basis: { kind: 'per_lead', amountCents: 2500 },
      facts: [
        {
          leadId: 'L1',
          tenantId: 't1',
          sourceId: 'web',
          serviceLine: 'x',
          receivedAt: Date.UTC(2026, 2, 2),
          day: '2026-03-02',
          month: '2026-03',
          state: '',
          county: '',
          costCents: 2500,
          outcome: 'accepted',
          lastSeq: 2,
        },
      ],
      today: '2026-03-10',
    });
    const text = csvHeader(statementLineColumns) + s.lines.map((l) => csvLine(statementLineColumns, l)).join('') + statementTotalsRecord(s);
    const rows = parse(text);
    expect(rows[1]).toEqual(['L1', '2026-03-02T00:00:00.000Z', '2500', '0', '2500', 'open', '', '']);
    expect(rows[2]!.slice(0, 6)).toEqual(['TOTAL source web 2026-03', '', '2500', '0', '2500', 'open']);
  });
});
