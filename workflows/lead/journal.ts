import type { Actor } from '../../domain/lifecycle/actor.ts';
import type { LeadEvent, LeadEventBody } from '../../domain/lifecycle/lead-events.ts';
import { applyLeadEvent, type LeadState } from '../../domain/lifecycle/lead-state.ts';

/**
 * The lead's event log inside the workflow: every change is an event, applied
 * at once to the live state (what queries and validators see) and queued for
 * the read model. Flushes are chained so events reach MongoDB in order.
 */
export class LeadJournal {
  state: LeadState | undefined;
  private seq = 0;
  private pending: LeadEvent[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly tenantId: string,
    private readonly leadId: string,
    private readonly record: (events: LeadEvent[]) => Promise<void>,
  ) {}

  emit(body: LeadEventBody, actor: Pick<Actor, 'userId' | 'role'> = { userId: 'system', role: 'ops' }): LeadEvent {
    this.seq += 1;
    const event = {
      ...body,
      id: `${this.leadId}#${this.seq}`,
      leadId: this.leadId,
      tenantId: this.tenantId,
      seq: this.seq,
      at: Date.now(),
      actor: { userId: actor.userId, role: actor.role },
    };
    this.state = applyLeadEvent(this.state, event);
    this.pending.push(event);
    return event;
  }

  /** Writes everything emitted so far; resolves once it (and every earlier flush) is stored. */
  flush(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.pending.length === 0) return;
      const batch = this.pending;
      this.pending = [];
      await this.record(batch);
    });
    return this.chain;
  }

  get current(): LeadState {
    if (!this.state) throw new Error(`lead ${this.leadId} has no state before its "received" event`);
    return this.state;
  }
}
