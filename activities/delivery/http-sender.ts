import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { classifyHttpStatus, classifyNetworkError, parseRetryAfter, type DeliveryOutcome } from '../../domain/delivery/outcome.ts';
import type { HttpRequestSpec } from '../../domain/delivery/http-request.ts';

export interface HttpSendOptions {
  timeoutMs: number;
  receiverRef?: { jsonField?: string; header?: string };
  /**
   * What a refusal's reason may quote of the receiver's answer. By default a
   * snippet of the body; a provider known to echo the recipient's number in
   * its errors gives a summary without it.
   */
  failureDetail?: (body: string) => string;
  /** Replaceable for tests; Node's own fetch (undici) otherwise. */
  fetch?: typeof fetch;
  now?: () => number;
}

/** Receivers sometimes answer with whole pages; we keep enough to explain a failure. */
const MAX_BODY_CHARS = 64 * 1024;

const tracer = trace.getTracer('switchyard-delivery');

/**
 * Sends one attempt inside a client span, with the W3C `traceparent` header
 * so a receiver can join the lead's trace (only when tracing is on). The span
 * names the receiver's host, never the URL: a GET template carries the lead's
 * fields in its query string.
 */
export async function sendHttp(spec: HttpRequestSpec, opts: HttpSendOptions): Promise<DeliveryOutcome> {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return sendOnce(spec, opts); // fetch reports the bad URL as an outcome
  }
  return tracer.startActiveSpan(
    `delivery ${spec.method}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': spec.method, 'server.address': url.hostname, ...(url.port ? { 'server.port': Number(url.port) } : {}) },
    },
    async (span) => {
      const headers = { ...spec.headers };
      propagation.inject(context.active(), headers);
      const out = await sendOnce({ ...spec, headers }, opts);
      if (out.status !== undefined) span.setAttribute('http.response.status_code', out.status);
      if (!out.ok) {
        span.setAttribute('switchyard.delivery.retryable', out.retryable);
        span.setStatus({ code: SpanStatusCode.ERROR, message: out.retryable ? 'retryable failure' : 'refused' });
      }
      span.end();
      return out;
    },
  );
}

/** Never throws for what a receiver or the network does: every such case is an outcome. */
async function sendOnce(spec: HttpRequestSpec, opts: HttpSendOptions): Promise<DeliveryOutcome> {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  let res: Response;
  let body: string;
  try {
    const init: RequestInit = {
      method: spec.method,
      headers: spec.headers,
      // A redirect could forward the lead (and its signature) somewhere unvetted.
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs),
    };
    if (spec.body !== undefined) init.body = spec.body;
    res = await doFetch(spec.url, init);
    body = (await res.text()).slice(0, MAX_BODY_CHARS);
  } catch (err) {
    return classifyNetworkError(err, opts.timeoutMs);
  }
  const detail: { body?: string; receiverRef?: string; retryAfterMs?: number } = { body: opts.failureDetail && !res.ok ? opts.failureDetail(body) : body };
  const ref = receiverRefOf(res, body, opts.receiverRef);
  if (ref !== undefined) detail.receiverRef = ref;
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now());
  if (retryAfter !== undefined) detail.retryAfterMs = retryAfter;
  return classifyHttpStatus(res.status, detail);
}

function receiverRefOf(res: Response, body: string, where: HttpSendOptions['receiverRef']): string | undefined {
  if (where?.header) return res.headers.get(where.header) ?? undefined;
  const field = where?.jsonField ?? 'id';
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && Object.hasOwn(parsed, field)) {
      const v = (parsed as Record<string, unknown>)[field];
      if (typeof v === 'string' || typeof v === 'number') return String(v);
    }
  } catch {
    // Not JSON: the receiver simply gave no reference.
  }
  return undefined;
}
