import type { Connection } from 'mongoose';
import { performanceScore, WINDOW_DAYS, type PerformanceScore } from '../domain/allocation/performance.ts';
import { addDays, localDay } from '../domain/reporting/calendar.ts';
import { reportService } from './reports.ts';

/** How long a tenant's measured scores are reused before the endpoint report is read again. */
const TTL_MS = 60_000;

/**
 * Every endpoint's performance measured from its own results over the last
 * WINDOW_DAYS days of the tenant's calendar, from the endpoint report (the
 * same rollups ops read), recomputed at most once a minute per tenant and
 * process: results arriving now count within the minute.
 */
export function endpointPerformance(conn: Connection, opts: { now?: () => number } = {}) {
  const reports = reportService(conn);
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; scores: Promise<Map<string, PerformanceScore>> }>();

  async function measure(tenantId: string, zone: string, at: number): Promise<Map<string, PerformanceScore>> {
    const to = localDay(at, zone);
    const r = await reports.endpointReport({ tenantId }, { from: addDays(to, -(WINDOW_DAYS - 1)), to, groupBy: ['endpoint'] });
    const out = new Map<string, PerformanceScore>();
    for (const row of r.rows) {
      if (!row.endpointId) continue;
      const p = performanceScore({
        delivered: row.delivered,
        offered: row.offered,
        claimed: row.claimed,
        returned: row.returned,
        medianClaimMs: row.deliveryToClaim.medianMs,
        contacted: row.contacted,
        won: row.statusesReached.won,
      });
      if (p) out.set(row.endpointId, p);
    }
    return out;
  }

  return {
    scores(tenantId: string, zone: string): Promise<Map<string, PerformanceScore>> {
      const t = now();
      const hit = cache.get(tenantId);
      if (hit && t - hit.at < TTL_MS) return hit.scores;
      const scores = measure(tenantId, zone, t);
      cache.set(tenantId, { at: t, scores });
      // A failed read is not kept: the next allocation asks again.
      scores.catch(() => cache.delete(tenantId));
      return scores;
    },
  };
}

export type EndpointPerformance = ReturnType<typeof endpointPerformance>;
