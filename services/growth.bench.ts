// Growth benchmark: every query the product runs against a collection that
// grows with the leads, timed at several sizes of the whole data set.
//
//   npx tsx services/growth.bench.ts [--sizes 1000,10000,100000] [--runs 30] [--json growth.json]
//   npm run bench -- growth            (sizes from BENCH_GROWTH_SIZES, default 1000,10000,100000)
//
// For each size N: a fresh MongoDB-wire server from stack/mongo.ts's
// startMongo (MONGODB_URI if set, else a mongod on PATH, else the embedded
// FerretDB), the product's indexes created as at startup, then N leads' worth
// of documents across three tenants, shaped as the product writes them and
// loaded in bulk (insertMany, 1,000 at a time; no Temporal): generated lead
// event streams (domain/reporting/generate-events.ts) folded by the lead
// reducer into the `leads` read model, the events themselves, contacts
// (sealed), duplicate-detection postings (`lead_index`), report facts and
// rollup blocks, offer and personal notifications with read watermarks, and
// do-not-call lists (a federal registry of N numbers, a state list and the
// tenant's opt-outs, loaded through the suppression store). Each tenant gets
// the same leads per day at every size: a larger N is a longer history, so a
// page, a 30-day report or a month's statement holds the same rows at every
// size and only the collections grow. After a 2 s pause (for servers that
// maintain indexes in the background) and, on FerretDB-PostgreSQL, a VACUUM
// ANALYZE (what autovacuum does minutes after a bulk load), each query runs
// through the function the API or the worker calls, warmed up, then timed
// `--runs` times (3 when a sample takes over 2 s). Prints median and p99 per query and size, and
// the ratio of the largest size's median to the smallest's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Client } from '@temporalio/client';
import type { Connection } from 'mongoose';
import { configStore } from '../db/config-store.ts';
import { leadContactStore } from '../db/lead-contact-store.ts';
import { decodeCursor, leadQuery } from '../db/lead-query.ts';
import { leadStore } from '../db/lead-store.ts';
import { configVersionModel } from '../db/models/config-version.ts';
import { daysOfLeadDoc, leadModel, toLeadDoc } from '../db/models/lead.ts';
import { leadDayDocs, leadDayModel } from '../db/lead-days.ts';
import { leadEventModel } from '../db/models/lead-event.ts';
import { toEndpointFactDoc, toLeadFactDoc, toRollupDoc } from '../db/models/report.ts';
import { suppressionModel } from '../db/models/suppression.ts';
import { notificationStore, userInbox } from '../db/notification-store.ts';
import { reportStore } from '../db/report-store.ts';
import { suppressionStore } from '../db/suppression-store.ts';
import type { LeadScope, ReportScope } from '../domain/access/policy.ts';
import type { LeadEvent } from '../domain/lifecycle/lead-events.ts';
import { applyLeadEvent, type LeadState } from '../domain/lifecycle/lead-state.ts';
import { blocksFromDays } from '../domain/reporting/blocks.ts';
import { addDays, localDay, monthOf } from '../domain/reporting/calendar.ts';
import { factsFromEvents, type EndpointFact, type LeadFact } from '../domain/reporting/facts.ts';
import { generateLeadEvents, SAMPLE_MARKETS, type GeneratorOptions } from '../domain/reporting/generate-events.ts';
import { endpointRowsOf, sourceRowsOf } from '../domain/reporting/rollups.ts';
import { connectMongo } from '../infra/mongo.ts';
import { createPiiCodec, DEV_PII_KEY } from '../infra/pii.ts';
import { readSettled } from '../load/settle.ts';
import { TenantConfigDocumentSchema, type TenantConfigDocument } from '../schema/tenant-config.ts';
import { startMongo } from '../stack/mongo.ts';
import { FERRET_DATABASE } from '../stack/postgres.ts';
import { paths } from '../stack/tools.ts';
import { freePort } from '../stack/ports.ts';
import {
  DEFAULT_SAMPLING,
  DEFAULT_SIZES,
  enoughSamples,
  formatGrowthTable,
  growthRows,
  grows,
  ms,
  parseSizes,
  summarize,
  type GrowthResult,
} from './growth-table.ts';
import { leadHistoryService } from './lead-history.ts';
import { openOffers } from './open-offers.ts';
import { reportService } from './reports.ts';

const { values: flags } = parseArgs({
  options: { sizes: { type: 'string' }, runs: { type: 'string' }, json: { type: 'string' } },
  allowPositionals: false,
});
const SIZES = parseSizes(flags.sizes ?? process.env.BENCH_GROWTH_SIZES ?? DEFAULT_SIZES.join(','));
const SAMPLING = { ...DEFAULT_SAMPLING, runs: Number(flags.runs ?? process.env.BENCH_GROWTH_RUNS ?? DEFAULT_SAMPLING.runs) };

const DAY = 86_400_000;
const ZONE = 'America/Chicago';
/** Leads per tenant and day, the same at every size. */
const PER_DAY = 20;
const TENANTS = [
  { id: 'growth-a', prefix: 'A', share: 0.6 },
  { id: 'growth-b', prefix: 'B', share: 0.3 },
  { id: 'growth-c', prefix: 'C', share: 0.1 },
] as const;
/** The tenant every query asks about. */
const T = TENANTS[0].id;
const SOURCES = [
  { id: 'web', costCents: 2500, weight: 4 },
  { id: 'quotewell', costCents: 3500, weight: 3 },
  { id: 'affiliate', costCents: 1800, weight: 2 },
  { id: 'social', costCents: 900, weight: 1 },
];
const BUYERS = Array.from({ length: 4 }, (_, i) => ({ id: `buyer-${i}`, priceCents: 3000 + i * 500 }));
const LOCATIONS = Array.from({ length: 5 }, (_, i) => `loc-${i}`);
const AGENTS = Array.from({ length: 10 }, (_, i) => `agent-${i}`);
const agentUser = (endpointId: string) => `u-${endpointId}`;
/** A load run's worth of leads, for the harness's settle check. */
const RUN_LEADS = 600;
/** Unread entries left in each personal inbox (the rest read by a "mark all read"). */
const UNREAD = 10;
/** Leads sampled for the per-lead queries (loader, contact, history, duplicate and suppression checks), visited in turn. */
const SAMPLE = 64;
const BATCH = 1000;

const pii = createPiiCodec(DEV_PII_KEY);
const phoneOf = (k: number) => `+1214${String(3_000_000 + k).padStart(7, '0')}`;
const emailOf = (k: number) => `lead${k}@example.com`;

function tenantConfig(tenantId: string): TenantConfigDocument {
  return TenantConfigDocumentSchema.parse({
    tenant: { id: tenantId, name: `Growth ${tenantId}`, timeZone: ZONE },
    sources: SOURCES.map((s) => ({ id: s.id, name: s.id, costBasis: { kind: 'per_lead', amountCents: s.costCents } })),
    endpoints: [
      ...BUYERS.map((b) => ({ id: b.id, name: b.id, kind: 'buyer', bidCents: b.priceCents })),
      ...LOCATIONS.map((id) => ({ id, name: id, kind: 'location' })),
      ...AGENTS.map((id) => ({ id, name: id, kind: 'agent' })),
    ],
  });
}

/** Buffers documents per collection and inserts them 1,000 at a time, one insert after another. */
function bulkLoader(conn: Connection) {
  const buffers = new Map<string, object[]>();
  const counts = new Map<string, number>();
  async function flush(name: string) {
    const docs = buffers.get(name) ?? [];
    if (docs.length === 0) return;
    buffers.set(name, []);
    await conn.collection(name).insertMany(docs, { ordered: false });
    counts.set(name, (counts.get(name) ?? 0) + docs.length);
  }
  return {
    counts,
    async push(name: string, ...docs: object[]) {
      const buf = buffers.get(name) ?? [];
      buffers.set(name, buf);
      buf.push(...docs);
      if (buf.length >= BATCH) await flush(name);
    },
    async flushAll() {
      for (const name of buffers.keys()) await flush(name);
    },
  };
}

interface Seeded {
  /** Tenant A's leads, for choosing what the queries ask about. */
  leads: Array<Pick<LeadState, 'leadId' | 'receivedAt' | 'sourceId' | 'deliveredTo'> & { k: number }>;
  counts: Map<string, number>;
  seconds: number;
}

async function seed(conn: Connection, size: number, now: number): Promise<Seeded> {
  const t0 = performance.now();
  // The product's indexes, as its models declare them (mongoose creates them at startup); sequential on purpose.
  for (const m of [leadModel(conn), leadDayModel(conn), leadEventModel(conn), suppressionModel(conn), configVersionModel(conn)]) await m.createIndexes();
  await reportStore(conn).ensureIndexes();
  for (const t of TENANTS) await configStore(conn).publish(t.id, tenantConfig(t.id), 'growth-bench');

  const load = bulkLoader(conn);
  const leadsOfA: Seeded['leads'] = [];
  const postings: Array<{ prefix: string; leadId: string; receivedAt: number; kind: 'phone' | 'email' }> = [];
  const notes: Array<{ tenantId: string; recipient: string; at: number; doc: Record<string, unknown>; guard: string }> = [];
  const phonesAll = new Set<number>();
  const seededDays = new Set<string>();
  let k = 0; // consumer number across tenants: about one in ten comes back later (a duplicate)
  for (const [ti, t] of TENANTS.entries()) {
    const n = Math.round(size * t.share);
    const days = Math.max(31, Math.ceil(n / PER_DAY));
    const endMidnight = Date.parse(`${localDay(now, ZONE)}T06:00:00Z`); // about 00:00 in Chicago
    const opts: GeneratorOptions = {
      tenantId: t.id,
      seed: 2026 + ti,
      start: endMidnight - (days - 1) * DAY,
      days,
      leads: n,
      sources: SOURCES,
      markets: SAMPLE_MARKETS,
      buyers: BUYERS,
      locations: LOCATIONS,
      agents: AGENTS,
      returnWindowMs: 7 * DAY,
      now,
      idPrefix: t.prefix,
    };
    const leadFactsByDay = new Map<string, LeadFact[]>();
    const endpointFactsByDay = new Map<string, EndpointFact[]>();
    const repeatEvery = Math.max(1, Math.ceil(n * 0.9));
    let i = -1;
    for (const events of generateLeadEvents(opts)) {
      i += 1;
      if (events.length === 0) continue; // received after `now`
      const consumer = k + (i % repeatEvery);
      let state: LeadState | undefined;
      for (const e of events) state = applyLeadEvent(state, e);
      const lead = state!;
      // As db/lead-store.ts writes it: the read model under its days, and each new day in the tenant's list of days.
      const leadDoc = toLeadDoc(lead);
      await load.push('leads', leadDoc);
      for (const day of daysOfLeadDoc(leadDoc)) {
        for (const doc of leadDayDocs(t.id, day)) {
          if (seededDays.has(doc._id)) continue;
          seededDays.add(doc._id);
          await load.push('lead_days', doc);
        }
      }
      await load.push('lead_events', ...events.map(({ id, ...rest }) => ({ _id: id, ...rest })));
      const f = factsFromEvents(events, ZONE);
      if (f) {
        await load.push('report_facts', toLeadFactDoc(f.lead), ...f.endpoints.map(toEndpointFactDoc));
        if (!leadFactsByDay.has(f.lead.day)) leadFactsByDay.set(f.lead.day, []);
        leadFactsByDay.get(f.lead.day)!.push(f.lead);
        for (const e of f.endpoints) {
          if (!endpointFactsByDay.has(e.day)) endpointFactsByDay.set(e.day, []);
          endpointFactsByDay.get(e.day)!.push(e);
        }
      }
      const validated = events.find((e): e is Extract<LeadEvent, { type: 'validated' }> => e.type === 'validated');
      const market = lead.market;
      const phone = phoneOf(consumer);
      const email = emailOf(consumer);
      phonesAll.add(consumer);
      // The contact as lead-contact-store.ts writes it: readable names and place, sealed phone, email and street.
      await load.push('lead_contacts', {
        _id: lead.leadId,
        tenantId: t.id,
        sourceId: lead.sourceId,
        receivedAt: lead.receivedAt,
        ...(validated ? { accepted: validated.data.outcome === 'accepted' } : {}),
        firstName: `First${consumer % 997}`,
        lastName: `Last${consumer % 991}`,
        ...(market?.city ? { city: market.city } : {}),
        ...(market?.state ? { state: market.state } : {}),
        zip: market?.zip ?? '75201',
        phone: pii.seal(phone),
        phoneE164: pii.seal(phone),
        email: pii.seal(email),
        street: pii.seal(`${100 + (consumer % 9000)} Main St`),
      });
      for (const kind of ['phone', 'email'] as const) {
        const hash = pii.hash(kind === 'phone' ? phone : email);
        postings.push({ prefix: `dup|${t.id}|${kind}|${hash}`, leadId: lead.leadId, receivedAt: lead.receivedAt, kind });
      }
      // Offers: the endpoint's inbox entry (myOffers reads it) and a personal alert to the agent's user; lapses and escalations alert people too.
      for (const e of events) {
        if (e.type === 'offered') {
          for (const ep of e.data.endpointIds) {
            const body = {
              leadId: lead.leadId,
              kind: 'offered',
              message: 'A new lead is offered to you.',
              at: e.at,
              deadlineAt: e.data.deadlineAt,
              round: e.data.round,
            };
            notes.push({ tenantId: t.id, recipient: ep, at: e.at, doc: body, guard: `note|${t.id}|${ep}|${lead.leadId}|offered:${e.data.round}` });
            notes.push({
              tenantId: t.id,
              recipient: userInbox(agentUser(ep)),
              at: e.at,
              doc: { ...body, link: `https://claim.example/${lead.leadId}` },
              guard: `note|${t.id}|${userInbox(agentUser(ep))}|${lead.leadId}|offered:${e.data.round}`,
            });
          }
        } else if (e.type === 'lapsed' || e.type === 'escalated' || e.type === 'claimed') {
          const who = e.type === 'escalated' ? 'managers' : userInbox(agentUser(e.type === 'lapsed' ? e.data.endpointIds[0]! : e.data.endpointId));
          notes.push({
            tenantId: t.id,
            recipient: who,
            at: e.at,
            doc: { leadId: lead.leadId, kind: e.type, message: `lead ${e.type}`, at: e.at },
            guard: `note|${t.id}|${who}|${lead.leadId}|${e.type}:${e.seq}`,
          });
        }
      }
      if (t.id === T)
        leadsOfA.push({
          leadId: lead.leadId,
          receivedAt: lead.receivedAt,
          sourceId: lead.sourceId,
          k: consumer,
          ...(lead.deliveredTo ? { deliveredTo: lead.deliveredTo } : {}),
        });
    }
    k += repeatEvery;
    // Rollup blocks from the day rows, as report-store.ts stores them (a full rebuild's result).
    const blocks = [
      ...blocksFromDays('source', new Map([...leadFactsByDay].map(([d, fs]) => [d, sourceRowsOf(fs)]))),
      ...blocksFromDays('endpoint', new Map([...endpointFactsByDay].map(([d, fs]) => [d, endpointRowsOf(fs)]))),
    ];
    for (const b of blocks) await load.push('report_rollups', toRollupDoc(t.id, b));
  }
  // Duplicate postings, in arrival order per key, each with its guard (lead-contact-store.ts's `register`).
  postings.sort((a, b) => a.receivedAt - b.receivedAt);
  const next = new Map<string, number>();
  for (const p of postings) {
    const n = (next.get(p.prefix) ?? 0) + 1;
    next.set(p.prefix, n);
    await load.push('lead_index', { _id: `dupguard|${p.leadId}|${p.kind}` }, { _id: `${p.prefix}#${n}`, leadId: p.leadId, receivedAt: p.receivedAt });
  }
  // Inboxes, in time order (notification-store.ts's numbering), with each entry's guard; every
  // personal inbox read up to its last UNREAD entries (a "mark all read" watermark).
  notes.sort((a, b) => a.at - b.at);
  const top = new Map<string, number>();
  for (const x of notes) {
    const inbox = `inbox|${x.tenantId}|${x.recipient}`;
    const n = (top.get(inbox) ?? 0) + 1;
    top.set(inbox, n);
    await load.push('notifications', { _id: x.guard, at: x.at }, { _id: `${inbox}#${n}`, ...x.doc });
  }
  for (const [inbox, n] of top) {
    if (n <= UNREAD || !inbox.includes('|user:')) continue;
    const [, tenantId, recipient] = inbox.split('|');
    await load.push('notifications', { _id: `readall|${tenantId}|${recipient}#1`, upTo: n - UNREAD, at: new Date(now) });
  }
  await load.flushAll();

  // Do-not-call lists through the store: a federal registry of `size` numbers (every other
  // consumer of ours among them), a Texas list of a tenth of that, and the tenant's opt-outs.
  const store = suppressionStore(conn);
  const registry = function* (count: number, offset: number) {
    for (let i = 0; i < count; i += 10_000) {
      const lines: string[] = [];
      for (let j = i; j < Math.min(count, i + 10_000); j++) lines.push(j % 2 === 0 ? phoneOf(j) : `+1469${String(offset + j).padStart(7, '0')}`);
      yield `${lines.join('\n')}\n`;
    }
  };
  for (const [target, count] of [
    [{ list: 'federal', source: 'growth registry' }, size],
    [{ list: 'state', state: 'TX', source: 'growth TX list' }, Math.ceil(size / 10)],
  ] as const) {
    const r = await store.loadCsv(Readable.from(registry(count, 2_000_000)), target, { mode: 'replace', by: 'growth-bench' });
    if (!r.ok) throw new Error(`suppression load failed: ${r.error}`);
    load.counts.set('suppressions', (load.counts.get('suppressions') ?? 0) + r.inserted);
  }
  const optOuts = [...phonesAll].filter((c) => c % 100 === 1).map(phoneOf);
  for (let i = 0; i < optOuts.length; i += BATCH) {
    const r = await store.add(optOuts.slice(i, i + BATCH), { list: 'internal', tenantId: T, source: 'opt-out' });
    if (r.ok) load.counts.set('suppressions', (load.counts.get('suppressions') ?? 0) + r.inserted);
  }
  return { leads: leadsOfA, counts: load.counts, seconds: (performance.now() - t0) / 1000 };
}

interface Query {
  name: string;
  /** Where in the product it runs. */
  where: string;
  /** One call; returns how many rows (leads, entries, report rows...) it produced. */
  run: (i: number) => Promise<number>;
}

function queries(conn: Connection, seeded: Seeded, now: number): Query[] {
  const q = leadQuery(conn);
  const events = leadStore(conn);
  const inbox = notificationStore(conn);
  const offers = openOffers(conn, { notes: inbox });
  const watch = offers.watcher(T, 'agent-0');
  const reports = reportService(conn, { now: () => now });
  const store = reportStore(conn);
  const suppression = suppressionStore(conn);
  // Lead history without Temporal: the agents' view ('events') reads the lead's events and the configuration only.
  const history = leadHistoryService({ temporal: {} as Client, mongo: conn });
  const configs = configStore<TenantConfigDocument>(conn);

  const byTime = [...seeded.leads].sort((a, b) => a.receivedAt - b.receivedAt);
  const sample = Array.from({ length: SAMPLE }, (_, j) => byTime[Math.floor(((j + 0.5) / SAMPLE) * byTime.length)]!);
  const pick = (i: number) => sample[i % sample.length]!;
  const runIds = byTime.slice(-RUN_LEADS).map((l) => l.leadId);
  const today = localDay(now, ZONE);
  const from30 = addDays(today, -29);
  const lastMonth = monthOf(addDays(`${monthOf(today)}-01`, -1));
  const staff: LeadScope = { kind: 'tenant' };
  const agent: LeadScope = { kind: 'agent', userId: agentUser('agent-0'), endpointId: 'agent-0' };
  const vendor: LeadScope = { kind: 'source', sourceId: 'web' };
  const buyer: LeadScope = { kind: 'delivered_to', endpointId: 'buyer-0' };
  const ops: ReportScope = { tenantId: T };
  const page = { first: 50 };
  const list =
    (scope: LeadScope, filter: Parameters<typeof q.list>[2] = {}) =>
    async () =>
      (await q.list(T, scope, filter, page)).leads.length;
  let page2: { receivedAt: number; leadId: string } | undefined;
  let markDay = 0;

  return [
    { name: 'leads board: newest 50', where: 'api/leads leads → db/lead-query list', run: list(staff) },
    {
      name: 'leads board: page 2 (cursor)',
      where: 'api/leads leads(after) → db/lead-query list',
      run: async () => {
        page2 ??= decodeCursor((await q.list(T, staff, {}, page)).endCursor!);
        return (await q.list(T, staff, {}, { ...page, after: page2 })).leads.length;
      },
    },
    { name: 'leads: status assigned', where: 'api/leads leads(filter.status)', run: list(staff, { status: ['assigned'] }) },
    { name: 'leads: status offered (in flight)', where: 'api/leads leads(filter.status)', run: list(staff, { status: ['offered'] }) },
    { name: 'leads: source web', where: 'api/leads leads(filter.sourceId)', run: list(staff, { sourceId: 'web' }) },
    { name: 'leads: endpoint buyer-0', where: 'api/leads leads(filter.endpointId)', run: list(staff, { endpointId: 'buyer-0' }) },
    { name: 'leads: received last 7 days', where: 'api/leads leads(filter.receivedFrom)', run: list(staff, { receivedFrom: now - 7 * DAY }) },
    { name: 'leads: agent scope (own and offered)', where: 'api/leads leads as an agent', run: list(agent) },
    { name: 'portal: mySubmissions (vendor)', where: 'api/portals mySubmissions', run: list(vendor) },
    { name: 'portal: myDeliveries (buyer)', where: 'api/portals myDeliveries', run: list(buyer) },
    { name: 'portal: myReturns (buyer)', where: 'api/portals myReturns', run: list(buyer, { returned: true }) },
    {
      name: 'portal: myAcceptance, 30 days',
      where: 'api/portals myAcceptance → db/lead-query sourceOutcomes',
      run: async () => (await q.sourceOutcomes(T, 'web', now - 30 * DAY, now)).received,
    },
    {
      name: 'portal: openReturnWindows (buyer)',
      where: 'api/portals openReturnWindows → db/lead-query returnable',
      run: async () => {
        const config = await configs.latest(T);
        const windows = (config?.document.sources ?? []).map((s) => ({ sourceId: s.id, since: now - s.returnWindowSec * 1000 }));
        return (await q.returnable(T, 'buyer-0', windows, 1000)).length;
      },
    },
    {
      name: 'lead loader: one lead by id',
      where: 'api/context loaders.lead → db/lead-query byIds',
      run: async (i) => (await q.byIds(T, [pick(i).leadId])).size,
    },
    {
      name: 'lead detail: contact',
      where: 'api/context loaders.contact → db/lead-contact-store get',
      run: async (i) => ((await leadContactStore(conn, pii).get(T, pick(i).leadId)) ? 1 : 0),
    },
    {
      name: 'lead history (events view)',
      where: 'api/lead-ops leadHistory → services/lead-history get',
      run: async (i) => (await history.get(T, pick(i).leadId, 'events', now))?.entries.length ?? 0,
    },
    {
      name: 'return stats (worker, on a return)',
      where: 'activities returnStats → db/lead-store returnStats',
      run: async () => (await events.returnStats(T, 'web', now)).delivered,
    },
    { name: 'myOffers (agent-0)', where: 'api/offers myOffers → services/open-offers list', run: async () => (await offers.list(T, 'agent-0', now)).length },
    { name: 'offer subscription poll (warm)', where: 'api/offers offerReceived → open-offers watcher', run: async () => (await watch(now)).length },
    {
      name: 'myNotifications: first page',
      where: 'api/notifications myNotifications → db/notification-store page',
      run: async () => (await notificationStore(conn).page(T, userInbox(agentUser('agent-0')), { first: 20 })).entries.length,
    },
    {
      name: 'notifications: unread count',
      where: 'api/notifications markNotificationsRead → notification-store unreadCount',
      run: async () => notificationStore(conn).unreadCount(T, userInbox(agentUser('agent-0'))),
    },
    {
      name: 'notification subscription poll (warm)',
      where: 'api/notifications notificationReceived → notification-store highest',
      run: async () => inbox.highest(T, userInbox(agentUser('agent-0'))),
    },
    {
      name: 'report: source × state × county, 30 days',
      where: 'api/reports sourceReport → services/reports',
      run: async () => (await reports.sourceReport(ops, { from: from30, to: today, groupBy: ['source', 'state', 'county'] })).rows.length,
    },
    {
      name: 'report: endpoint, 30 days',
      where: 'api/reports endpointReport → services/reports',
      run: async () => (await reports.endpointReport(ops, { from: from30, to: today, groupBy: ['endpoint'] })).rows.length,
    },
    {
      name: 'report: speed to lead by source, 30 days',
      where: 'api/reports speedToLead → services/reports',
      run: async () => (await reports.speedToLead(ops, { from: from30, to: today, by: 'source', groupBy: [] })).rows.length,
    },
    {
      name: 'report after a change (one day refreshed)',
      where: 'services/reports ensureFresh → report-store refresh',
      run: async () => {
        // A lead's facts changed on one of the last 30 days: its mark, then the report folds the day in.
        await store.mark(T, [addDays(today, -(markDay++ % 30))]);
        return (await reports.sourceReport(ops, { from: from30, to: today, groupBy: ['source'] })).rows.length;
      },
    },
    {
      name: 'statement: source, last month',
      where: 'api/reports sourceStatement → report-store leadFactsOfMonth',
      run: async () => (await reports.sourceStatement(ops, { sourceId: 'web', month: lastMonth })).lines.length,
    },
    {
      name: 'statement: buyer, last month',
      where: 'api/reports buyerStatement → report-store endpointFactsOfMonth',
      run: async () => (await reports.buyerStatement(ops, { endpointId: 'buyer-0', month: lastMonth })).lines.length,
    },
    {
      name: 'duplicate check: priors of a phone and email',
      where: 'activities validate-lead → lead-contact-store findPriors',
      run: async (i) => {
        const l = pick(i);
        const keys = { phone: pii.hash(phoneOf(l.k)), email: pii.hash(emailOf(l.k)) };
        // A new lead's keys are cold in every process: a store of its own each time.
        const dup = leadContactStore(conn, pii).duplicates;
        return (await dup.findPriors({ tenantId: T, sourceId: l.sourceId, keys, since: l.receivedAt - 30 * DAY, until: now })).length;
      },
    },
    {
      name: 'suppression check: phone and email',
      where: 'activities validate-lead → suppression-store check',
      run: async (i) => (await suppression.check(phoneOf(pick(i).k), emailOf(pick(i).k), { tenantId: T, state: 'TX' })).length,
    },
    {
      name: 'suppression lists with counts',
      where: 'api/suppression suppressionLists → suppression-store lists',
      run: async () => (await suppression.lists(T)).length,
    },
    {
      name: 'settle check, before: find({ tenantId })',
      where: 'load/run.ts settle loop (until this commit)',
      run: async () => (await leadModel(conn).find({ tenantId: T }, { leadId: 1, status: 1, deliveredAt: 1, updatedAt: 1 }).lean()).length,
    },
    {
      name: `settle check: ${RUN_LEADS} run leads by id`,
      where: 'load/run.ts settle loop → load/settle.ts readSettled',
      run: async () => (await readSettled(conn, T, runIds, new Map())).size,
    },
  ];
}

async function time(size: number, query: Query): Promise<GrowthResult> {
  let i = 0;
  const t = performance.now();
  let rows = await query.run(i++);
  // Warm-up: three calls, or one for a query slower than the slow threshold.
  if (performance.now() - t < SAMPLING.slowMs) for (let w = 0; w < 2; w++) rows = await query.run(i++);
  const samples: number[] = [];
  while (!enoughSamples(samples, SAMPLING)) {
    const s = performance.now();
    rows = await query.run(i++);
    samples.push(performance.now() - s);
  }
  return { query: query.name, size, rows, ...summarize(samples) };
}

/**
 * On FerretDB-PostgreSQL, what autovacuum does minutes after a bulk load, done
 * before timing: statistics and visibility maps for the loaded tables
 * (scripts/ferretdb/vacuum.go says why).
 */
function vacuumAnalyze(url: string) {
  const r = spawnSync(paths.ferret, ['-vacuum', '-postgresql-url', url], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vacuum after seeding failed: ${r.stderr || r.error?.message}`);
}

const results: GrowthResult[] = [];
function writeJson(path: string) {
  const doc = {
    at: new Date().toISOString(),
    server: serverKind,
    sizes: SIZES,
    sampling: SAMPLING,
    seeded: seededInfo,
    queries: [...where].map(([name, at]) => ({ name, where: at })),
    results,
    rows: growthRows(results, SIZES),
  };
  writeFileSync(path, `${JSON.stringify(doc, null, 2)}\n`);
}
const where = new Map<string, string>();
/** The machine's 1-minute load average before and after each size's queries: other work on the cores shows here. */
const seededInfo: Array<{ size: number; seconds: number; documents: Record<string, number>; loadAverage?: [number, number] }> = [];
let serverKind = '';
for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-growth-bench-'));
  const server = await startMongo({ port: await freePort(), dataDir: join(dir, 'mongo'), logFile: join(dir, 'mongo.log') });
  serverKind = server.kind;
  const conn = await connectMongo(server.uri, { dbName: `growth_bench_${size}` });
  try {
    if (process.env.MONGODB_URI) await conn.dropDatabase();
    const now = Date.now();
    process.stdout.write(`\n${size} leads on ${server.kind}: seeding...`);
    const seeded = await seed(conn, size, now);
    const documents = Object.fromEntries([...seeded.counts].sort());
    seededInfo.push({ size, seconds: seeded.seconds, documents });
    process.stdout.write(
      ` ${seeded.seconds.toFixed(1)} s: ${Object.entries(documents)
        .map(([c, n]) => `${c} ${n}`)
        .join(', ')}\n`,
    );
    await new Promise((r) => setTimeout(r, 2000)); // background index maintenance, where the server has any
    if (server.postgres) vacuumAnalyze(server.postgres.url(FERRET_DATABASE));
    const info = seededInfo[seededInfo.length - 1]!;
    const loadBefore = loadavg()[0]!;
    const table: Record<string, object> = {};
    for (const query of queries(conn, seeded, now)) {
      where.set(query.name, query.where);
      const r = await time(size, query);
      results.push(r);
      console.log(
        `  ${query.name.padEnd(48)} rows ${String(r.rows).padStart(5)}  n ${String(r.n).padStart(2)}  median ${ms(r.median).padStart(6)} ms  p99 ${ms(r.p99).padStart(6)} ms`,
      );
      table[query.name] = { rows: r.rows, n: r.n, 'median ms': ms(r.median), 'p99 ms': ms(r.p99) };
    }
    console.table(table);
    info.loadAverage = [loadBefore, loadavg()[0]!];
    console.log(`load average (1 min) ${info.loadAverage.map((x) => x.toFixed(1)).join(' → ')}`);
    if (flags.json) writeJson(flags.json); // what is measured so far, in case a later size is cut short
  } finally {
    if (process.env.MONGODB_URI) await conn.dropDatabase().catch(() => undefined);
    await conn.close().catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = growthRows(results, SIZES);
console.log(
  `\ngrowth on ${serverKind}: median (p99) ms per query, ${SAMPLING.runs} runs after warm-up (${SAMPLING.slowRuns} when a run exceeds ${SAMPLING.slowMs} ms)\n`,
);
console.log(formatGrowthTable(rows, SIZES));
if (SIZES.length > 1) {
  const over = rows.filter((r) => grows(r));
  console.log(`\ngrowth: ${rows.length} queries, ${over.length} more than 2× slower at ${SIZES[SIZES.length - 1]} leads than at ${SIZES[0]}`);
}
if (flags.json) {
  writeJson(flags.json);
  console.log(`results written to ${flags.json}`);
}
