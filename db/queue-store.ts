import type { Connection } from 'mongoose';
import { sequences } from './sequences.ts';

export interface QueueSlot {
  /** Position in the queue: 1 for the first lead ever queued in it. */
  ticket: number;
  /** When the lead's turn comes. */
  at: number;
}

/**
 * Metered queues for held and paced leads, on the same insert-only sequences
 * as reservations: a lead takes ticket k+1 by inserting it (exactly one writer
 * wins each number, so arrival order is exact across processes), and its turn
 * is `intervalMs` after ticket k's turn, never before `earliest`. Tickets
 * never change, so the previous one is read at most once per process.
 */
export function queueStore(conn: Connection) {
  const seq = sequences(conn);
  const queue = (tenantId: string, scope: string) => `queue|${tenantId}/${scope}`;
  // One ticket per lead and routing round, so a retried round gets the slot its first try took.
  const guard = (tenantId: string, scope: string, leadId: string, round: number) => `queueguard|${tenantId}/${scope}|${leadId}#${round}`;

  return {
    async take(req: {
      tenantId: string;
      scope: string;
      leadId: string;
      round: number;
      earliest: number;
      intervalMs: number;
      retry?: boolean;
    }): Promise<QueueSlot> {
      const q = queue(req.tenantId, req.scope);
      const g = guard(req.tenantId, req.scope, req.leadId, req.round);
      if (req.retry) {
        const mine = await seq.read(g);
        if (mine) return { ticket: mine.ticket as number, at: mine.at as number };
      }
      for (let k = await seq.highest(q); ; k++) {
        const prev = k > 0 ? await seq.read(seq.idOf(q, k)) : undefined;
        const at = Math.max(req.earliest, prev ? (prev.at as number) + req.intervalMs : req.earliest);
        if (await seq.insertAt(q, k + 1, { at, leadId: req.leadId, round: req.round })) {
          await seq.insertOnce(g, { ticket: k + 1, at });
          return { ticket: k + 1, at };
        }
        // Another lead took ticket k+1 first: queue behind it.
        seq.learnExists(q, k + 1);
      }
    },
  };
}

export type QueueStore = ReturnType<typeof queueStore>;
