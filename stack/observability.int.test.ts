// The real processes (worker.ts and api/main.ts, started as in production)
// against the test servers: leads posted over HTTP intake with known contact
// details, then every line both processes wrote is checked (JSON, the lead's
// ids on the lines about it, the request id, the SDK's own lines) and none may
// carry the phone numbers or email addresses in any spelling; both /metrics
// pages must have moved.
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { leadStore } from '../db/lead-store.ts';
import type { LeadState } from '../domain/lifecycle/lead-state.ts';
import { apiKeys } from '../services/api-keys.ts';
import { publishConfig } from '../testing/config.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { leadTestNetwork, testLead } from '../testing/lead-network.ts';
import { metricValue, scrape, type Sample } from '../testing/metrics.ts';
import { connectTestDb, dropTestDb } from '../testing/mongo.ts';
import { startApiProcess, startWorkerProcess, type AppProcess } from '../testing/processes.ts';
import { randomUUID } from 'node:crypto';

// Two people whose details must never reach a log line, in any spelling.
const PEOPLE = [
  { phone: '+1 (214) 867-5309', digits: '2148675309', email: 'jenny.tutone.probe@example.com' },
  { phone: '214.555.2368', digits: '2145552368', email: 'ghost.buster.probe@example.org' },
];
const INVALID_PHONE = { phone: '+1 (214) 000-0000', digits: '2140000000' };

let mongo: Connection;
let receiver: HttpReceiver;
let worker: AppProcess & { metricsPort: number };
let api: AppProcess & { url: string };
let workerExit: { code: number | null };
let apiExit: { code: number | null };
let workerMetrics: Sample[];
let apiMetrics: Sample[];
let sdkMetricNames: string[];
const ids: Record<string, string> = {};
const responses: Record<string, { status: number; requestId: string | null }> = {};

async function settle(leadId: string, check: (s: LeadState) => boolean): Promise<LeadState> {
  const leads = leadStore(mongo);
  for (const until = Date.now() + 60_000; Date.now() < until;) {
    const s = await leads.get(leadId);
    if (s && check(s)) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`lead ${leadId} did not settle; worker said:\n${worker.lines.slice(-20).join('\n')}`);
}

beforeAll(async () => {
  mongo = await connectTestDb('obs');
  receiver = await startHttpReceiver();
  await publishConfig(mongo, leadTestNetwork({ ok: receiver.url, flaky: receiver.url, refusing: receiver.url }, Date.now()));
  const keys = apiKeys(mongo);
  const strictKey = (await keys.issue('acme', 'strict', 'test')).key;
  const deskKey = (await keys.issue('acme', 'desk', 'test')).key;
  const env = {
    MONGODB_URI: `${inject('mongoUri')}${mongo.name}`,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `obs-${randomUUID()}`,
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    // Everything either process can say, the SDK's debug lines included.
    LOG_LEVEL: 'debug',
  };
  [worker, api] = await Promise.all([startWorkerProcess('worker', env), startApiProcess('api', env)]);

  const post = async (name: string, key: string, payload: Record<string, unknown>) => {
    const requestId = `req-${name}-${randomUUID().slice(0, 8)}`;
    const res = await fetch(`${api.url}/intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'x-request-id': requestId },
      body: JSON.stringify(payload),
    });
    const body = (await res.json()) as { leadId?: string };
    responses[name] = { status: res.status, requestId: res.headers.get('x-request-id') };
    if (body.leadId) ids[name] = body.leadId;
    return requestId;
  };
  const first = testLead({ phone: PEOPLE[0]!.phone, email: PEOPLE[0]!.email });
  await post('delivered', strictKey, first);
  await post('repost', strictKey, first);
  await post('offered', deskKey, testLead({ phone: PEOPLE[1]!.phone, email: PEOPLE[1]!.email }));
  await post('rejected', strictKey, testLead({ phone: INVALID_PHONE.phone, email: PEOPLE[1]!.email }));
  // Refused at intake (422): the posted values are quoted back to the caller, never logged.
  await post('unparseable', strictKey, testLead({ phone: PEOPLE[0]!.phone, email: 'not-an-email', zip: 'x' }));

  await settle(ids.delivered!, (s) => s.deliveredAt !== undefined && !!s.ownerEndpointId);
  await settle(ids.offered!, (s) => s.status === 'offered');
  await settle(ids.rejected!, (s) => s.status === 'rejected');

  apiMetrics = (await scrape(`${api.url}/metrics`)).samples;
  // The worker counts a lead's events as its activity completes, a moment after the read model
  // shows them: scrape until every lead posted is counted (a bound on the wait, not a timing check).
  const acme = { tenant: 'acme' };
  const until = Date.now() + 30_000;
  do {
    workerMetrics = (await scrape(`http://127.0.0.1:${worker.metricsPort}/metrics`)).samples;
    const counted =
      metricValue(workerMetrics, 'switchyard_leads_received_total', acme) >= 3 &&
      metricValue(workerMetrics, 'switchyard_leads_rejected_total', { ...acme, reason: 'invalid' }) >= 1 &&
      metricValue(workerMetrics, 'switchyard_leads_delivered_total', { ...acme, method: 'http_post' }) >= 1 &&
      metricValue(workerMetrics, 'switchyard_offers_total', acme) >= 1;
    if (counted) break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < until);
  sdkMetricNames = [...new Set(workerMetrics.filter((s) => s.name.startsWith('temporal_')).map((s) => s.name))];

  // Both stop on SIGTERM, drained, with exit code 0, even when the SIGTERM is repeated mid-drain (a supervisor, or npm start passing Ctrl-C on).
  const stopTwice = async (p: AppProcess) => {
    const exit = p.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    if (!p.exited()) p.proc.kill('SIGTERM');
    return exit;
  };
  [workerExit, apiExit] = await Promise.all([stopTwice(worker), stopTwice(api)]);
  if (process.env.OBS_DUMP) (await import('node:fs')).writeFileSync(process.env.OBS_DUMP, [...worker.lines, '----', ...api.lines].join('\n'));
}, 180_000);

afterAll(async () => {
  if (worker && !worker.exited()) await worker.stop('SIGKILL');
  if (api && !api.exited()) await api.stop('SIGKILL');
  await receiver?.close();
  if (mongo) await dropTestDb(mongo);
});

describe('logs of the worker and API processes', () => {
  it("answered the posts as intake promises, echoing the caller's request id", () => {
    expect(responses.delivered).toMatchObject({ status: 201 });
    expect(responses.repost).toMatchObject({ status: 200 });
    expect(responses.offered).toMatchObject({ status: 201 });
    expect(responses.rejected).toMatchObject({ status: 201 });
    expect(responses.unparseable).toMatchObject({ status: 422 });
    expect(responses.delivered!.requestId).toMatch(/^req-delivered-/);
    expect(ids.repost).toBe(ids.delivered);
  });

  it('writes one JSON object per line from both processes, and both stop cleanly on SIGTERM, repeated or not', () => {
    expect(workerExit.code).toBe(0);
    expect(apiExit.code).toBe(0);
    const w = worker.json();
    const a = api.json();
    expect(w.length).toBeGreaterThan(20);
    expect(a.length).toBeGreaterThan(5);
    expect(w.map((l) => l.msg)).toEqual(expect.arrayContaining(['worker started', 'worker drained', 'worker stopped']));
    expect(a.map((l) => l.msg)).toEqual(expect.arrayContaining(['api stopping', 'api stopped']));
  });

  it('puts the lead id, workflow id and tenant on every worker line about a lead', () => {
    const leadId = ids.delivered!;
    const about = worker.json().filter((l) => l.leadId === leadId);
    expect(about.map((l) => l.msg)).toEqual(expect.arrayContaining(['lead received', 'lead validated', 'lead routed', 'lead delivered', 'activity completed']));
    for (const l of about) expect(l, JSON.stringify(l)).toMatchObject({ tenantId: 'acme', workflowId: `lead:acme:${leadId}` });
    // Lines that name the workflow name the lead too (the SDK's own included).
    for (const l of worker.json().filter((l) => l.workflowId === `lead:acme:${leadId}`)) expect(l.leadId).toBe(leadId);
    expect(about.find((l) => l.msg === 'lead delivered')).toMatchObject({ endpointId: 'dallas', method: 'http_post' });
    expect(worker.json().find((l) => l.leadId === ids.rejected && l.msg === 'lead rejected')).toMatchObject({ reason: 'invalid' });
  });

  it("routes the Temporal SDK's own logs through the same logger", () => {
    const sdk = worker.json().filter((l) => typeof l.sdkComponent === 'string');
    expect(sdk.length).toBeGreaterThan(0);
    expect(sdk.map((l) => l.sdkComponent)).toEqual(expect.arrayContaining(['worker']));
    expect(sdk.every((l) => l.service === 'worker')).toBe(true);
  });

  it('puts the request id on every API line written for a request, the intake line naming the lead', () => {
    const requestId = responses.delivered!.requestId!;
    const lines = api.json().filter((l) => l.requestId === requestId);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['lead taken', 'request']));
    expect(lines.find((l) => l.msg === 'lead taken')).toMatchObject({ leadId: ids.delivered, tenantId: 'acme', workflowId: `lead:acme:${ids.delivered}` });
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({ route: '/intake', method: 'POST', status: 201 });
    expect(api.json().find((l) => l.requestId === responses.unparseable!.requestId && l.msg === 'lead refused at intake')).toBeDefined();
  });

  it('never writes a phone number or an email address it was given, in any spelling', () => {
    const all = [...worker.lines, ...api.lines];
    expect(all.length).toBeGreaterThan(50);
    const needles = [
      ...PEOPLE.flatMap((p) => [
        p.phone,
        p.digits,
        `+1${p.digits}`,
        `${p.digits.slice(0, 3)}-${p.digits.slice(3, 6)}-${p.digits.slice(6)}`,
        p.email,
        p.email.split('@')[0]!,
      ]),
      INVALID_PHONE.phone,
      `+1${INVALID_PHONE.digits}`,
    ];
    const leaks: string[] = [];
    for (const line of all) {
      const digitsOnly = line.replace(/\D/g, '');
      for (const n of needles) if (line.toLowerCase().includes(n.toLowerCase())) leaks.push(`${n} in ${line}`);
      for (const d of [...PEOPLE.map((p) => p.digits), INVALID_PHONE.digits]) if (digitsOnly.includes(d)) leaks.push(`digits ${d} in ${line}`);
    }
    expect(leaks).toEqual([]);
  });
});

describe('metrics of the worker and API processes', () => {
  it('counts intake outcomes and requests at the API, with the process defaults', () => {
    expect(metricValue(apiMetrics, 'switchyard_intake_leads_total', { outcome: 'created' })).toBe(3);
    expect(metricValue(apiMetrics, 'switchyard_intake_leads_total', { outcome: 'duplicate' })).toBe(1);
    expect(metricValue(apiMetrics, 'switchyard_intake_leads_total', { outcome: 'invalid' })).toBe(1);
    expect(metricValue(apiMetrics, 'switchyard_http_requests_total', { route: '/intake', method: 'POST', status: '201' })).toBe(3);
    expect(metricValue(apiMetrics, 'switchyard_http_request_duration_seconds_count', { route: '/intake' })).toBe(5);
    expect(apiMetrics.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
  });

  it("counts the leads' lifecycle, allocation, deliveries and open offers at the worker", () => {
    const acme = { tenant: 'acme' };
    expect(metricValue(workerMetrics, 'switchyard_leads_received_total', acme)).toBe(3);
    expect(metricValue(workerMetrics, 'switchyard_leads_accepted_total', acme)).toBe(2);
    expect(metricValue(workerMetrics, 'switchyard_leads_rejected_total', { ...acme, reason: 'invalid' })).toBe(1);
    expect(metricValue(workerMetrics, 'switchyard_leads_delivered_total', { ...acme, method: 'http_post' })).toBe(1);
    expect(metricValue(workerMetrics, 'switchyard_delivery_attempts_total', { method: 'http_post', outcome: 'ok' })).toBe(1);
    expect(metricValue(workerMetrics, 'switchyard_allocation_duration_seconds_count')).toBe(2);
    expect(metricValue(workerMetrics, 'switchyard_offers_total', acme)).toBe(1);
    expect(metricValue(workerMetrics, 'switchyard_open_offers')).toBe(1);
    expect(metricValue(workerMetrics, 'switchyard_activity_duration_seconds_count', { activity: 'deliverLead', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(workerMetrics.some((s) => s.name === 'nodejs_heap_size_total_bytes')).toBe(true);
  });

  it("serves the Temporal SDK's worker metrics on the same page", () => {
    expect(sdkMetricNames.length).toBeGreaterThan(5);
    expect(sdkMetricNames.some((n) => n.startsWith('temporal_workflow_task') || n.startsWith('temporal_worker_task_slots'))).toBe(true);
  });
});
