import { useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { field } from '../form.ts';
import { Errors } from './errors.tsx';
import { ExplanationTree, type Tier } from './explanation.tsx';
import { CONFIG_DOCUMENT, SIMULATE } from '../operations.ts';

interface Data {
  simulateRouting: {
    ok: boolean;
    errors: Array<{ code: string; message: string; field?: string | null }>;
    at: string | null;
    market: { city?: string; state?: string; zip?: string } | null;
    serviceLine: string | null;
    decision: { outcome: string; summary: string; chosen: Array<{ endpointId: string; name: string }>; tiers: Tier[] } | null;
  };
  config: { document: { sources: Array<{ id: string; name: string }>; tenant: { serviceLines?: string[] } } } | null;
}

/** Staff: who would get this lead, now or at a chosen time? A dry run: nothing is reserved. */
export function Simulate() {
  const [ask, setAsk] = useState<{ lead: { sourceId: string; zip?: string; serviceLine?: string }; at?: string }>();
  const [{ data, fetching }] = useQuery<Data>({ query: SIMULATE, variables: ask ?? { lead: { sourceId: '' } }, pause: !ask });
  const [{ data: cfg }] = useQuery<Pick<Data, 'config'>>({ query: CONFIG_DOCUMENT });
  const doc = cfg?.config?.document;
  const submit = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget;
    const at = field(form, 'at');
    setAsk({
      lead: {
        sourceId: field(form, 'sourceId'),
        ...(field(form, 'zip') ? { zip: field(form, 'zip') } : {}),
        ...(field(form, 'serviceLine') ? { serviceLine: field(form, 'serviceLine') } : {}),
      },
      ...(at ? { at: new Date(at).toISOString() } : {}),
    });
  };
  const sim = data?.simulateRouting;
  return (
    <section>
      <h1>Who would get this lead?</h1>
      <form class="filters" onSubmit={submit}>
        <label>
          Source
          <select name="sourceId" required>
            {doc?.sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Service line
          <select name="serviceLine">
            <option value="">the source's default</option>
            {(doc?.tenant.serviceLines ?? []).map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          ZIP
          <input name="zip" inputMode="numeric" pattern="[0-9]{5}" defaultValue="75201" />
        </label>
        <label>
          At (your local time; empty for now)
          <input name="at" type="datetime-local" />
        </label>
        <button type="submit" class="primary">
          Simulate
        </button>
      </form>
      {fetching ? <p>Asking…</p> : null}
      <Errors errors={sim?.errors} />
      {sim?.decision ? (
        <div class="simulation" role="status">
          <p>
            <strong>{sim.decision.summary}</strong>
          </p>
          <p>
            {sim.serviceLine} in {[sim.market?.city, sim.market?.state, sim.market?.zip].filter(Boolean).join(' ')}, judged at{' '}
            {sim.at ? new Date(sim.at).toLocaleString() : 'now'}
          </p>
          <ExplanationTree tiers={sim.decision.tiers} />
        </div>
      ) : null}
    </section>
  );
}
