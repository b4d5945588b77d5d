import type { Connection } from 'mongoose';
import { sequences, type RunDoc, type SeqDoc } from './sequences.ts';

export type SlotResult = { ok: true; key: string; used: number } | { ok: false; reason: 'full'; used: number };

export interface Holder {
  tenantId: string;
  leadId: string;
  endpointId?: string | undefined;
  round?: number | undefined;
}

/** One take in a round's ledger: the endpoint it was for, and whether it lasts only until the lead has an owner. */
export interface LedgerEntry {
  key: string;
  endpointId?: string;
  untilOwned?: boolean;
}

/** How many of a window's turns are read to find the members' last turns; older ones come from each member's own log. */
const TURN_WINDOW = 64;

/**
 * Capacity and turns, on insert-only sequences (see sequences.ts):
 *
 * - A limited scope (a cap window, open-unclaimed, an order) has a sequence of
 *   takes and one of releases; used = takes − releases. A take inserts
 *   `take|<scope>#<k+1>` only after reading k takes and r releases with
 *   k − r < limit. Releases only ever grow, so at the moment the insert wins,
 *   the real count is at most limit: no burst, on any number of processes,
 *   can exceed it. A release is guarded per take, so retries never free twice.
 * - A turn log is `turn|<scope>#<t>`, each naming the endpoint served; the
 *   unique insert gives every turn exactly once. Each member also gets its own
 *   log of the turns it was given, so its last turn is found without scanning.
 * - A lead's routing round keeps a ledger of what it took, so a retried round
 *   gives back its earlier try's slots before taking new ones.
 */
/** One step of a routing round's takes, in protocol order (see `takeSteps`). */
export type SlotStep =
  | { kind: 'turn'; scope: string; turn: number; holder: Holder }
  | { kind: 'tally'; scope: string; holder: Holder }
  | { kind: 'take'; scope: string; limit: number; holder: Holder & { round: number }; entry: Omit<LedgerEntry, 'key'> };

export type StepResult = { kind: 'turn'; won: boolean } | { kind: 'tally'; guard: string } | { kind: 'take'; result: SlotResult };

export function slotStore(conn: Connection) {
  const seq = sequences(conn);
  const take = (scope: string) => `take|${scope}`;
  const rel = (scope: string) => `rel|${scope}`;
  const turnLog = (scope: string) => `turn|${scope}`;
  const memberLog = (scope: string, endpointId: string) => `mturn|${scope}|${endpointId}`;
  const ledger = (leadId: string, round: number) => `ledger|${leadId}|${round}`;
  const scopeOfTake = (key: string) => key.slice('take|'.length, key.lastIndexOf('#'));

  /**
   * Units in use. `fresh: 'releases'` re-reads only the releases: enough to
   * confirm a scope that looks full (more takes would only make it fuller);
   * `fresh: 'takes'` only the takes: enough to confirm it has room (more
   * releases would only make more).
   */
  async function used(scope: string, opts: { fresh?: boolean | 'releases' | 'takes' } = {}): Promise<number> {
    // Unseen sequences count as empty: a lower bound of takes is safe (a take
    // is proven by its insert), a lower bound of releases errs towards "full",
    // which callers confirm with `fresh: 'releases'` before ruling anyone out.
    const k = opts.fresh === true || opts.fresh === 'takes' ? await seq.highest(take(scope)) : (seq.cachedHighest(take(scope)) ?? 0);
    const r = opts.fresh === true || opts.fresh === 'releases' ? await seq.highest(rel(scope)) : (seq.cachedHighest(rel(scope)) ?? 0);
    return k - r;
  }

  return {
    used,

    /**
     * Takes one unit of a limited scope, or says it is full. Tries the slot
     * after the last take this process knows of; a duplicate key means another
     * writer got there, so it moves on (reading the end only after a long run).
     */
    async reserve(scope: string, limit: number, holder: Holder, maxAttempts = 100_000): Promise<SlotResult> {
      let k = seq.cachedHighest(take(scope)) ?? 0;
      let r = seq.cachedHighest(rel(scope)) ?? 0;
      let releasesRead = false;
      let dups = 0;
      for (let attempt = 0; attempt < maxAttempts; attempt++) {
        if (k - r >= limit && !releasesRead) {
          r = await seq.highest(rel(scope));
          releasesRead = true;
        }
        if (k - r >= limit) return { ok: false, reason: 'full', used: k - r };
        if (await seq.insertAt(take(scope), k + 1, { scope, ...holder, at: Date.now() }))
          return { ok: true, key: seq.idOf(take(scope), k + 1), used: k + 1 - r };
        seq.learnExists(take(scope), k + 1);
        dups += 1;
        k = dups > 8 ? await seq.highest(take(scope)) : k + 1;
        if (dups > 8) dups = 0;
      }
      throw new Error(`reservation in ${scope} did not settle after ${maxAttempts} attempts`);
    },

    /** Gives back one take; only its holder can, and only once. */
    async release(key: string, leadId: string): Promise<boolean> {
      if (!key.startsWith('take|')) return false; // turns and tallies are history, never given back
      const doc = await seq.read(key); // usually cached: the same worker took it
      if (!doc || doc.leadId !== leadId) return false;
      if (!(await seq.insertOnce(`relguard|${key}`, { leadId, at: Date.now() }))) return false;
      await seq.append(rel(scopeOfTake(key)), { takeKey: key, leadId, at: Date.now() });
      return true;
    },

    /** Claims exactly turn `t` of a log; true for its holder (a retry), false when another lead has it. */
    async claimTurn(scope: string, t: number, holder: Holder): Promise<boolean> {
      if (await seq.insertAt(turnLog(scope), t, { scope, ...holder, at: Date.now() })) {
        if (holder.endpointId) await seq.append(memberLog(scope, holder.endpointId), { turn: t, leadId: holder.leadId });
        return true;
      }
      const existing = await seq.read(seq.idOf(turnLog(scope), t));
      return existing?.leadId === holder.leadId;
    },

    /**
     * A turn log as round robin reads it: the current turn and each member's
     * last turn. The highest turn is read first and the members after it, so
     * a decision that then wins turn t+1 saw who took every turn up to t.
     */
    async turnState(scope: string, members: readonly string[], opts: { fresh?: boolean } = {}): Promise<{ turn: number; lastTurn: Record<string, number> }> {
      const log = turnLog(scope);
      // A turn log never seen counts as empty: claiming turn 1 then proves or refutes it.
      const turn = opts.fresh ? await seq.highest(log) : (seq.cachedHighest(log) ?? 0);
      const lastTurn: Record<string, number> = {};
      const wanted = new Set(members);
      for (let t = turn; t >= 1 && t > turn - TURN_WINDOW && wanted.size > 0; t--) {
        const doc = await seq.read(seq.idOf(log, t));
        const ep = doc?.endpointId as string | undefined;
        if (ep && wanted.has(ep)) {
          lastTurn[ep] = t;
          wanted.delete(ep);
        }
      }
      for (const ep of wanted) {
        // Beyond the window only after a refresh, or what this process has seen.
        const m = opts.fresh ? await seq.highest(memberLog(scope, ep)) : (seq.cachedHighest(memberLog(scope, ep)) ?? 0);
        if (m === 0) continue;
        const doc = await seq.read(seq.idOf(memberLog(scope, ep), m));
        const t = doc?.turn as number | undefined;
        if (t !== undefined && t <= turn) lastTurn[ep] = t;
      }
      return { turn, lastTurn };
    },

    /** Counts one more assignment (percentage splits); guarded per lead so a retry never counts twice. */
    async tally(scope: string, holder: Holder): Promise<string> {
      const guard = `tallyguard|${scope}|${holder.leadId}`;
      if (await seq.insertOnce(guard, { at: Date.now() })) await seq.append(`tally|${scope}`, { leadId: holder.leadId });
      return guard;
    },

    async tallyCount(scope: string, opts: { fresh?: boolean } = {}): Promise<number> {
      return opts.fresh ? seq.highest(`tally|${scope}`) : (seq.cachedHighest(`tally|${scope}`) ?? 0);
    },

    /** Notes a take a lead's round made, before anything else can lose it. */
    async note(leadId: string, round: number, entry: LedgerEntry): Promise<void> {
      await seq.append(ledger(leadId, round), { ...entry });
    },

    /**
     * A round's steps (turn claims, tallies, takes with their ledger notes) as
     * one ordered insert of the documents each step would write one by one,
     * planned from what this process knows; only a step that finds its key
     * taken (a race, a retry) or a scope that looks full goes on step by
     * step, exactly as the single operations do. Stops after the first step
     * that loses (a turn another lead holds, a full scope): results so far.
     */
    async takeSteps(steps: readonly SlotStep[]): Promise<StepResult[]> {
      // Slots planned so far, per sequence: two takes of one round go to ledger #1 and #2.
      const slots = new Map<string, number>();
      const next = (prefix: string) => {
        const n = (slots.get(prefix) ?? seq.cachedHighest(prefix) ?? 0) + 1;
        slots.set(prefix, n);
        return n;
      };
      // Each step's documents, in order, up to the first scope that looks full (its releases must be read, step by step).
      const planned: RunDoc[][] = [];
      const at = Date.now();
      for (const st of steps) {
        if (st.kind === 'turn') {
          const log = turnLog(st.scope);
          const docs: RunDoc[] = [{ id: seq.idOf(log, st.turn), data: { scope: st.scope, ...st.holder, at }, at: { prefix: log, n: st.turn } }];
          if (st.holder.endpointId) {
            const m = memberLog(st.scope, st.holder.endpointId);
            const n = next(m);
            docs.push({ id: seq.idOf(m, n), data: { turn: st.turn, leadId: st.holder.leadId }, at: { prefix: m, n } });
          }
          planned.push(docs);
        } else if (st.kind === 'tally') {
          const t = `tally|${st.scope}`;
          const n = next(t);
          planned.push([
            { id: `tallyguard|${st.scope}|${st.holder.leadId}`, data: { at } },
            { id: seq.idOf(t, n), data: { leadId: st.holder.leadId }, at: { prefix: t, n } },
          ]);
        } else {
          // Scopes shared by several targets (a location and its agents) count this run's earlier takes.
          const k = slots.get(take(st.scope)) ?? seq.cachedHighest(take(st.scope)) ?? 0;
          const r = seq.cachedHighest(rel(st.scope)) ?? 0;
          if (k - r >= st.limit) break;
          slots.set(take(st.scope), k + 1);
          const l = ledger(st.holder.leadId, st.holder.round);
          const n = next(l);
          const key = seq.idOf(take(st.scope), k + 1);
          planned.push([
            { id: key, data: { scope: st.scope, ...st.holder, at }, at: { prefix: take(st.scope), n: k + 1 } },
            { id: seq.idOf(l, n), data: { key, ...st.entry }, at: { prefix: l, n } },
          ]);
        }
      }
      const went = await seq.insertSteps(planned);

      const out: StepResult[] = [];
      for (const [i, st] of steps.entries()) {
        const docs = planned[i];
        const n = went[i]; // undefined: not planned or not reached; 0: its first document exists
        const whole = docs !== undefined && n === docs.length;
        const half = docs !== undefined && n !== undefined && n > 0 && n < docs.length; // its first document went in, the second's key was taken
        let r: StepResult;
        if (st.kind === 'turn') {
          if (whole) r = { kind: 'turn', won: true };
          else if (half) {
            await seq.append(memberLog(st.scope, st.holder.endpointId!), { turn: st.turn, leadId: st.holder.leadId });
            r = { kind: 'turn', won: true };
          } else r = { kind: 'turn', won: await this.claimTurn(st.scope, st.turn, st.holder) };
        } else if (st.kind === 'tally') {
          if (half) await seq.append(`tally|${st.scope}`, { leadId: st.holder.leadId });
          r = { kind: 'tally', guard: whole || half ? `tallyguard|${st.scope}|${st.holder.leadId}` : await this.tally(st.scope, st.holder) };
        } else {
          let result: SlotResult;
          if (whole || half) {
            const key = docs[0]!.id;
            result = { ok: true, key, used: docs[0]!.at!.n - (seq.cachedHighest(rel(st.scope)) ?? 0) };
            if (half) await this.note(st.holder.leadId, st.holder.round, { key, ...st.entry });
          } else {
            result = await this.reserve(st.scope, st.limit, st.holder);
            if (result.ok) await this.note(st.holder.leadId, st.holder.round, { key: result.key, ...st.entry });
          }
          r = { kind: 'take', result };
        }
        out.push(r);
        if ((r.kind === 'turn' && !r.won) || (r.kind === 'take' && !r.result.ok)) break;
      }
      return out;
    },

    /** Every take a lead's round noted (all its tries). */
    async noted(leadId: string, round: number): Promise<LedgerEntry[]> {
      return (await seq.list(ledger(leadId, round))).map((d: SeqDoc) => ({
        key: d.key as string,
        ...(d.endpointId ? { endpointId: d.endpointId as string } : {}),
        ...(d.untilOwned ? { untilOwned: true } : {}),
      }));
    },
  };
}

export type SlotStore = ReturnType<typeof slotStore>;
