import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { money } from '../format.ts';
import type { Session } from '../session.ts';
import { Errors } from './errors.tsx';
import { download } from './download.ts';
import { BUYER_STATEMENT, SOURCE_STATEMENT } from '../operations.ts';

interface Statement {
  party: string;
  partyId: string;
  period: string;
  status: string;
  openReason: string;
  leads: number;
  leadsBilled: number;
  billedCents: number;
  returnsCredited: number;
  creditedCents: number;
  flatFeeCents: number;
  netCents: number;
  openLines: number;
  discrepancies: Array<{ leadId: string; expectedCents: number; recordedCents: number }>;
  lines: {
    nodes: Array<{
      leadId: string;
      at: string;
      billedCents: number;
      creditedCents: number;
      netCents: number;
      state: string;
      rejectReason: string | null;
      returnReason: string | null;
    }>;
  };
}

const thisMonth = () => new Date().toISOString().slice(0, 7);

/** One month's reconciliation statement of a source (what it is owed) or a buyer (what it owes), line by line, with CSV. */
export function StatementView({ session, kind, partyIds }: { session: Session; kind: 'source' | 'buyer'; partyIds: readonly string[] }) {
  const [party, setParty] = useState(partyIds[0] ?? '');
  const [month, setMonth] = useState(thisMonth());
  const [{ data }] = useQuery<{ r: { errors: Array<{ code: string; message: string }>; statement: Statement | null } }>({
    query: kind === 'source' ? SOURCE_STATEMENT : BUYER_STATEMENT,
    variables: { id: party, m: month },
    pause: !party,
  });
  const s = data?.r.statement;
  const title = kind === 'source' ? 'Source statement' : 'Buyer statement';
  return (
    <div class="statement">
      <h2>{title}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        {partyIds.length > 1 ? (
          <label>
            {kind === 'source' ? 'Source' : 'Buyer'}
            <select value={party} onChange={(e) => setParty(e.currentTarget.value)}>
              {partyIds.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          Month
          <input type="month" value={month} onChange={(e) => setMonth(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={() => void download(session, `${kind}-statement`, { [kind === 'source' ? 'sourceId' : 'endpointId']: party, month })}>
          Export CSV
        </button>
      </form>
      <Errors errors={data?.r.errors} />
      {s ? (
        <>
          <p class="stats" data-statement={`${s.partyId}:${s.period}`}>
            {s.period} · {s.status.toLowerCase()}
            {s.status === 'OPEN' ? ` (${s.openReason})` : ''} · {s.leads} leads, {s.leadsBilled} billed {money(s.billedCents)}, {s.returnsCredited} credited{' '}
            {money(s.creditedCents)}
            {s.flatFeeCents ? `, flat fee ${money(s.flatFeeCents)}` : ''} · net <strong>{money(s.netCents)}</strong>
          </p>
          {s.discrepancies.length ? (
            <p role="alert">
              {s.discrepancies.length} line(s) disagree with the price on record:{' '}
              {s.discrepancies.map((d) => `${d.leadId} (expected ${money(d.expectedCents)}, recorded ${money(d.recordedCents)})`).join('; ')}
            </p>
          ) : null}
          <table>
            <thead>
              <tr>
                <th>Lead</th>
                <th>At</th>
                <th>State</th>
                <th>Billed</th>
                <th>Credited</th>
                <th>Net</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.nodes.map((l) => (
                <tr key={l.leadId} data-lead={l.leadId}>
                  <td>{l.leadId}</td>
                  <td>{new Date(l.at).toLocaleString()}</td>
                  <td>{l.state.toLowerCase().replace('_', ' ')}</td>
                  <td>{money(l.billedCents)}</td>
                  <td>{money(l.creditedCents)}</td>
                  <td>{money(l.netCents)}</td>
                  <td>{l.returnReason?.replace(/_/g, ' ') ?? l.rejectReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  );
}
