import type { Connection } from 'mongoose';
import { slotStore, type SlotStore } from '../db/slot-store.ts';
import { allocate } from '../domain/allocation/allocate.ts';
import { counterScopes } from '../domain/allocation/counter-scopes.ts';
import type { Snapshot } from '../domain/allocation/snapshot-types.ts';
import type { AllocationCounters, AllocationDecision, AllocationLead, RotationState, Target } from '../domain/allocation/types.ts';
import { keyedMutex } from '../infra/keyed-mutex.ts';
import { tenantConfigs, type TenantConfigs } from './tenant-config.ts';

export interface AllocatorDeps {
  mongo: Connection;
  configs?: TenantConfigs;
  now?: () => number;
  /** Attempts before a contended allocation gives up (the activity then retries). */
  maxAttempts?: number;
}

export interface AllocationRequest {
  tenantId: string;
  lead: AllocationLead;
  /** The lead's routing round: a retried round first gives back what its earlier try took. */
  round: number;
  /** The moment to judge schedules and cap windows at (the workflow's time); now by default. */
  at?: number;
  /** This round was tried before (an activity retry): its ledger is read and given back first. */
  retry?: boolean;
}

export type AllocationResult =
  | { ok: true; decision: AllocationDecision; configVersion: number; held: Map<string, string[]>; attempts: number }
  | { ok: false; error: { code: 'no_configuration'; message: string } };

/** Reservations live in one collection for every tenant: scopes are tenant-qualified there. */
const qualify = (tenantId: string, scope: string) => `${tenantId}/${scope}`;

/** The same lead and round always draw the same numbers, so a decision can be replayed. */
function seedFor(leadId: string, round: number): number {
  let h = 2166136261;
  for (const ch of `${leadId}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) / 4294967296;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The shell around the pure allocation core. Reads exactly the counters the
 * lead needs, lets `allocate` decide, then takes every reservation the
 * decision names with unique-key inserts (the only writes both MongoDB and
 * FerretDB make atomic): a cap slot numbered 1..limit, an open-unclaimed
 * slot, an order slot, the exact round-robin turn. If any insert loses to a
 * concurrent writer, what this try took is given back and the lead is decided
 * again on fresh counters, so no cap is exceeded and no turn is given twice,
 * whatever the concurrency across processes.
 */
export function createAllocator(deps: AllocatorDeps) {
  const slots: SlotStore = slotStore(deps.mongo);
  const configs = deps.configs ?? tenantConfigs(deps.mongo);
  const now = deps.now ?? Date.now;
  const maxAttempts = deps.maxAttempts ?? 60;
  // In one process, allocations that read the same counters or turns would
  // only fight over them; queueing those costs less than their retries. Each
  // lead queues on exactly the scopes its decision reads (its candidates' cap
  // windows, orders, rotations), so leads of different territories decide side
  // by side (one queue per tenant capped a worker at one allocation at a time).
  const serial = keyedMutex();

  /**
   * The counters a decision reads, from what this process has seen where it
   * can (sequences only grow, so cached counts are lower bounds of takes and
   * releases); a scope that looks full is re-read before it rules anyone out.
   */
  async function readCounters(tenantId: string, snapshot: Snapshot, lead: AllocationLead, at: number, freshTurns: boolean, freshCounts = false): Promise<AllocationCounters> {
    const scopes = counterScopes(snapshot, lead, at);
    const q = (s: string) => qualify(tenantId, s);
    const counts = new Map<string, number>();
    for (const s of scopes.counts) {
      if (s.startsWith('tally:')) {
        counts.set(s, await slots.tallyCount(q(s), { fresh: freshCounts }));
        continue;
      }
      if (freshCounts) {
        counts.set(s, await slots.used(q(s), { fresh: true }));
        continue;
      }
      // Cached takes are a lower bound: they can only err towards "room",
      // which is re-read before anything is taken. A scope that looks full
      // has its releases re-read, so nobody is ruled out on old news.
      let used = await slots.used(q(s));
      if (used >= (scopes.limits[s] ?? Infinity)) used = await slots.used(q(s), { fresh: 'releases' });
      counts.set(s, used);
    }
    const rotations = new Map<string, RotationState>();
    for (const [scope, members] of Object.entries(scopes.turnMembers)) {
      if (members.length > 0) rotations.set(scope, await slots.turnState(q(scope), members, { fresh: freshTurns }));
    }
    return { counts, rotations };
  }

  /**
   * Takes every reservation of the chosen targets: the round-robin turn first
   * (only one racer gets past it, so losers never hold capacity), then the
   * limited scopes. All or nothing: on any loss, what was taken is given back.
   */
  async function takeAll(tenantId: string, leadId: string, round: number, targets: readonly Target[]): Promise<Map<string, string[]> | undefined> {
    const held = new Map<string, string[]>();
    const taken: string[] = [];
    const giveBack = async () => {
      for (const key of taken) await slots.release(key, leadId);
    };
    for (const t of targets) {
      const holder = { tenantId, leadId, endpointId: t.endpointId, round };
      for (const r of t.reservations) {
        if (r.kind === 'turn' && !(await slots.claimTurn(qualify(tenantId, r.scope), r.turn, holder))) {
          await giveBack();
          return undefined;
        }
      }
      const keys: string[] = [];
      for (const r of t.reservations) {
        if (r.kind === 'turn') continue;
        if (r.kind === 'tally') {
          await slots.tally(qualify(tenantId, r.scope), holder);
          continue;
        }
        const res = await slots.reserve(qualify(tenantId, r.scope), r.limit, holder);
        if (!res.ok) {
          await giveBack();
          return undefined;
        }
        await slots.note(leadId, round, res.key);
        taken.push(res.key);
        keys.push(res.key);
      }
      held.set(t.endpointId, keys);
    }
    return held;
  }

  return {
    configs,

    /** Decides and reserves. Idempotent per (lead, round): a retry starts from a clean slate. */
    async allocate(req: AllocationRequest): Promise<AllocationResult> {
      const config = await configs.latest(req.tenantId);
      if (!config) return { ok: false, error: { code: 'no_configuration', message: `tenant ${req.tenantId} has no routing configuration` } };
      const snapshot = config.snapshot();
      const scopes = counterScopes(snapshot, req.lead, req.at ?? now());
      return serial.all([...scopes.counts, ...scopes.rotations].map((scope) => qualify(req.tenantId, scope)), async () => {
        // A retried round gives back what its earlier try took.
        if (req.retry) for (const key of await slots.noted(req.lead.id, req.round)) await slots.release(key, req.lead.id);
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const at = req.at ?? now();
          // A won turn proves the decision saw every earlier turn; after a lost
          // one the log is re-read. Counts come from what this process has seen
          // (lower bounds): takes are proven by their inserts.
          const counters = await readCounters(req.tenantId, snapshot, req.lead, at, attempt > 1);
          const decision = allocate({ lead: req.lead, snapshot, counters, now: at, random: seedFor(req.lead.id, req.round) });
          if (decision.outcome === 'no_coverage') return { ok: true, decision, configVersion: config.version, held: new Map(), attempts: attempt };
          const held = await takeAll(req.tenantId, req.lead.id, req.round, decision.targets);
          if (held) return { ok: true, decision, configVersion: config.version, held, attempts: attempt };
          // Another process won a slot or a turn: back off a little, with jitter, and decide again.
          await sleep(Math.min(100, 2 ** Math.min(attempt, 7)) * Math.random());
        }
        throw new Error(`allocation of ${req.lead.id} did not settle after ${maxAttempts} attempts (heavy contention); it will be retried`);
      });
    },

    /** A dry run: the decision this lead would get now, changing nothing. */
    async simulate(tenantId: string, lead: AllocationLead): Promise<AllocationResult> {
      const config = await configs.latest(tenantId);
      if (!config) return { ok: false, error: { code: 'no_configuration', message: `tenant ${tenantId} has no routing configuration` } };
      const snapshot = config.snapshot();
      const at = now();
      // Nothing is taken after a dry run, so nothing would correct a stale count: every counter is read fresh.
      const counters = await readCounters(tenantId, snapshot, lead, at, true, true);
      const decision = allocate({ lead, snapshot, counters, now: at, random: seedFor(lead.id, 0) });
      return { ok: true, decision, configVersion: config.version, held: new Map(), attempts: 1 };
    },

    /** Gives back slots a lead holds (failover, lapse, claim of open-unclaimed, accepted return). */
    async release(leadId: string, keys: readonly string[]): Promise<number> {
      let n = 0;
      for (const key of keys) if (await slots.release(key, leadId)) n++;
      return n;
    },

    /** Units in use in a scope now, for audits and tests. */
    async used(tenantId: string, scope: string): Promise<number> {
      return slots.used(qualify(tenantId, scope), { fresh: true });
    },
  };
}

export type Allocator = ReturnType<typeof createAllocator>;
