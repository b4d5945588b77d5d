import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../domain/allocation/random.ts';

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  idempotencyKey?: string;
  receivedAt: number;
  /** The status this receiver answered with. */
  status: number;
}

export interface FailurePlan {
  /** Fail the next `count` requests. */
  count?: number;
  /** Fail this fraction (0..1) of requests, chosen by a seeded generator so runs repeat. */
  fraction?: number;
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpReceiverOptions {
  /** Status for requests that are not failed. */
  okStatus?: number;
  /** Delay before answering, to exercise timeouts. */
  delayMs?: number;
  seed?: number;
  /** Keep at most this many requests (a load run can send many). */
  maxRecorded?: number;
}

export type Responder = (r: RecordedRequest) => { status?: number; body: unknown } | undefined;

export interface HttpReceiver {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests seen since start or the last reset, including those past `maxRecorded`. */
  received(): number;
  failNext(count: number, status: number, extra?: { body?: string; headers?: Record<string, string> }): void;
  failFraction(fraction: number, status: number): void;
  setDelay(ms: number): void;
  /** Answer requests that are not failed with this (a provider's JSON); undefined falls back to the default answer. */
  respondWith(fn: Responder | undefined): void;
  /** Requests grouped by idempotency key: a key with more than one entry is a retry, not a new lead. */
  byIdempotencyKey(): Map<string, RecordedRequest[]>;
  reset(): void;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 and a random port that records every request and fails on demand. */
export async function startHttpReceiver(opts: HttpReceiverOptions = {}): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  let seq = 0;
  let failCount = 0;
  let failCountPlan: FailurePlan | undefined;
  let fractionPlan: FailurePlan | undefined;
  let delayMs = opts.delayMs ?? 0;
  const random = seededRandom(opts.seed ?? 1);
  const maxRecorded = opts.maxRecorded ?? 100_000;
  let responder: Responder | undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = ++seq;
      const url = new URL(req.url ?? '/', 'http://receiver.local');
      let plan: FailurePlan | undefined;
      if (failCount > 0) {
        failCount--;
        plan = failCountPlan;
      } else if (fractionPlan?.fraction !== undefined && random() < fractionPlan.fraction) {
        plan = fractionPlan;
      }
      const key = req.headers['idempotency-key'];
      const record: RecordedRequest = {
        seq: n,
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
        status: 0,
      };
      const custom = plan ? undefined : responder?.(record);
      const status = plan?.status ?? custom?.status ?? opts.okStatus ?? 200;
      record.status = status;
      if (typeof key === 'string') record.idempotencyKey = key;
      if (requests.length < maxRecorded) requests.push(record);
      const answer = () => {
        if (res.destroyed) return;
        res.writeHead(status, { 'Content-Type': 'application/json', ...plan?.headers });
        if (plan) res.end(plan.body ?? JSON.stringify({ error: `failing on purpose with ${status}` }));
        else res.end(JSON.stringify(custom ? custom.body : { id: `rcv-${n}`, accepted: true }));
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    received: () => seq,
    failNext(count, status, extra) {
      failCount = count;
      failCountPlan = { count, status, ...extra };
    },
    failFraction(fraction, status) {
      if (!(fraction >= 0 && fraction <= 1)) throw new Error(`fraction must be between 0 and 1, got ${fraction}`);
      fractionPlan = { fraction, status };
    },
    setDelay(ms) {
      delayMs = ms;
    },
    respondWith(fn) {
      responder = fn;
    },
    byIdempotencyKey() {
      const groups = new Map<string, RecordedRequest[]>();
      for (const r of requests) {
        const k = r.idempotencyKey ?? '(none)';
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      return groups;
    },
    reset() {
      requests.length = 0;
      seq = 0;
      failCount = 0;
      failCountPlan = undefined;
      fractionPlan = undefined;
      delayMs = opts.delayMs ?? 0;
      responder = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
