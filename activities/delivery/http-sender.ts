import { classifyHttpStatus, classifyNetworkError, parseRetryAfter, type DeliveryOutcome } from '../../domain/delivery/outcome.ts';
import type { HttpRequestSpec } from '../../domain/delivery/http-request.ts';

export interface HttpSendOptions {
  timeoutMs: number;
  receiverRef?: { jsonField?: string; header?: string };
  /** Replaceable for tests; Node's own fetch (undici) otherwise. */
  fetch?: typeof fetch;
  now?: () => number;
}

/** Receivers sometimes answer with whole pages; we keep enough to explain a failure. */
const MAX_BODY_CHARS = 64 * 1024;

/** Sends one attempt. Never throws for what a receiver or the network does: every such case is an outcome. */
export async function sendHttp(spec: HttpRequestSpec, opts: HttpSendOptions): Promise<DeliveryOutcome> {
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
  const detail: { body?: string; receiverRef?: string; retryAfterMs?: number } = { body };
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
