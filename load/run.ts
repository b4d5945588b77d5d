import { Client, Connection } from '@temporalio/client';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { Connection as MongoConnection } from 'mongoose';
import { leadStore } from '../db/lead-store.ts';
import { reservationStore } from '../db/reservation-store.ts';
import { capWindowKeysInZone, CAP_WINDOWS } from '../domain/allocation/cap-windows.ts';
import { connectMongo } from '../infra/mongo.ts';
import { temporalDataConverter } from '../infra/payload-codec.ts';
import { DEV_PII_KEY } from '../infra/pii.ts';
import { apiKeys } from '../services/api-keys.ts';
import { tenantConfigs } from '../services/tenant-config.ts';
import { publishConfig } from '../testing/config.ts';
import { startHttpReceiver, type HttpReceiver } from '../testing/http-receiver.ts';
import { measureCeiling } from './ceiling.ts';
import { commandsBetween, scrapeDbCommands, sumOf } from './commands.ts';
import { cpuMsOfTrees } from './cpu.ts';
import { LOAD_TENANT, loadLead, loadNetwork } from './network.ts';
import { postLeads, type PostRecord } from './post.ts';
import { readSettled, type SettledLead } from './settle.ts';
import { findRunningStack, startLoadStack, type LoadStack } from './stack.ts';
import { fmt, percentile, progress } from './stats.ts';

export type Fault = 'worker-kill' | 'temporal-restart' | 'mongo-restart' | 'receiver-flap';

export interface LoadOptions {
  leads: number;
  rate: number;
  fault?: Fault;
  /** Leads go to the agent desk and wait for a claim (memory runs). */
  source: 'web' | 'desk';
  /** Measure the worker's resident memory once every lead waits. */
  memory: boolean;
  ceiling: boolean;
  keep: boolean;
  /** CPU-profile the worker and the API (the run's directory is kept for the profiles). */
  profile?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LoadReport {
  posted: number;
  accepted: number;
  terminal: number;
  lost: number;
  duplicates: number;
  capsExceeded: string[];
  intakeP50: number;
  intakeP99: number;
  deliveredP50: number;
  deliveredP99: number;
  throughput: number;
  ceiling?: number;
  ceilingRatio?: number;
  statuses: Record<string, number>;
  workerRssMb?: number;
  /** Database commands of the worker and the API per delivered lead. */
  commandsPerLead?: number;
  line: string;
  commandsLine?: string;
}

function rssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Injects the run's fault while leads are being posted; resolves when the fault is over. */
async function injectFault(fault: Fault, stack: LoadStack, receiver: HttpReceiver, postingMs: number, say: (s: string) => void): Promise<void> {
  switch (fault) {
    case 'worker-kill':
      for (let k = 1; k <= 5; k++) {
        await sleep(postingMs / 6);
        say(`kill -9 worker (${k} of 5)`);
        await stack.killWorker();
        await sleep(1000);
        await stack.startWorker();
        say(`worker back (${k} of 5)`);
      }
      return;
    case 'temporal-restart':
      await sleep(postingMs / 2);
      say('stopping the Temporal dev server');
      await stack.stopTemporal();
      await sleep(5000);
      await stack.startTemporal();
      say('Temporal dev server back');
      return;
    case 'mongo-restart':
      await sleep(postingMs / 3);
      say('stopping the MongoDB-wire server for 30 s');
      await stack.stopMongo();
      await sleep(30_000);
      await stack.startMongo();
      say('MongoDB-wire server back');
      return;
    case 'receiver-flap':
      say('receiver fails half its requests for 60 s');
      receiver.failFraction(0.5, 503);
      await sleep(60_000);
      receiver.failFraction(0, 503);
      say('receiver healthy again');
      return;
  }
}

/** Stage durations per lead from its events: post → workflow start → validated → routed → delivered. */
async function stageTimes(mongo: MongoConnection, posts: PostRecord[]): Promise<Record<string, { 'p50 ms': string; 'p90 ms': string; 'p99 ms': string }>> {
  const events = leadStore(mongo);
  const spans: Record<string, number[]> = {
    'post → received (intake, start, first task)': [],
    'received → validated': [],
    'validated → routed': [],
    'routed → delivered': [],
  };
  for (const p of posts) {
    const ev = await events.events(p.leadId!);
    const at = (t: string) => ev.find((e) => e.type === t)?.at;
    const [rec, val, rou, del] = [at('received'), at('validated'), at('routed'), at('delivered')];
    if (rec !== undefined) spans['post → received (intake, start, first task)']!.push(rec - p.firstAt);
    if (rec !== undefined && val !== undefined) spans['received → validated']!.push(val - rec);
    if (val !== undefined && rou !== undefined) spans['validated → routed']!.push(rou - val);
    if (rou !== undefined && del !== undefined) spans['routed → delivered']!.push(del - rou);
  }
  return Object.fromEntries(
    Object.entries(spans).map(([k, v]) => [k, { 'p50 ms': fmt(percentile(v, 0.5)), 'p90 ms': fmt(percentile(v, 0.9)), 'p99 ms': fmt(percentile(v, 0.99)) }]),
  );
}

/** Every cap window of every endpoint, at the run's start and end hours: units in use never above the limit. */
async function capsExceeded(mongo: MongoConnection, times: number[]): Promise<string[]> {
  const config = await tenantConfigs(mongo).latest(LOAD_TENANT);
  if (!config) return ['no configuration'];
  const reservations = reservationStore(mongo);
  const out: string[] = [];
  for (const ep of config.snapshot().endpoints.values()) {
    for (const at of times) {
      const keys = capWindowKeysInZone(ep.zone, at);
      for (const w of CAP_WINDOWS) {
        const limit = ep.caps[w];
        if (limit === undefined) continue;
        const used = await reservations.used(LOAD_TENANT, ep.capScopePrefix + keys[w]);
        if (used > limit) out.push(`${ep.id} ${w} ${keys[w]}: ${used} of ${limit}`);
      }
    }
  }
  return [...new Set(out)];
}

export async function runLoad(o: LoadOptions, say: (s: string) => void = (s) => process.stderr.write(`\n[load] ${s}\n`)): Promise<LoadReport> {
  const runId = Date.now().toString(36);
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-load-'));
  const receiver = await startHttpReceiver({ maxRecorded: o.leads * 8 + 1000 });
  const needOwn = o.fault !== undefined || o.memory || o.profile === true;
  const existing = needOwn ? undefined : await findRunningStack();
  say(existing ? `using the running stack at ${existing.apiUrl}` : `starting the embedded stack in ${dir}`);
  const stack = existing ?? (await startLoadStack(dir, { profile: o.profile === true }));
  const mongo = await connectMongo(stack.mongoUri);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, dataConverter: temporalDataConverter(process.env.PII_KEY ?? DEV_PII_KEY) });
  try {
    await publishConfig(mongo, loadNetwork(receiver.url), 'load-harness');
    const { key } = await apiKeys(mongo).issue(LOAD_TENANT, o.source, 'load-harness');

    const postingMs = (o.leads / o.rate) * 1000;
    // Held, not left floating: a fault that fails (a worker that does not come back) must still reach the finally below and stop the stack.
    let faultError: unknown;
    const faultDone = (o.fault ? injectFault(o.fault, stack, receiver, postingMs, say) : Promise.resolve()).catch((err: unknown) => {
      faultError = err;
    });
    let answered = 0;
    const cpuBefore = cpuMsOfTrees(stack.pids());
    const commandsBefore = await Promise.all([scrapeDbCommands(stack.metricsUrls.worker), scrapeDbCommands(stack.metricsUrls.api)]);
    const startedAt = Date.now();
    const ticker = setInterval(() => progress('posting', answered, o.leads, `${receiver.received()} deliveries`), 500);
    const posts: PostRecord[] = await postLeads({
      url: stack.apiUrl,
      apiKey: key,
      count: o.leads,
      rate: o.rate,
      payload: (i) => loadLead(i, runId),
      onAnswer: () => (answered += 1),
    });
    clearInterval(ticker);
    progress('posting', answered, o.leads, `${receiver.received()} deliveries`);
    await faultDone;
    if (faultError) throw new Error(`the ${o.fault} fault could not be carried out: ${faultError instanceof Error ? faultError.message : inspect(faultError)}`);

    const accepted = posts.filter((p) => p.leadId);
    const ids = new Set(accepted.map((p) => p.leadId!));
    const settleBy = Date.now() + (o.fault ? 10 : 4) * 60_000 + (o.memory ? 10 * 60_000 : 0);
    // Each look reads only the run's leads not settled yet, by `_id` (load/settle.ts).
    const settled = new Map<string, SettledLead>();
    for (;;) {
      await readSettled(
        mongo,
        LOAD_TENANT,
        [...ids].filter((id) => !settled.has(id)),
        settled,
      ).catch(() => undefined); // a restarting server (a fault run): look again
      progress('settling', settled.size, ids.size, `${receiver.received()} deliveries`);
      if (settled.size >= ids.size || Date.now() > settleBy) break;
      await sleep(o.leads > 2000 ? 5000 : 2000);
    }
    // Once more for those settled along the way: where they stand now (an offer claimed since, say).
    await readSettled(mongo, LOAD_TENANT, [...settled.keys()], settled).catch(() => undefined);
    process.stderr.write('\n');
    // CPU from posting to settled, before the ceiling run; a fault restarts processes, so its figure would be partial.
    const cpuAfter = cpuMsOfTrees(stack.pids());
    const perLead = (k: keyof typeof cpuAfter) => ((cpuAfter[k] ?? Number.NaN) - (cpuBefore[k] ?? Number.NaN)) / ids.size;
    // The database's figure includes the PostgreSQL under an embedded FerretDB.
    const cpu = {
      worker: perLead('worker'),
      database: perLead('database') + (cpuAfter.postgres === undefined ? 0 : perLead('postgres')),
      temporal: perLead('temporal'),
      api: perLead('api'),
    };
    const commandsAfter = await Promise.all([scrapeDbCommands(stack.metricsUrls.worker), scrapeDbCommands(stack.metricsUrls.api)]);
    // A restarted worker starts its counters again, so a fault's figure would be partial.
    const [workerCommands, apiCommands] = [0, 1].map((i) =>
      o.fault || !commandsBefore[i] || !commandsAfter[i] ? undefined : commandsBetween(commandsBefore[i], commandsAfter[i]),
    );

    // Deliveries at the receiver: the first 2xx per lead, and any lead that got two different keys.
    const keysByLead = new Map<string, Set<string>>();
    const firstOk = new Map<string, number>();
    for (const r of receiver.requests) {
      const m = /^lead:[^:]+:([^:]+):/.exec(r.idempotencyKey ?? '');
      if (!m || r.status < 200 || r.status >= 300) continue;
      const leadId = m[1]!;
      keysByLead.set(leadId, (keysByLead.get(leadId) ?? new Set()).add(r.idempotencyKey!));
      if (!firstOk.has(leadId)) firstOk.set(leadId, r.receivedAt);
    }
    const duplicates = [...keysByLead.values()].filter((k) => k.size > 1).length;
    const postedAt = new Map(accepted.map((p) => [p.leadId!, p.firstAt]));
    const delivered = [...firstOk].flatMap(([id, at]) => (postedAt.has(id) ? [at - postedAt.get(id)!] : []));
    const intake = accepted.map((p) => p.latencyMs!);
    const lastSettled = Math.max(...[...settled.values()].map((s) => s.at), startedAt + 1);
    const throughput = settled.size / ((lastSettled - startedAt) / 1000);
    const statuses: Record<string, number> = {};
    for (const s of settled.values()) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    const rejectedAtIntake = posts.filter((p) => !p.leadId);
    if (rejectedAtIntake.length) statuses['refused at intake'] = rejectedAtIntake.length;

    const stages = await stageTimes(mongo, accepted.slice(0, 300));
    const workerRssMb = o.memory ? rssMb(stack.pids().worker) : undefined;
    const capProblems = await capsExceeded(mongo, [startedAt, Date.now()]);
    let ceiling: Awaited<ReturnType<typeof measureCeiling>> | undefined;
    if (o.ceiling) {
      say('measuring the stack’s ceiling (empty workflows)');
      ceiling = await measureCeiling(client, process.env.TEMPORAL_TASK_QUEUE ?? 'switchyard');
    }
    const report: LoadReport = {
      posted: posts.length,
      accepted: accepted.length,
      terminal: settled.size,
      lost: ids.size - settled.size,
      duplicates,
      capsExceeded: capProblems,
      intakeP50: percentile(intake, 0.5),
      intakeP99: percentile(intake, 0.99),
      deliveredP50: percentile(delivered, 0.5),
      deliveredP99: percentile(delivered, 0.99),
      throughput,
      statuses,
      line: '',
      ...(ceiling ? { ceiling: ceiling.perSecond, ceilingRatio: throughput / ceiling.perSecond } : {}),
      ...(workerRssMb !== undefined ? { workerRssMb } : {}),
    };
    report.line =
      `load: ${report.posted} posted, ${report.terminal} terminal, ${report.lost} lost, ${report.duplicates} duplicate deliveries, ` +
      `intake p99 ${fmt(report.intakeP99)} ms, delivered p50 ${fmt(report.deliveredP50)} ms p99 ${fmt(report.deliveredP99)} ms, ` +
      `throughput ${fmt(report.throughput, 1)}/s, ceiling ratio ${report.ceilingRatio === undefined ? 'n/a' : fmt(report.ceilingRatio, 2)}`;
    console.table({
      run: { leads: o.leads, rate: `${o.rate}/s`, fault: o.fault ?? 'none', 'retried posts': posts.filter((p) => p.attempts > 1).length },
      intake: { 'p50 ms': fmt(report.intakeP50, 1), 'p99 ms': fmt(report.intakeP99, 1) },
      'intake → delivered': { 'p50 ms': fmt(report.deliveredP50), 'p99 ms': fmt(report.deliveredP99), deliveries: delivered.length },
      outcome: { ...statuses, lost: report.lost, 'duplicate deliveries': duplicates, 'caps exceeded': capProblems.length },
      ...(ceiling
        ? {
            ceiling: Object.fromEntries([
              ...ceiling.levels.map((l) => [`${l.concurrency} in flight /s`, fmt(l.perSecond, 1)] as const),
              ['ratio', fmt(report.ceilingRatio!, 2)] as const,
            ]),
          }
        : {}),
      ...(workerRssMb !== undefined ? { memory: { 'worker RSS MB': fmt(workerRssMb, 0), 'waiting leads': settled.size } } : {}),
    });
    console.log("where the time goes (ms, from the leads' own events, first 300 leads):");
    console.table(stages);
    if (capProblems.length) console.log(`caps exceeded: ${capProblems.join('; ')}`);
    if (report.lost > 0)
      console.log(
        `lost leads: ${[...ids]
          .filter((id) => !settled.has(id))
          .slice(0, 20)
          .join(', ')}`,
      );
    // Commands per lead that reached its endpoint (the receiver's first 2xx), both processes, the whole run.
    const deliveredLeads = delivered.length;
    const commandsNote =
      !workerCommands || !apiCommands || deliveredLeads === 0
        ? `commands: n/a (${o.fault ? 'a fault restarts processes' : deliveredLeads === 0 ? 'no lead was delivered' : "a process's metrics page could not be read"})`
        : undefined;
    if (workerCommands && apiCommands && !commandsNote) {
      const per = (m: Map<string, number>) => sumOf(m) / deliveredLeads;
      report.commandsPerLead = per(workerCommands) + per(apiCommands);
      const both = new Map(workerCommands);
      for (const [k, v] of apiCommands) both.set(k, (both.get(k) ?? 0) + v);
      console.log('database commands per delivered lead, by command and collection (worker and API):');
      console.table(Object.fromEntries([...both].sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, { 'per lead': fmt(v / deliveredLeads, 2) }])));
      report.commandsLine = `commands: ${fmt(report.commandsPerLead, 1)} per delivered lead (worker ${fmt(per(workerCommands), 1)}, api ${fmt(per(apiCommands), 1)})`;
    } else report.commandsLine = commandsNote!;
    console.log(report.line);
    const cpuTotal = cpu.worker + cpu.database + cpu.temporal + cpu.api;
    console.log(
      o.fault || !Number.isFinite(cpuTotal)
        ? `cpu: n/a (${o.fault ? 'a fault restarts processes' : stack.own ? 'no lead was accepted' : 'the stack was not started by this run'})`
        : `cpu: ${fmt(cpuTotal)} ms per lead (worker ${fmt(cpu.worker)}, database ${fmt(cpu.database)}, temporal ${fmt(cpu.temporal)}, api ${fmt(cpu.api)})`,
    );
    console.log(report.commandsLine);
    return report;
  } finally {
    await connection.close().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    await receiver.close();
    await stack.stop();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
    else say(`kept ${dir}`);
  }
}
