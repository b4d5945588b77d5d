import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { money } from '../format.ts';
import type { Session } from '../session.ts';
import { Bars } from './bars.tsx';
import { download } from './download.ts';
import { Errors } from './errors.tsx';
import { StatementView } from './statement.tsx';
import { REPORTS } from '../operations.ts';

interface SourceRow {
  sourceId: string;
  state: string | null;
  received: number;
  accepted: number;
  rejected: number;
  delivered: number;
  claimed: number;
  rejectedByReason: Record<string, number>;
}
interface EndpointRow {
  endpointId: string;
  leads: number;
  offered: number;
  claimed: number;
  lapsed: number;
  returned: number;
  claimRate: number | null;
  billedCents: number;
  creditedCents: number;
  netCents: number;
  returnedByReason: Array<{ reason: string; count: number }>;
  deliveryToClaim: { medianMs: number | null; p90Ms: number | null };
}
interface Data {
  sourceReport: { errors: Array<{ code: string; message: string }>; report: { timeZone: string; rows: SourceRow[] } | null };
  endpointReport: { errors: Array<{ code: string; message: string }>; report: { rows: EndpointRow[] } | null };
  config: { document: { sources: Array<{ id: string }>; endpoints: Array<{ id: string; kind: string }> } } | null;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const secs = (ms: number | null) => (ms == null ? '' : ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);

/** Staff: source quality by market, endpoints' speed to claim, returns by reason, spend and credits, for a period, with CSV. */
export function Reports({ session }: { session: Session }) {
  const [period, setPeriod] = useState({ from: day(Date.now() - 29 * 86_400_000), to: day(Date.now()) });
  const [{ data, fetching }] = useQuery<Data>({ query: REPORTS, variables: period });
  const sources = data?.sourceReport.report?.rows ?? [];
  const endpoints = data?.endpointReport.report?.rows ?? [];
  return (
    <section>
      <h1>Reports</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={period.from} onChange={(e) => setPeriod((p) => ({ ...p, from: e.currentTarget.value }))} />
        </label>
        <label>
          To
          <input type="date" value={period.to} onChange={(e) => setPeriod((p) => ({ ...p, to: e.currentTarget.value }))} />
        </label>
      </form>
      {fetching && !data ? <p>Loading…</p> : null}
      <Errors errors={data?.sourceReport.errors} />
      <h2>Source quality by market</h2>
      <Bars
        label="Leads accepted per source and state"
        rows={sources.map((r) => ({ name: `${r.sourceId} ${r.state ?? ''}`, value: r.accepted, note: `${r.accepted} of ${r.received}` }))}
      />
      <table>
        <thead>
          <tr>
            <th>Source</th>
            <th>State</th>
            <th>Received</th>
            <th>Accepted</th>
            <th>Rejected</th>
            <th>Why rejected</th>
            <th>Delivered</th>
            <th>Claimed</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((r) => (
            <tr key={`${r.sourceId}|${r.state}`}>
              <td>{r.sourceId}</td>
              <td>{r.state}</td>
              <td>{r.received}</td>
              <td>{r.accepted}</td>
              <td>{r.rejected}</td>
              <td>
                {Object.entries(r.rejectedByReason)
                  .filter(([, n]) => n > 0)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(', ')}
              </td>
              <td>{r.delivered}</td>
              <td>{r.claimed}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => void download(session, 'source', { ...period, groupBy: 'SOURCE,STATE' })}>
        Export CSV
      </button>
      <Errors errors={data?.endpointReport.errors} />
      <h2>Endpoints: speed to claim, returns, spend and credits</h2>
      <Bars
        label="Median time from delivery to claim per endpoint"
        rows={endpoints
          .filter((r) => r.deliveryToClaim.medianMs != null)
          .map((r) => ({ name: r.endpointId, value: r.deliveryToClaim.medianMs!, note: secs(r.deliveryToClaim.medianMs) }))}
      />
      <table>
        <thead>
          <tr>
            <th>Endpoint</th>
            <th>Leads</th>
            <th>Offered</th>
            <th>Claimed</th>
            <th>Lapsed</th>
            <th>Claim rate</th>
            <th>To claim (median / p90)</th>
            <th>Returned</th>
            <th>Billed</th>
            <th>Credited</th>
            <th>Net</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((r) => (
            <tr key={r.endpointId}>
              <td>{r.endpointId}</td>
              <td>{r.leads}</td>
              <td>{r.offered}</td>
              <td>{r.claimed}</td>
              <td>{r.lapsed}</td>
              <td>{r.claimRate == null ? '' : `${Math.round(r.claimRate * 100)}%`}</td>
              <td>
                {secs(r.deliveryToClaim.medianMs)} / {secs(r.deliveryToClaim.p90Ms)}
              </td>
              <td>
                {r.returned}
                {r.returnedByReason.length ? ` (${r.returnedByReason.map((x) => `${x.reason.replace(/_/g, ' ')} ${x.count}`).join(', ')})` : ''}
              </td>
              <td>{money(r.billedCents)}</td>
              <td>{money(r.creditedCents)}</td>
              <td>{money(r.netCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => void download(session, 'endpoint', { ...period, groupBy: 'ENDPOINT' })}>
        Export CSV
      </button>
      {data?.config ? (
        <>
          <StatementView session={session} kind="source" partyIds={data.config.document.sources.map((x) => x.id)} />
          <StatementView session={session} kind="buyer" partyIds={data.config.document.endpoints.map((x) => x.id)} />
        </>
      ) : null}
    </section>
  );
}
