import { useMutation, useQuery } from '@urql/preact';
import { useCallback, useState } from 'preact/hooks';
import { countdown } from '../format.ts';
import type { UserError } from '../session.ts';
import { Errors } from './errors.tsx';
import { MyLeadRow, type MyLead } from './my-leads.tsx';
import { useNow, usePoll } from './use-poll.ts';
import { CLAIM, DECLINE, OFFERS } from '../operations.ts';

interface Offer {
  leadId: string;
  round: number;
  deadlineAt: string | null;
  lead: { id: string; serviceLine: string; market: { city?: string; state?: string; zip?: string } | null; contact: Contact | null } | null;
}
interface Contact {
  visibility: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  email?: string;
}
interface Data {
  myOffers: { nodes: Offer[]; errors: UserError[] };
  leads: { nodes: MyLead[] };
}
type Answer = { ok: boolean; errors: UserError[] };

/** Agents: what is offered now, with a live countdown, Claim and Decline; then the leads they own. */
export function Offers({ tenantId }: { tenantId: string }) {
  const [{ data, fetching }, refetch] = useQuery<Data>({ query: OFFERS });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  usePoll(refresh, 3000);
  const now = useNow();
  const [, claim] = useMutation<{ claimLead: Answer }>(CLAIM);
  const [, decline] = useMutation<{ declineOffer: Answer }>(DECLINE);
  const [answers, setAnswers] = useState<Record<string, { text: string; errors: UserError[] }>>({});
  const act = async (leadId: string, kind: 'claim' | 'decline') => {
    const res = kind === 'claim' ? (await claim({ id: leadId })).data?.claimLead : (await decline({ id: leadId })).data?.declineOffer;
    setAnswers((a) => ({ ...a, [leadId]: { text: res?.ok ? (kind === 'claim' ? 'Claimed: it is yours.' : 'Declined.') : '', errors: res?.errors ?? [] } }));
    refresh();
  };
  const offers = data?.myOffers.nodes ?? [];
  return (
    <section>
      <h1>My offers</h1>
      {fetching && !data ? <p>Loading…</p> : null}
      {offers.length === 0 && data ? <p>Nothing is offered to you right now.</p> : null}
      <ul class="cards">
        {offers.map((o) => {
          const m = o.lead?.market;
          const deadline = o.deadlineAt ? Date.parse(o.deadlineAt) : undefined;
          return (
            <li key={`${o.leadId}#${o.round}`} class="card" data-lead={o.leadId}>
              <h2>
                {o.lead?.serviceLine ?? 'Lead'} {m ? `in ${[m.city, m.state, m.zip].filter(Boolean).join(' ')}` : ''}
              </h2>
              <p class="countdown" aria-live="polite">
                {deadline !== undefined ? `Claim within ${countdown(deadline, now)}` : 'No deadline'}
              </p>
              <p>
                {o.lead?.contact?.firstName} · {o.lead?.contact?.phone} <small>(contact {o.lead?.contact?.visibility})</small>
              </p>
              <div class="actions">
                <button type="button" class="primary" onClick={() => void act(o.leadId, 'claim')}>
                  Claim
                </button>
                <button type="button" onClick={() => void act(o.leadId, 'decline')}>
                  Decline
                </button>
              </div>
              {answers[o.leadId]?.text ? <p class="done">{answers[o.leadId]!.text}</p> : null}
              <Errors errors={answers[o.leadId]?.errors} />
            </li>
          );
        })}
      </ul>
      {Object.entries(answers)
        .filter(([id]) => !offers.some((o) => o.leadId === id))
        .map(([id, a]) => (
          <div key={id} class="card" data-lead={id}>
            <p>Lead {id}</p>
            {a.text ? <p class="done">{a.text}</p> : null}
            <Errors errors={a.errors} />
          </div>
        ))}
      <h2>My leads</h2>
      {data && data.leads.nodes.length === 0 ? <p>No leads of yours yet.</p> : null}
      <ul class="cards">
        {(data?.leads.nodes ?? []).map((l) => (
          <MyLeadRow key={l.id} lead={l} tenantId={tenantId} onChanged={refresh} />
        ))}
      </ul>
    </section>
  );
}
