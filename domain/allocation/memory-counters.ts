import type { AllocationCounters, Reservation, RotationState } from './types.ts';

/**
 * An in-memory stand-in for the reservation store, for simulations and tests:
 * applies a decision's reservations the way the shell would, without limits
 * checks (allocate already judged them).
 */
export class MemoryCounters implements AllocationCounters {
  readonly counts = new Map<string, number>();
  readonly rotations = new Map<string, RotationState>();

  apply(reservations: readonly Reservation[]): void {
    for (const r of reservations) {
      if (r.kind === 'turn') {
        const prev = this.rotations.get(r.scope) ?? { turn: 0, lastTurn: {} };
        if (r.turn <= prev.turn) throw new Error(`turn ${r.turn} of ${r.scope} was already given`);
        this.rotations.set(r.scope, { turn: r.turn, lastTurn: { ...prev.lastTurn, [r.endpointId]: r.turn } });
      } else this.counts.set(r.scope, (this.counts.get(r.scope) ?? 0) + 1);
    }
  }

  /** Gives back slots (a claim, a failover): turns are history and stay. */
  release(reservations: readonly Reservation[], kinds: ReadonlyArray<Reservation['kind']> = ['open_unclaimed']): void {
    for (const r of reservations) {
      if (r.kind === 'turn' || !kinds.includes(r.kind)) continue;
      this.counts.set(r.scope, Math.max(0, (this.counts.get(r.scope) ?? 0) - 1));
    }
  }
}
