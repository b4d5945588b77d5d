import { useQuery } from '@urql/preact';
import { when } from '../format.ts';
import { ExplanationTree, type Tier } from './explanation.tsx';
import { LEAD_PAGE } from '../operations.ts';

interface Data {
  lead: {
    id: string;
    status: string;
    serviceLine: string;
    sourceId: string;
    receivedAt: string;
    ownerEndpointId: string | null;
    routingSummary: string | null;
    market: { city?: string; state?: string; zip?: string } | null;
  } | null;
  leadHistory: {
    entries: Array<{ at: string; origin: string; kind: string; text: string; actor: string | null }>;
    routingRounds: Array<{
      round: number;
      decidedAt: string;
      decision: {
        outcome: string;
        summary: string;
        tiers: Tier[];
      };
    }> | null;
    workflow: { workflowId: string; available: boolean; status: string | null; historyLength: number | null } | null;
  } | null;
}

// Where the Temporal UI is, for the link to the lead's run (npm start serves it on 8233).
const TEMPORAL_UI = (import.meta.env.VITE_TEMPORAL_UI as string | undefined) ?? 'http://localhost:8233';

/** Staff: one lead's whole story (events, alerts, deliveries, workflow), and why it went where it went. */
export function LeadPage({ leadId }: { leadId: string }) {
  const [{ data, fetching, error }] = useQuery<Data>({ query: LEAD_PAGE, variables: { id: leadId } });
  if (fetching && !data) return <p>Loading…</p>;
  if (error) return <p role="alert">{error.message}</p>;
  const lead = data?.lead;
  if (!lead) return <p role="alert">No lead {leadId} in this tenant.</p>;
  const h = data.leadHistory;
  const m = lead.market;
  return (
    <section>
      <p>
        <a href="#/board">← Leads</a>
      </p>
      <h1>
        Lead {lead.id} <small>{lead.status}</small>
      </h1>
      <p>
        {lead.serviceLine} in {[m?.city, m?.state, m?.zip].filter(Boolean).join(' ')} from {lead.sourceId}, received {when(lead.receivedAt)}
        {lead.ownerEndpointId ? `, owned by ${lead.ownerEndpointId}` : ''}.
      </p>
      {h?.workflow ? (
        <p>
          Workflow <code>{h.workflow.workflowId}</code> ({h.workflow.status ?? 'unknown'}, {h.workflow.historyLength ?? '?'} events):{' '}
          <a href={`${TEMPORAL_UI}/namespaces/default/workflows/${encodeURIComponent(h.workflow.workflowId)}`} target="_blank" rel="noreferrer">
            open in the Temporal UI
          </a>
        </p>
      ) : null}
      <h2>Timeline</h2>
      <ol class="timeline">
        {(h?.entries ?? []).map((e, i) => (
          <li key={i} data-origin={e.origin}>
            <time>{when(e.at)}</time> <span class="origin">{e.origin}</span> {e.text}
          </li>
        ))}
      </ol>
      <h2>Why it went there</h2>
      {(h?.routingRounds ?? []).map((r) => (
        <details key={r.round} open class="explanation">
          <summary>
            Round {r.round}: {r.decision.summary}
          </summary>
          <ExplanationTree tiers={r.decision.tiers} />
        </details>
      ))}
    </section>
  );
}
