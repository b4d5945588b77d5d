import { useMutation, useQuery } from '@urql/preact';
import { useState } from 'preact/hooks';
import { ConfigVersions } from './config-versions.tsx';
import { CONFIG, IMPORT_CONFIG } from '../operations.ts';

interface ImportError {
  code: string;
  message: string;
  field?: string | null;
  line?: number | null;
  column?: number | null;
}
interface Territory {
  id?: string;
  endpointId?: string;
  kind: string;
  zips?: string[];
  states?: string[];
  counties?: string[];
  radius?: { miles: number };
  serviceLines?: string[];
}
interface Doc {
  sources: Array<{ id: string; name: string; status?: string; defaultServiceLine?: string }>;
  endpoints: Array<{ id: string; name: string; kind: string; serviceLines?: string[]; territories?: Territory[] }>;
  territories?: Territory[];
  rotations?: Array<{ id: string; name: string; members: string[] }>;
  routingPlans?: Array<{
    id: string;
    name?: string;
    sourceId?: string;
    serviceLine?: string;
    isDefault?: boolean;
    tiers: Array<{ name: string; algorithm?: string }>;
  }>;
}

const area = (t: Territory) =>
  [
    t.zips?.length ? `ZIPs ${t.zips.join(', ')}` : '',
    t.states?.length ? `states ${t.states.join(', ')}` : '',
    t.counties?.length ? `counties ${t.counties.join(', ')}` : '',
    t.radius ? `${t.radius.miles} mi radius` : '',
  ]
    .filter(Boolean)
    .join('; ');

/** Admins and ops: the configuration as tables and the YAML export; admins also import, with every error shown at its path. */
export function ConfigView({ canImport }: { canImport: boolean }) {
  const [{ data }, refetch] = useQuery<{ config: { version: number; document: Doc } | null; exportConfig: { text: string } | null }>({ query: CONFIG });
  const [, importConfig] = useMutation<{ importConfig: { ok: boolean; version: number | null; errors: ImportError[] } }>(IMPORT_CONFIG);
  const [text, setText] = useState('');
  const [result, setResult] = useState<{ ok: boolean; version: number | null; errors: ImportError[] }>();
  const doc = data?.config?.document;
  const submit = async (e: Event) => {
    e.preventDefault();
    const answer = await importConfig({ text });
    // A request the API refused as a whole (not a configuration problem) still gets said.
    const r =
      answer.data?.importConfig ??
      (answer.error ? { ok: false, version: null, errors: [{ code: 'REQUEST_FAILED', message: answer.error.message }] } : undefined);
    setResult(r);
    if (r?.ok) refetch({ requestPolicy: 'network-only' });
  };
  return (
    <section>
      <h1>Configuration {data?.config ? <small>version {data.config.version}</small> : null}</h1>
      <h2>Sources</h2>
      <table>
        <tbody>
          {doc?.sources.map((s) => (
            <tr key={s.id}>
              <td>{s.id}</td>
              <td>{s.name}</td>
              <td>{s.status ?? 'active'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Endpoints</h2>
      <table>
        <tbody>
          {doc?.endpoints.map((s) => (
            <tr key={s.id}>
              <td>{s.id}</td>
              <td>{s.name}</td>
              <td>{s.kind}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Territories</h2>
      <table>
        <tbody>
          {[...(doc?.endpoints ?? []).flatMap((e) => (e.territories ?? []).map((t) => ({ ...t, endpointId: e.id }))), ...(doc?.territories ?? [])].map(
            (t, i) => (
              <tr key={`${t.endpointId}-${t.id ?? i}`}>
                <td>{t.endpointId}</td>
                <td>{t.kind}</td>
                <td>{area(t)}</td>
                <td>{t.serviceLines?.join(', ') ?? 'all service lines'}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
      <h2>Routing plans</h2>
      <table>
        <tbody>
          {doc?.routingPlans?.map((p) => (
            <tr key={p.id}>
              <td>{p.name ?? p.id}</td>
              <td>{p.isDefault ? 'default' : [p.sourceId, p.serviceLine].filter(Boolean).join(' · ')}</td>
              <td>{p.tiers.map((t, i) => `${i + 1}. ${t.name} (${t.algorithm ?? 'round_robin'})`).join(' → ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Rotations</h2>
      <table>
        <tbody>
          {doc?.rotations?.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.members.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canImport ? <h2>Import YAML</h2> : null}
      {/* Whole-tenant imports are the admins' (the API refuses ops); ops edit item by item. */}
      <form hidden={!canImport} onSubmit={(e) => void submit(e)}>
        <label>
          Configuration (YAML)
          <textarea name="yaml" rows={14} value={text} onInput={(e) => setText(e.currentTarget.value)} spellcheck={false} />
        </label>
        <div class="actions">
          <button type="submit" class="primary">
            Import
          </button>
          <button type="button" disabled={!data?.exportConfig} onClick={() => setText(data?.exportConfig?.text ?? '')}>
            Start from the current one
          </button>
        </div>
      </form>
      {result?.ok ? (
        <p class="done" role="status">
          Published as version {result.version}.
        </p>
      ) : null}
      {result && !result.ok ? (
        <table class="errors" role="alert">
          <thead>
            <tr>
              <th>Path</th>
              <th>Line</th>
              <th>Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((er, i) => (
              <tr key={i}>
                <td>
                  <code>{er.field ?? '(document)'}</code>
                </td>
                <td>{er.line != null ? `${er.line}:${er.column ?? 1}` : ''}</td>
                <td>{er.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <ConfigVersions canWrite live={data?.config?.version} onChanged={() => refetch({ requestPolicy: 'network-only' })} />
      <h2>Export</h2>
      <pre class="export">{data?.exportConfig?.text}</pre>
    </section>
  );
}
