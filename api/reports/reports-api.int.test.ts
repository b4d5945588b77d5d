import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parse } from 'csv-parse/sync';
import express from 'express';
import { createYoga } from 'graphql-yoga';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildReadModels } from '../../db/rebuild-read-models.ts';
import type { Actor } from '../../domain/lifecycle/actor.ts';
import { generateLeadEvents, SAMPLE_OPTIONS } from '../../domain/reporting/generate-events.ts';
import { apiKeys } from '../../services/api-keys.ts';
import { authService } from '../../services/auth.ts';
import { connectTestDb, dropTestDb } from '../../testing/mongo.ts';
import { insertEvents, seedReportTenant } from '../../testing/report-fixtures.ts';
import { createAuthenticator } from '../authenticate.ts';
import type { ApiContext } from '../context.ts';
import { buildSchema } from '../schema.ts';
import { createReportsCsvRouter } from './csv-router.ts';

const TENANT = 'api1';
const NOW = Date.UTC(2026, 3, 20, 17);
const RANGE = { from: '2026-03-01', to: '2026-03-31' };
const leads = [...generateLeadEvents({ ...SAMPLE_OPTIONS, tenantId: TENANT, leads: 400, seed: 8, resolveEscalations: true, now: NOW })];

describe('report API: GraphQL queries and CSV export', () => {
  let conn: Connection;
  let server: Server;
  let base: string;
  const tokens: Record<string, string> = {};
  let apiKey: string;

  beforeAll(async () => {
    conn = await connectTestDb('reports_api');
    await seedReportTenant(conn, TENANT);
    await insertEvents(conn, leads.flat());
    await rebuildReadModels(conn, { tenantId: TENANT, leads: false });

    const auth = authService(conn, { jwtSecret: 'reports-api-test-secret-0123456789abcdef', tokenTtlSec: 600 });
    const users: Array<[string, Actor['role'], { sourceId?: string; endpointId?: string }]> = [
      ['ops', 'ops', {}],
      ['vendor', 'vendor', { sourceId: 'web' }],
      ['buyer', 'buyer', { endpointId: 'buyer-1' }],
      ['agent', 'agent', { endpointId: 'agent-1' }],
    ];
    for (const [name, role, link] of users) {
      await auth.createUser({ tenantId: TENANT, email: `${name}@example.com`, name, role, password: 'correct horse battery', ...link });
      const r = await auth.signIn(TENANT, `${name}@example.com`, 'correct horse battery');
      if (!r.ok) throw new Error(`sign-in failed for ${name}`);
      tokens[name] = r.token;
    }
    apiKey = (await apiKeys(conn).issue(TENANT, 'web', 'ops')).key;
    const authn = createAuthenticator({ mongo: conn, auth });

    // The API's own schema and authenticator; the context holds what report resolvers read (no Temporal here).
    const yoga = createYoga({
      schema: buildSchema(),
      maskedErrors: true,
      logging: false,
      context: async ({ request }) => {
        const { principal } = await authn.resolve({ headers: Object.fromEntries(request.headers) });
        return { deps: { mongo: conn }, now: NOW, ...(principal ? { principal } : {}) } as unknown as ApiContext;
      },
    });
    const app = express();
    app.use(createReportsCsvRouter({ mongo: conn, authenticate: authn.authenticate, now: () => NOW }));
    app.use('/graphql', yoga as unknown as express.RequestHandler);
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    if (conn) await dropTestDb(conn);
  });

  const credentials = (who: string | undefined): Record<string, string> =>
    who === 'apikey' ? { 'x-api-key': apiKey } : who ? { authorization: `Bearer ${tokens[who]}` } : {};
  async function gql(who: string | undefined, query: string, variables: Record<string, unknown> = {}) {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...credentials(who) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }> };
  }
  const csv = (who: string | undefined, path: string) => fetch(`${base}${path}`, { headers: credentials(who) });

  const SOURCE_REPORT = `query ($from: String!, $to: String!, $groupBy: [SourceReportGrouping!], $sourceId: ID) {
    sourceReport(from: $from, to: $to, groupBy: $groupBy, sourceId: $sourceId) {
      ok errors { code message field }
      report {
        from to timeZone stale
        rows { sourceId state received accepted rejected rejectedByReason { invalid duplicate dnc noCoverage risk } delivered returned
               returnedByReason { reason count } spendCents creditCents netCostCents costPerAcceptedCents acceptanceRate returnRate
               intakeToDelivery { count medianMs p90Ms } deliveryToClaim { medianMs p90Ms } }
      }
    }
  }`;

  it('gives ops every source of the tenant, by market', async () => {
    const r = await gql('ops', SOURCE_REPORT, { ...RANGE, groupBy: ['SOURCE', 'STATE'] });
    expect(r.errors).toBeUndefined();
    expect(r.data!.sourceReport).toMatchObject({ ok: true, errors: [] });
    const report = r.data!.sourceReport.report;
    expect(report).toMatchObject({ ...RANGE, timeZone: 'America/Chicago', stale: false });
    expect(new Set(report.rows.map((x: { sourceId: string }) => x.sourceId))).toEqual(new Set(['web', 'affiliate', 'flatco']));
    expect(report.rows.reduce((a: number, x: { received: number }) => a + x.received, 0)).toBe(leads.length);
    const web = report.rows.filter((x: { sourceId: string }) => x.sourceId === 'web');
    expect(web.every((x: { state: string }) => typeof x.state === 'string')).toBe(true);
    const total = report.rows.reduce((a: number, x: { rejected: number }) => a + x.rejected, 0);
    const byReason = report.rows.reduce(
      (a: number, x: { rejectedByReason: Record<string, number> }) => a + Object.values(x.rejectedByReason).reduce((p, q) => p + q, 0),
      0,
    );
    expect(byReason).toBe(total);
    expect(report.rows.some((x: { intakeToDelivery: { medianMs: number | null } }) => (x.intakeToDelivery.medianMs ?? 0) > 0)).toBe(true);
  });

  it('gives a vendor only its own source, and refuses another', async () => {
    const mine = await gql('vendor', SOURCE_REPORT, { ...RANGE, groupBy: ['SOURCE'] });
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.sourceReport.report.rows.map((x: { sourceId: string }) => x.sourceId)).toEqual(['web']);
    const other = await gql('vendor', SOURCE_REPORT, { ...RANGE, sourceId: 'affiliate' });
    expect(other.errors?.[0]).toMatchObject({ message: 'Not allowed: vendors see only their own source.', extensions: { code: 'FORBIDDEN' } });
    expect(other.data).toBeNull();
  });

  it('gives a buyer its own deliveries and invoice only', async () => {
    const q = `query ($from: String!, $to: String!) { endpointReport(from: $from, to: $to, groupBy: [ENDPOINT]) { report { rows { endpointId delivered billedCents creditedCents netCents statusesReached { contacted won } deliveryToClaim { count } } } } }`;
    const r = await gql('buyer', q, RANGE);
    expect(r.errors).toBeUndefined();
    const rows = r.data!.endpointReport.report.rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpointId: 'buyer-1' });
    expect(rows[0].billedCents).toBeGreaterThan(0);
    expect((await gql('buyer', SOURCE_REPORT, RANGE)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const st = await gql(
      'buyer',
      `{ buyerStatement(endpointId: "buyer-1", month: "2026-03") { ok statement { party partyId status leads lineCount billedCents creditedCents netCents lines(limit: 3) { ok nodes { leadId at billedCents netCents state } } } } }`,
    );
    expect(st.errors).toBeUndefined();
    expect(st.data!.buyerStatement.ok).toBe(true);
    const s = st.data!.buyerStatement.statement;
    expect(s).toMatchObject({ party: 'BUYER', partyId: 'buyer-1', status: 'CLOSED' });
    expect(s.lines).toEqual({ ok: true, nodes: expect.any(Array) });
    expect(s.lines.nodes).toHaveLength(3);
    expect(s.lineCount).toBe(s.leads);
    expect(s.netCents).toBe(s.billedCents - s.creditedCents);
    expect(s.lines.nodes[0].at).toMatch(/^2026-03-\d\dT/);
    expect((await gql('buyer', `{ buyerStatement(endpointId: "buyer-2", month: "2026-03") { ok } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('gives agents and API keys nothing, and asks strangers to sign in', async () => {
    for (const q of [SOURCE_REPORT, `query ($from: String!, $to: String!) { endpointReport(from: $from, to: $to) { report { stale } } }`]) {
      expect((await gql('agent', q, RANGE)).errors?.[0]).toMatchObject({
        message: 'Not allowed: the agent role may not read reports.',
        extensions: { code: 'FORBIDDEN' },
      });
    }
    // Agents learn nothing from validation either.
    expect((await gql('agent', SOURCE_REPORT, { from: 'nonsense', to: 'x' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql('apikey', SOURCE_REPORT, RANGE)).errors?.[0]).toMatchObject({
      message: 'Not allowed: an API key may only submit leads.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await gql(undefined, SOURCE_REPORT, RANGE)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('names the bad argument, as data', async () => {
    const r = await gql('ops', SOURCE_REPORT, { from: '2026-02-30', to: '2026-03-31' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.sourceReport).toEqual({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', message: 'from: "2026-02-30" is not a date (YYYY-MM-DD)', field: 'from' }],
      report: null,
    });
    const long = await gql('ops', SOURCE_REPORT, { from: '2025-01-01', to: '2026-03-31' });
    expect(long.data!.sourceReport.errors[0]).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    const two = await gql('ops', SOURCE_REPORT, { ...RANGE, groupBy: ['DAY', 'WEEK'] });
    expect(two.data!.sourceReport.errors[0].field).toBe('groupBy');
  });

  it('answers speed to lead per source and per endpoint, and statements with their lines', async () => {
    const sp = await gql(
      'ops',
      `{ bySource: speedToLead(from: "2026-03-01", to: "2026-03-31", by: SOURCE) { report { rows { by id delivered intakeToDelivery { medianMs p90Ms } } } }
                                   byEndpoint: speedToLead(from: "2026-03-01", to: "2026-03-31", by: ENDPOINT, groupBy: [WEEK]) { report { rows { period id deliveryToClaim { medianMs } } } } }`,
    );
    expect(sp.errors).toBeUndefined();
    const bySource = sp.data!.bySource.report.rows;
    expect(bySource.map((x: { id: string }) => x.id)).toEqual(['affiliate', 'flatco', 'web']);
    expect(bySource.every((x: { by: string }) => x.by === 'SOURCE')).toBe(true);
    for (const row of bySource) expect(row.intakeToDelivery.p90Ms).toBeGreaterThanOrEqual(row.intakeToDelivery.medianMs);
    expect(sp.data!.byEndpoint.report.rows.every((x: { period: string }) => /^2026-0[23]-\d\d$/.test(x.period))).toBe(true);

    const st = await gql(
      'ops',
      `{ sourceStatement(sourceId: "web", month: "2026-03") { statement { party basis status openReason leads leadsBilled netCents discrepancies { leadId } lines(offset: 1, limit: 2) { nodes { leadId state } } } } }`,
    );
    expect(st.errors).toBeUndefined();
    expect(st.data!.sourceStatement.statement).toMatchObject({ party: 'SOURCE', basis: 'per_lead', status: 'CLOSED', openReason: '', discrepancies: [] });
    expect(st.data!.sourceStatement.statement.lines.nodes).toHaveLength(2);
    const bad = await gql(
      'ops',
      `{ sourceStatement(sourceId: "web", month: "2026-03") { statement { lines(limit: 0) { ok errors { code field message } nodes { leadId } } } } }`,
    );
    expect(bad.errors).toBeUndefined();
    expect(bad.data!.sourceStatement.statement.lines).toEqual({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', field: 'limit', message: 'limit: must be between 1 and 5000' }],
      nodes: [],
    });
    const month = await gql('ops', `{ sourceStatement(sourceId: "web", month: "2026-13") { ok errors { code field } statement { leads } } }`);
    expect(month.data!.sourceStatement).toEqual({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'month' }], statement: null });
  });

  it('exports the source report as CSV with the same numbers as GraphQL', async () => {
    const res = await csv('ops', `/reports/source.csv?from=${RANGE.from}&to=${RANGE.to}&groupBy=source,state`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="source_${RANGE.from}_${RANGE.to}.csv"`);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const records = parse<Record<string, string>>(await res.text(), { columns: true });
    const g = (await gql('ops', SOURCE_REPORT, { ...RANGE, groupBy: ['SOURCE', 'STATE'] })).data!.sourceReport.report.rows as Array<Record<string, any>>;
    expect(records).toHaveLength(g.length);
    expect(records.map((r) => [r.source, r.state, Number(r.received), Number(r.net_cost_cents), Number(r.rejected_no_coverage)])).toEqual(
      g.map((r) => [r.sourceId, r.state, r.received, r.netCostCents, r.rejectedByReason.noCoverage]),
    );
  });

  it('applies the same authorization to CSV exports', async () => {
    const vendor = parse<Record<string, string>>(await (await csv('vendor', `/reports/source.csv?from=${RANGE.from}&to=${RANGE.to}&groupBy=source`)).text(), {
      columns: true,
    });
    expect(vendor.map((r) => r.source)).toEqual(['web']);
    const denied = await csv('vendor', `/reports/source.csv?from=${RANGE.from}&to=${RANGE.to}&sourceId=affiliate`);
    expect(denied.status).toBe(403);
    // The same decision and message as the GraphQL query's FORBIDDEN error.
    expect(await denied.json()).toEqual({ errors: [{ code: 'FORBIDDEN', message: 'Not allowed: vendors see only their own source.' }] });
    const agent = await csv('agent', `/reports/endpoint.csv?from=${RANGE.from}&to=${RANGE.to}`);
    expect(agent.status).toBe(403);
    expect(await agent.json()).toEqual({ errors: [{ code: 'FORBIDDEN', message: 'Not allowed: the agent role may not read reports.' }] });
    const key = await csv('apikey', `/reports/source.csv?from=${RANGE.from}&to=${RANGE.to}`);
    expect([key.status, await key.json()]).toEqual([403, { errors: [{ code: 'FORBIDDEN', message: 'Not allowed: an API key may only submit leads.' }] }]);
    const anonymous = await csv(undefined, `/reports/source.csv?from=${RANGE.from}&to=${RANGE.to}`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).errors[0].code).toBe('UNAUTHENTICATED');
    expect((await csv('buyer', '/reports/buyer-statement.csv?endpointId=buyer-2&month=2026-03')).status).toBe(403);
  });

  it('exports statements line by line with a closing totals record', async () => {
    const res = await csv('buyer', '/reports/buyer-statement.csv?endpointId=buyer-1&month=2026-03');
    expect(res.status).toBe(200);
    const rows: string[][] = parse(await res.text());
    expect(rows[0]).toEqual(['lead_id', 'at', 'billed_cents', 'credited_cents', 'net_cents', 'state', 'reject_reason', 'return_reason']);
    const lines = rows.slice(1, -1);
    const totals = rows[rows.length - 1]!;
    expect(totals[0]).toBe('TOTAL buyer buyer-1 2026-03');
    expect(Number(totals[2])).toBe(lines.reduce((a, l) => a + Number(l[2]), 0));
    expect(Number(totals[3])).toBe(lines.reduce((a, l) => a + Number(l[3]), 0));
    expect(Number(totals[4])).toBe(Number(totals[2]) - Number(totals[3]));
    expect(totals[5]).toBe('closed');
    const g = (await gql('buyer', `{ buyerStatement(endpointId: "buyer-1", month: "2026-03") { statement { leads netCents } } }`)).data!.buyerStatement
      .statement;
    expect([lines.length, Number(totals[4])]).toEqual([g.leads, g.netCents]);
  });

  it('says exactly what is wrong with a CSV request', async () => {
    const unknown = await csv('ops', '/reports/everything.csv');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).errors[0]).toMatchObject({ code: 'NOT_FOUND', field: 'report' });
    const bad = await csv('ops', `/reports/source.csv?from=${RANGE.from}&to=${RANGE.to}&groupBy=source,metro`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0]).toMatchObject({ code: 'INVALID_INPUT', field: 'groupBy.1' });
    const twice = await csv('ops', `/reports/source.csv?from=${RANGE.from}&from=2026-03-02&to=${RANGE.to}`);
    expect(twice.status).toBe(400);
    expect(await twice.json()).toEqual({ errors: [{ code: 'INVALID_INPUT', message: 'from: give it once, as plain text', field: 'from' }] });
    const typo = await csv('ops', `/reports/speed.csv?from=${RANGE.from}&to=${RANGE.to}&by=source&grupBy=day`);
    expect(typo.status).toBe(400);
  });
});
