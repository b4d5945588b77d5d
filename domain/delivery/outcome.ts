/**
 * What one delivery attempt came to. Expected outcomes are values, not
 * exceptions: the activity shell turns a failure into a Temporal failure so the
 * retry policy (retryable) or failover (not retryable) can act on it.
 */
export type DeliveryOutcome =
  | { ok: true; status: number; receiverRef?: string }
  | {
      ok: false;
      retryable: boolean;
      status?: number;
      reason: string;
      /** The receiver asked for a pause (Retry-After), in milliseconds. */
      retryAfterMs?: number;
    };

export type DeliveryFailure = Extract<DeliveryOutcome, { ok: false }>;

/** 408 and 429 are the receiver saying "not now", so they are worth another try. */
const RETRYABLE_4XX = new Set([408, 429]);

/** HTTP status → outcome. 2xx delivered; 4xx refused for good (except 408/429); everything else retryable. */
export function classifyHttpStatus(status: number, detail?: { body?: string; receiverRef?: string; retryAfterMs?: number }): DeliveryOutcome {
  if (status >= 200 && status < 300) {
    return detail?.receiverRef === undefined ? { ok: true, status } : { ok: true, status, receiverRef: detail.receiverRef };
  }
  const snippet = detail?.body ? `: ${truncate(detail.body.replace(/\s+/g, ' ').trim(), 200)}` : '';
  const retryable = !(status >= 400 && status < 500) || RETRYABLE_4XX.has(status);
  const what =
    status >= 300 && status < 400
      ? 'redirected (redirects are not followed for deliveries)'
      : retryable
        ? 'is temporarily unable to take the lead'
        : 'refused the lead';
  const failure: DeliveryFailure = { ok: false, retryable, status, reason: `Receiver ${what} (HTTP ${status})${snippet}` };
  if (retryable && detail?.retryAfterMs !== undefined) failure.retryAfterMs = detail.retryAfterMs;
  // A redirect is a configuration problem at our end; retrying will not fix it.
  if (status >= 300 && status < 400) failure.retryable = false;
  return failure;
}

/** A thrown network-level error (refused connection, reset, DNS, timeout) → retryable outcome. */
export function classifyNetworkError(err: unknown, timeoutMs?: number): DeliveryFailure {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return { ok: false, retryable: true, reason: `Receiver did not answer within ${timeoutMs ?? '?'} ms` };
  }
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return { ok: false, retryable: true, reason: `Could not reach the receiver${code ? ` (${code})` : ''}: ${truncate(message, 200)}` };
}

/** Retry-After as seconds or an HTTP date → milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
