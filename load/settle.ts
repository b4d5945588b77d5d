import type { Connection } from 'mongoose';
import { leadQuery } from '../db/lead-query.ts';

/** Where a lead stops for a load run: delivered and owned, offered and waiting for a claim, rejected, escalated. */
export const SETTLED = new Set(['assigned', 'offered', 'rejected', 'escalated', 'undeliverable', 'manual_queue', 'closed']);

export interface SettledLead {
  status: string;
  /** When it got there: its delivery, else its last change. */
  at: number;
}

/** Point reads at once, at most: the connection pool's size. */
const BATCH = 100;

/**
 * The load harness's settle check: one look at the run's leads named in
 * `ids`, by point reads on `_id` (the lead loader's `byIds`), recording in
 * `settled` each one found in a settled status. Its cost follows the leads
 * asked about, never the tenant's whole history (a `find({ tenantId })`
 * reads every lead of every earlier run on the same stack). A lead read in
 * an unsettled status keeps what an earlier look recorded.
 */
export async function readSettled(
  mongo: Connection,
  tenantId: string,
  ids: Iterable<string>,
  settled: Map<string, SettledLead>,
): Promise<Map<string, SettledLead>> {
  const q = leadQuery(mongo);
  const all = [...ids];
  for (let i = 0; i < all.length; i += BATCH) {
    const found = await q.byIds(tenantId, all.slice(i, i + BATCH));
    for (const [id, l] of found) if (SETTLED.has(l.status)) settled.set(id, { status: l.status, at: l.deliveredAt ?? l.updatedAt });
  }
  return settled;
}
