import type { Connection } from 'mongoose';
import { queueStore } from '../db/queue-store.ts';
import { reservationStore, type CounterFreshness, type Holdings } from '../db/reservation-store.ts';
import { allocate } from '../domain/allocation/allocate.ts';
import { counterScopes } from '../domain/allocation/counter-scopes.ts';
import type { ReservationHandle } from '../domain/allocation/reservation-handle.ts';
import type { Snapshot } from '../domain/allocation/snapshot-types.ts';
import type { AllocationCounters, AllocationDecision, AllocationLead } from '../domain/allocation/types.ts';
import { endpointPerformance, type EndpointPerformance } from './endpoint-performance.ts';
import { keyedMutex } from '../infra/keyed-mutex.ts';
import { tenantConfigs, type TenantConfigs } from './tenant-config.ts';

export interface AllocatorDeps {
  mongo: Connection;
  configs?: TenantConfigs;
  now?: () => number;
  /** Measured endpoint performance; read from the endpoint report by default. */
  performance?: EndpointPerformance;
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
  | {
      ok: true;
      decision: AllocationDecision;
      configVersion: number;
      held: Holdings;
      attempts: number;
      /** A held lead's turn in its market's queue: when it is routed again. */
      holdUntil?: number;
      /** Paced targets whose turn is later than now: when each may be delivered. */
      deliverAt?: Map<string, number>;
    }
  | { ok: false; error: { code: 'no_configuration'; message: string } };

/** The same lead and round always draw the same numbers, so a decision can be replayed. */
function seedFor(leadId: string, round: number): number {
  let h = 2166136261;
  for (const ch of `${leadId}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return (h >>> 0) / 4294967296;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The shell around the pure allocation core: reads the counters the lead's
 * decision needs from the reservation store, lets `allocate` decide, then has
 * the store take every reservation the decision names, all or nothing. If a
 * concurrent writer won any of them, the lead is decided again on fresher
 * counters, so no cap is exceeded and no turn is given twice, whatever the
 * concurrency across processes (`db/reservation-store.ts` says how).
 */
export function createAllocator(deps: AllocatorDeps) {
  const reservations = reservationStore(deps.mongo);
  const queues = queueStore(deps.mongo);
  const performance = deps.performance ?? endpointPerformance(deps.mongo, { ...(deps.now ? { now: deps.now } : {}) });
  /** The counters a decision reads, with the endpoints' measured performance where a tier distributes by it. */
  async function countersFor(tenantId: string, snapshot: Snapshot, lead: AllocationLead, at: number, freshness: CounterFreshness): Promise<AllocationCounters> {
    const scopes = counterScopes(snapshot, lead, at);
    const counters = await reservations.read(tenantId, scopes, freshness);
    return scopes.performance ? { ...counters, performance: await performance.scores(tenantId, snapshot.tenantTimeZone) } : counters;
  }

  /**
   * Held leads of one market queue for the endpoints that open first, in
   * arrival order, spaced by those endpoints' hourly capacity together (a
   * second apart when one of them has no hourly cap), so a Monday-morning
   * backlog goes out within the caps rather than all at 08:00.
   */
  async function queueHeld(req: AllocationRequest, hold: NonNullable<AllocationDecision['hold']>): Promise<number> {
    const scope = `hold:${hold.opensAt}:${[...hold.endpointIds].sort().join(',')}`;
    const intervalMs = hold.perHour ? Math.ceil(3_600_000 / hold.perHour) : 1000;
    return (
      await queues.take({
        tenantId: req.tenantId,
        scope,
        leadId: req.lead.id,
        round: req.round,
        earliest: hold.opensAt,
        intervalMs,
        ...(req.retry ? { retry: true } : {}),
      })
    ).at;
  }

  /** Paced targets take their turn in each pace's queue; a turn later than now delays the delivery. */
  async function queuePaced(req: AllocationRequest, decision: AllocationDecision, at: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const t of decision.targets) {
      let when = at;
      for (const p of t.paces ?? []) {
        const slot = await queues.take({
          tenantId: req.tenantId,
          scope: p.scope,
          leadId: req.lead.id,
          round: req.round,
          earliest: at,
          intervalMs: p.intervalMs,
          ...(req.retry ? { retry: true } : {}),
        });
        when = Math.max(when, slot.at);
      }
      if (when > at) out.set(t.endpointId, when);
    }
    return out;
  }
  const configs = deps.configs ?? tenantConfigs(deps.mongo);
  const now = deps.now ?? Date.now;
  const maxAttempts = deps.maxAttempts ?? 60;
  // In one process, allocations that read the same counters or turns would
  // only fight over them; queueing those costs less than their retries. Each
  // lead queues on exactly the scopes its decision reads (its candidates' cap
  // windows, orders, rotations), so leads of different territories decide side
  // by side.
  const serial = keyedMutex();

  return {
    configs,

    /** Decides and reserves. Idempotent per (lead, round): a retry starts from a clean slate. */
    async allocate(req: AllocationRequest): Promise<AllocationResult> {
      const config = await configs.latest(req.tenantId);
      if (!config) return { ok: false, error: { code: 'no_configuration', message: `tenant ${req.tenantId} has no routing configuration` } };
      const snapshot = config.snapshot();
      const lockKeys = reservations.lockKeys(req.tenantId, counterScopes(snapshot, req.lead, req.at ?? now()));
      return serial.all(lockKeys, async () => {
        if (req.retry) await reservations.releaseRound(req.lead.id, req.round);
        for (let attempt = 1; attempt <= maxAttempts; attempt++) {
          const at = req.at ?? now();
          const counters = await countersFor(req.tenantId, snapshot, req.lead, at, attempt > 1 ? 'after_loss' : 'steady');
          const decision = allocate({ lead: req.lead, snapshot, counters, now: at, random: seedFor(req.lead.id, req.round) });
          if (decision.outcome === 'held' && decision.hold)
            return { ok: true, decision, configVersion: config.version, held: new Map(), attempts: attempt, holdUntil: await queueHeld(req, decision.hold) };
          if (decision.targets.length === 0) return { ok: true, decision, configVersion: config.version, held: new Map(), attempts: attempt };
          const held = await reservations.takeAll(req.tenantId, req.lead.id, req.round, decision.targets);
          if (held) {
            const deliverAt = await queuePaced(req, decision, at);
            return { ok: true, decision, configVersion: config.version, held, attempts: attempt, ...(deliverAt.size > 0 ? { deliverAt } : {}) };
          }
          // Another process won a slot or a turn: back off a little, with jitter, and decide again.
          await sleep(Math.min(100, 2 ** Math.min(attempt, 7)) * Math.random());
        }
        throw new Error(`allocation of ${req.lead.id} did not settle after ${maxAttempts} attempts (heavy contention); it will be retried`);
      });
    },

    /**
     * A dry run: the decision this lead would get at `at` (now by default),
     * changing nothing. Schedules are judged at `at`; the counters are those of
     * the cap windows containing `at`, as they stand now (what has been
     * reserved in them so far; nothing is projected).
     */
    async simulate(tenantId: string, lead: AllocationLead, when?: number): Promise<AllocationResult> {
      const config = await configs.latest(tenantId);
      if (!config) return { ok: false, error: { code: 'no_configuration', message: `tenant ${tenantId} has no routing configuration` } };
      const snapshot = config.snapshot();
      const at = when ?? now();
      // Nothing is taken after a dry run, so nothing would correct a stale count: every counter is read exactly.
      const counters = await countersFor(tenantId, snapshot, lead, at, 'exact');
      const decision = allocate({ lead, snapshot, counters, now: at, random: seedFor(lead.id, 0) });
      return { ok: true, decision, configVersion: config.version, held: new Map(), attempts: 1 };
    },

    /** Gives back what a lead holds (failover, lapse, accepted return with a replacement). */
    release: (handles: readonly ReservationHandle[]) => reservations.release(handles),

    /** Gives back what lasts only until the lead has an owner. */
    settle: (handles: readonly ReservationHandle[]) => reservations.settle(handles),

    /** Units in use in a scope now, for audits and tests. */
    used: (tenantId: string, scope: string) => reservations.used(tenantId, scope),
  };
}

export type Allocator = ReturnType<typeof createAllocator>;
