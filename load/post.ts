export interface PostRecord {
  i: number;
  leadId?: string;
  /** When the first attempt went out (epoch ms): the lead's intake clock starts here. */
  firstAt: number;
  /** Round trip of the request that was accepted. */
  latencyMs?: number;
  attempts: number;
  status?: number;
  error?: string;
}

export interface PostOptions {
  url: string;
  apiKey: string;
  count: number;
  /** Leads per second, as an open model: each lead leaves at its time whatever the answers. */
  rate: number;
  payload: (i: number) => Record<string, unknown>;
  /** Give up retrying a lead after this long (the lead then counts as never accepted). */
  retryForMs?: number;
  onAnswer?: (r: PostRecord) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Posts leads to the HTTP intake at a fixed rate. A 503 or 429 (or a broken
 * connection) is retried with the same payload, which intake answers with the
 * same lead: a source that retries never creates two leads.
 */
export async function postLeads(o: PostOptions): Promise<PostRecord[]> {
  const t0 = Date.now();
  const retryFor = o.retryForMs ?? 10 * 60_000;
  const one = async (i: number): Promise<PostRecord> => {
    const due = t0 + (i * 1000) / o.rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const rec: PostRecord = { i, firstAt: Date.now(), attempts: 0 };
    const body = JSON.stringify(o.payload(i));
    for (;;) {
      rec.attempts += 1;
      const started = performance.now();
      let retryAfterMs = 500;
      try {
        const res = await fetch(`${o.url}/intake`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': o.apiKey }, body });
        const answer = (await res.json().catch(() => ({}))) as { leadId?: string; errors?: Array<{ field: string; message: string }> };
        rec.status = res.status;
        if (res.status === 200 || res.status === 201) {
          rec.latencyMs = performance.now() - started;
          rec.leadId = answer.leadId;
          break;
        }
        if (res.status !== 503 && res.status !== 429) {
          rec.error = JSON.stringify(answer.errors ?? answer);
          break;
        }
        retryAfterMs = Math.min(5000, Number(res.headers.get('retry-after') ?? 0.5) * 1000);
      } catch (err) {
        rec.error = (err as Error).message;
      }
      if (Date.now() - rec.firstAt > retryFor) break;
      await sleep(retryAfterMs);
    }
    o.onAnswer?.(rec);
    return rec;
  };
  return Promise.all(Array.from({ length: o.count }, (_, i) => one(i)));
}
