import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { field } from '../form.ts';
import { countdown, money, when } from '../format.ts';
import type { Session, UserError } from '../session.ts';
import { Errors } from './errors.tsx';
import { ReturnFields } from './return-fields.tsx';
import { StatementView } from './statement.tsx';
import { useNow } from './use-poll.ts';
import { BUYER_PORTAL, BUYER_RETURN, VENDOR_PORTAL } from '../operations.ts';

interface Submission {
  id: string;
  status: string;
  billing: string;
  receivedAt: string;
  serviceLine: string;
  costCents: number | null;
  rejection: { reason: string } | null;
  returned: { reason: string; creditCents: number | null } | null;
}
interface VendorData {
  mySubmissions: { nodes: Submission[] };
  myAcceptance: {
    stats: {
      received: number;
      accepted: number;
      rejected: number;
      acceptanceRate: number | null;
      rejectedByReason: Array<{ reason: string; count: number }>;
    } | null;
  };
}

/** Vendors: their own source's submissions, acceptance, rejection reasons, returns and payouts; nothing else. */
export function VendorPortal({ session }: { session: Session }) {
  const [{ data }] = useQuery<VendorData>({ query: VENDOR_PORTAL });
  const s = data?.myAcceptance.stats;
  return (
    <section>
      <h1>My submissions</h1>
      {s ? (
        <p class="stats">
          {s.received} received, {s.accepted} accepted, {s.rejected} rejected
          {s.acceptanceRate != null ? ` (${Math.round(s.acceptanceRate * 100)}% accepted)` : ''}
          {s.rejectedByReason.length ? `; rejected for ${s.rejectedByReason.map((r) => `${r.reason} ×${r.count}`).join(', ')}` : ''}
        </p>
      ) : null}
      <table class="submissions">
        <thead>
          <tr>
            <th>Lead</th>
            <th>Received</th>
            <th>Service</th>
            <th>Status</th>
            <th>Billing</th>
            <th>Payout</th>
            <th>Returned</th>
          </tr>
        </thead>
        <tbody>
          {data?.mySubmissions.nodes.map((l) => (
            <tr key={l.id} data-lead={l.id}>
              <td>{l.id}</td>
              <td>{when(l.receivedAt)}</td>
              <td>{l.serviceLine}</td>
              <td>
                {l.status}
                {l.rejection ? ` (${l.rejection.reason})` : ''}
              </td>
              <td>{l.billing}</td>
              <td>{money(l.costCents)}</td>
              <td>{l.returned ? `${l.returned.reason}, credit ${money(l.returned.creditCents)}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <StatementView session={session} kind="source" partyIds={[session.me.sourceId ?? '']} />
    </section>
  );
}

interface BuyerData {
  myDeliveries: {
    nodes: Array<{
      id: string;
      serviceLine: string;
      deliveredAt: string | null;
      billing: string;
      priceCents: number | null;
      returned: { reason: string } | null;
    }>;
  };
  openReturnWindows: { nodes: Array<{ lead: { id: string; serviceLine: string }; closesAt: string; allowedReasons: string[] }> };
}

/** Buyers: their deliveries, the return windows still open with a Return button, and what each cost. */
export function BuyerPortal({ session }: { session: Session }) {
  const [{ data }, refetch] = useQuery<BuyerData>({ query: BUYER_PORTAL });
  const [, returnLead] = useMutation<{ returnLead: { ok: boolean; errors: UserError[] } }>(BUYER_RETURN);
  const [answers, setAnswers] = useState<Record<string, { ok: boolean; errors: UserError[] }>>({});
  const now = useNow();
  const submit = async (e: Event, id: string) => {
    e.preventDefault();
    const form = e.currentTarget;
    const r = (await returnLead({ id, reason: field(form, 'reason'), evidence: field(form, 'evidence') || null })).data?.returnLead;
    if (r) setAnswers((a) => ({ ...a, [id]: r }));
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <section>
      <h1>My deliveries</h1>
      <h2>Open return windows</h2>
      {data && data.openReturnWindows.nodes.length === 0 ? <p>No return window is open.</p> : null}
      <ul class="cards">
        {data?.openReturnWindows.nodes.map((w) => (
          <li key={w.lead.id} class="card" data-lead={w.lead.id}>
            <h3>
              {w.lead.id} · {w.lead.serviceLine}
            </h3>
            <p>Closes in {countdown(Date.parse(w.closesAt), now)}</p>
            <form onSubmit={(e) => void submit(e, w.lead.id)}>
              <ReturnFields reasons={w.allowedReasons} />
              <button type="submit">Return</button>
            </form>
            <Errors errors={answers[w.lead.id]?.errors} />
          </li>
        ))}
      </ul>
      {Object.entries(answers)
        .filter(([, a]) => a.ok)
        .map(([id]) => (
          <p key={id} class="done" data-lead={id}>
            Returned {id}: the source is credited.
          </p>
        ))}
      <h2>Delivered</h2>
      <table>
        <thead>
          <tr>
            <th>Lead</th>
            <th>Service</th>
            <th>Delivered</th>
            <th>Price</th>
            <th>Billing</th>
          </tr>
        </thead>
        <tbody>
          {data?.myDeliveries.nodes.map((l) => (
            <tr key={l.id} data-lead={l.id}>
              <td>{l.id}</td>
              <td>{l.serviceLine}</td>
              <td>{when(l.deliveredAt)}</td>
              <td>{money(l.priceCents)}</td>
              <td>
                {l.billing}
                {l.returned ? ` (returned: ${l.returned.reason})` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <StatementView session={session} kind="buyer" partyIds={[session.me.endpointId ?? '']} />
    </section>
  );
}
