import type { Connection } from 'mongoose';
import type { CounterScopes } from '../domain/allocation/counter-scopes.ts';
import type { ReservationHandle } from '../domain/allocation/reservation-handle.ts';
import type { AllocationCounters, RotationState, Target } from '../domain/allocation/types.ts';
import { slotStore, type SlotStep } from './slot-store.ts';

/** How fresh the counters must be: `steady` trusts what this process has seen, `after_loss` re-reads turn logs, `exact` re-reads everything. */
export type CounterFreshness = 'steady' | 'after_loss' | 'exact';

/** What a successful take holds per chosen endpoint (nothing for endpoints with no limited scope). */
export type Holdings = Map<string, { untilOwned: boolean }>;

/**
 * Caps, open-unclaimed limits, orders, round-robin turns and percentage
 * tallies, for a reader who knows MongoDB.
 *
 * Why not a counter document with `$inc`: the MongoDB-wire server this project
 * embeds (FerretDB v1) loses concurrent `$inc` and conditional updates (50
 * concurrent writers end at 1 to 14), while a unique-key insert is atomic
 * there as on MongoDB. So every counter is an insert-only sequence of
 * documents under deterministic `_id`s (`slot-store.ts` on `sequences.ts`): a
 * take is the insert of the next numbered unit, which exactly one writer
 * wins; use = takes − releases; a turn is the insert of turn number t.
 *
 * Documents never change, so each process keeps what it has seen as lower
 * bounds and a steady-state allocation reads almost nothing; a scope that
 * looks full is re-read before it rules anyone out, and a lost insert tells
 * the caller to decide again on fresher counters. Keys, the tenant prefix of
 * a scope, the per-round ledger and those freshness rules live here only:
 * callers hold `ReservationHandle`s (lead, round, endpoint).
 */
export function reservationStore(conn: Connection) {
  const slots = slotStore(conn);
  // One collection for every tenant: scopes are tenant-qualified in it.
  const q = (tenantId: string, scope: string) => `${tenantId}/${scope}`;

  async function release(handles: readonly ReservationHandle[], which: (e: { endpointId?: string; untilOwned?: boolean }) => boolean): Promise<number> {
    let n = 0;
    for (const h of handles) {
      for (const e of await slots.noted(h.leadId, h.round)) {
        if (e.endpointId === h.endpointId && which(e) && (await slots.release(e.key, h.leadId))) n++;
      }
    }
    return n;
  }

  return {
    /** Keys that allocations of these scopes serialise on within one process (they would only fight over the same units). */
    lockKeys(tenantId: string, scopes: CounterScopes): string[] {
      return [...scopes.counts, ...scopes.rotations].map((s) => q(tenantId, s));
    },

    /** The counters a decision reads. */
    async read(tenantId: string, scopes: CounterScopes, freshness: CounterFreshness): Promise<AllocationCounters> {
      const exact = freshness === 'exact';
      const counts = new Map<string, number>();
      for (const s of scopes.counts) {
        if (s.startsWith('tally:')) {
          counts.set(s, await slots.tallyCount(q(tenantId, s), { fresh: exact }));
          continue;
        }
        if (exact) {
          counts.set(s, await slots.used(q(tenantId, s), { fresh: true }));
          continue;
        }
        // Cached takes are a lower bound: they can only err towards "room",
        // which the take's insert then proves or refutes. A scope that looks
        // full has its releases re-read, so nobody is ruled out on old news.
        let used = await slots.used(q(tenantId, s));
        if (used >= (scopes.limits[s] ?? Infinity)) used = await slots.used(q(tenantId, s), { fresh: 'releases' });
        counts.set(s, used);
      }
      const rotations = new Map<string, RotationState>();
      for (const [scope, members] of Object.entries(scopes.turnMembers)) {
        // A won turn proves the decision saw every earlier turn; after a lost one the log is re-read.
        if (members.length > 0) rotations.set(scope, await slots.turnState(q(tenantId, scope), members, { fresh: freshness !== 'steady' }));
      }
      return { counts, rotations };
    },

    /**
     * Takes every reservation of the chosen targets: the round-robin turn first
     * (only one racer gets past it, so losers never hold capacity), then the
     * limited scopes, each noted in the round's ledger before anything else can
     * lose it. All or nothing: on any loss what this try took is given back and
     * the answer is undefined.
     */
    async takeAll(tenantId: string, leadId: string, round: number, targets: readonly Target[]): Promise<Holdings | undefined> {
      // Every step of every target in protocol order, sent as one ordered insert when nothing races (slot-store.ts).
      const steps: SlotStep[] = [];
      for (const t of targets) {
        const holder = { tenantId, leadId, endpointId: t.endpointId, round };
        for (const r of t.reservations) {
          if (r.kind !== 'turn') continue;
          steps.push({ kind: 'turn', scope: q(tenantId, r.scope), turn: r.turn, holder });
        }
        for (const r of t.reservations) {
          if (r.kind === 'turn') continue;
          if (r.kind === 'tally') steps.push({ kind: 'tally', scope: q(tenantId, r.scope), holder });
          else
            steps.push({
              kind: 'take',
              scope: q(tenantId, r.scope),
              limit: r.limit,
              holder,
              entry: { endpointId: t.endpointId, untilOwned: r.kind === 'open_unclaimed' },
            });
        }
      }
      const results = await slots.takeSteps(steps);
      const held: Holdings = new Map();
      const taken: string[] = [];
      for (const [i, r] of results.entries()) {
        const lost = (r.kind === 'turn' && !r.won) || (r.kind === 'take' && !r.result.ok);
        if (lost) {
          // All or nothing: what this try took is given back.
          for (const key of taken) await slots.release(key, leadId);
          return undefined;
        }
        if (r.kind !== 'take' || !r.result.ok) continue;
        const st = steps[i] as Extract<SlotStep, { kind: 'take' }>;
        taken.push(r.result.key);
        const endpointId = st.entry.endpointId!;
        held.set(endpointId, { untilOwned: (held.get(endpointId)?.untilOwned ?? false) || !!st.entry.untilOwned });
      }
      return held;
    },

    /** A retried routing round first gives back whatever its earlier tries took. */
    async releaseRound(leadId: string, round: number): Promise<void> {
      for (const e of await slots.noted(leadId, round)) await slots.release(e.key, leadId);
    },

    /** Gives back everything held under these handles; what was given back before is not given twice. */
    release: (handles: readonly ReservationHandle[]) => release(handles, () => true),

    /** Gives back what lasts only until the lead has an owner (its open-unclaimed units). */
    settle: (handles: readonly ReservationHandle[]) => release(handles, (e) => !!e.untilOwned),

    /** Units in use in a scope now, for audits and tests. */
    used: (tenantId: string, scope: string) => slots.used(q(tenantId, scope), { fresh: true }),
  };
}

export type ReservationStore = ReturnType<typeof reservationStore>;
