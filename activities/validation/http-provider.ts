import { ANSWER_SCHEMAS, type ProviderRequest, type VerificationCheck } from '../../domain/validation/provider-contract.ts';
import type { output } from 'zod';
import type { HttpProvider } from '../../schema/verification.ts';

export type ProviderCall<C extends VerificationCheck> =
  | { ok: true; answer: output<(typeof ANSWER_SCHEMAS)[C]> }
  /** Why no answer: a timeout, a status, a bad body, the circuit open. Plain words, no lead data. */
  | { ok: false; reason: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One HTTP verification provider as the validation activity calls it: a
 * timeout per attempt, retries with a short backoff on timeouts, network
 * errors and 5xx (a 4xx or an answer outside the contract is final), and a
 * circuit breaker: after `failureThreshold` failed calls in a row the provider
 * is not called for `cooldownSec`, so an outage costs each lead nothing but
 * its flag. Keep one per provider per process: the breaker is its state.
 */
export function httpProvider(p: HttpProvider, deps: { secret?: string | undefined; fetch?: typeof fetch; now?: () => number } = {}) {
  const doFetch = deps.fetch ?? fetch;
  const now = deps.now ?? Date.now;
  let failures = 0;
  let openUntil = 0;

  async function attempt(body: ProviderRequest): Promise<{ ok: true; json: unknown } | { ok: false; reason: string; retry: boolean }> {
    try {
      const res = await doFetch(p.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': `${body.leadId}:${body.check}`,
          ...(deps.secret ? { authorization: `Bearer ${deps.secret}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(p.timeoutMs),
      });
      if (!res.ok) return { ok: false, reason: `HTTP ${res.status}`, retry: res.status >= 500 || res.status === 429 };
      return { ok: true, json: await res.json() };
    } catch (err) {
      const e = err as { name?: string };
      return { ok: false, reason: e.name === 'TimeoutError' ? `no answer within ${p.timeoutMs} ms` : 'not reachable', retry: true };
    }
  }

  return {
    name: p.name,
    async call<C extends VerificationCheck>(check: C, req: Omit<ProviderRequest, 'check'>): Promise<ProviderCall<C>> {
      if (now() < openUntil)
        return { ok: false, reason: `${p.name} is failing: not called for ${p.cooldownSec} s after ${p.failureThreshold} failures in a row` };
      let last = '';
      for (let i = 0; i <= p.retries; i++) {
        if (i > 0) await sleep(100 * 2 ** (i - 1));
        const r = await attempt({ ...req, check });
        if (r.ok) {
          const parsed = ANSWER_SCHEMAS[check].safeParse(r.json);
          if (!parsed.success) {
            last = `an answer outside the contract (${parsed.error.issues[0]?.path.join('.') || 'body'}: ${parsed.error.issues[0]?.message ?? 'invalid'})`;
            break;
          }
          failures = 0;
          return { ok: true, answer: parsed.data as ProviderCall<C> extends { answer: infer A } ? A : never };
        }
        last = r.reason;
        if (!r.retry) break;
      }
      failures += 1;
      if (failures >= p.failureThreshold) {
        openUntil = now() + p.cooldownSec * 1000;
        failures = 0;
      }
      return { ok: false, reason: `${p.name} gave ${last}` };
    },
  };
}

export type HttpProviderClient = ReturnType<typeof httpProvider>;
