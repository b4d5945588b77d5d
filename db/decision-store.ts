import type { Connection } from 'mongoose';
import type { AllocationDecision } from '../domain/allocation/types.ts';
import { isDuplicateKey } from './duplicate-key.ts';

export interface StoredDecision {
  _id: string;
  tenantId: string;
  leadId: string;
  round: number;
  configVersion: number;
  at: number;
  decision: AllocationDecision;
}

/**
 * Every routing decision with its full explanation, one document per lead and
 * routing round (`${leadId}#${round}`), written once: "why did this lead go
 * there?" is answered from here, long after the counters have moved on.
 */
export function decisionStore(conn: Connection) {
  const col = conn.collection<StoredDecision>('routing_decisions');
  return {
    async save(d: Omit<StoredDecision, '_id'>): Promise<string> {
      const _id = `${d.leadId}#${d.round}`;
      try {
        await col.insertOne({ _id, ...d });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      return _id;
    },
    async get(tenantId: string, decisionId: string): Promise<StoredDecision | undefined> {
      const d = await col.findOne({ _id: decisionId });
      return d && d.tenantId === tenantId ? d : undefined;
    },
  };
}

export type DecisionStore = ReturnType<typeof decisionStore>;
