import { useMutation, useQuery } from '@urql/preact';
import { useCallback, useState } from 'preact/hooks';
import { LEAD_STATUSES } from '../../../domain/lifecycle/lead-status.ts';
import { field } from '../form.ts';
import { when } from '../format.ts';
import type { UserError } from '../session.ts';
import { Errors } from './errors.tsx';
import { usePoll } from './use-poll.ts';
import { BOARD_LEADS, REASSIGN, RELEASE } from '../operations.ts';

/** The queues a manager clears by hand. */
const QUEUES = [
  { label: 'Held', status: ['held'] },
  { label: 'Escalated', status: ['escalated', 'undeliverable'] },
  { label: 'Manual queue', status: ['manual_queue'] },
  { label: 'Review', status: ['review'] },
];

interface Row {
  id: string;
  status: string;
  serviceLine: string;
  sourceId: string;
  receivedAt: string;
  market: { city?: string; state?: string; zip?: string } | null;
  offeredTo: string[] | null;
  ownerEndpointId: string | null;
  heldUntil: string | null;
  heldReason: string | null;
}
interface Doc {
  sources: Array<{ id: string; name: string }>;
  endpoints: Array<{ id: string; name: string; kind: string }>;
}
type Answer = { ok: boolean; errors: UserError[] };

/** Staff: the lead board with filters, and the queues that need a person (hand assignment, release). */
export function Board() {
  const [filter, setFilter] = useState<{
    status?: string[];
    sourceId?: string;
    endpointId?: string;
    serviceLine?: string;
    receivedFrom?: string;
    receivedTo?: string;
  }>({});
  // The API filters by everything above; the market (state, city or ZIP) narrows the page it answered.
  const [market, setMarket] = useState('');
  const [{ data, fetching }, refetch] = useQuery<{ leads: { nodes: Row[]; errors: UserError[] }; config: { document: Doc } | null }>({
    query: BOARD_LEADS,
    variables: { f: filter },
  });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  usePoll(refresh, 5000);
  const [, reassign] = useMutation<{ reassignLead: Answer }>(REASSIGN);
  const [, release] = useMutation<{ releaseHeldLead: Answer }>(RELEASE);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  // The last hand action, said above the list: the lead may leave the filtered list as it moves on.
  const [done, setDone] = useState<{ id: string; text: string }>();
  const doc = data?.config?.document;
  const set = (k: keyof typeof filter, v: string) => setFilter((f) => ({ ...f, [k]: v ? (k === 'status' ? [v] : v) : undefined }));
  // Days in the viewer's own time zone; "to" includes the whole day.
  const setDay = (k: 'receivedFrom' | 'receivedTo', v: string) =>
    setFilter((f) => ({ ...f, [k]: v ? new Date(new Date(`${v}T00:00:00`).getTime() + (k === 'receivedTo' ? 86_400_000 : 0)).toISOString() : undefined }));
  const shown = (data?.leads.nodes ?? []).filter(
    (l) => !market || [l.market?.city, l.market?.state, l.market?.zip].some((x) => x?.toLowerCase().startsWith(market.trim().toLowerCase())),
  );

  const assign = async (e: Event, id: string) => {
    e.preventDefault();
    const to = field(e.currentTarget, 'to');
    const res = (await reassign({ id, to, note: 'assigned from the console' })).data?.reassignLead;
    if (res) setAnswers((a) => ({ ...a, [id]: res }));
    if (res?.ok) setDone({ id, text: `Assigned ${id} to ${doc?.endpoints.find((x) => x.id === to)?.name ?? to}.` });
    refresh();
  };

  return (
    <section>
      <h1>Leads</h1>
      <div class="queues" role="group" aria-label="Queues">
        {QUEUES.map((q) => (
          <button key={q.label} type="button" aria-pressed={filter.status?.join() === q.status.join()} onClick={() => setFilter({ status: q.status })}>
            {q.label}
          </button>
        ))}
        <button type="button" onClick={() => setFilter({})}>
          All
        </button>
      </div>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={filter.status?.length === 1 ? filter.status[0] : ''} onChange={(e) => set('status', e.currentTarget.value)}>
            <option value="">any</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select value={filter.sourceId ?? ''} onChange={(e) => set('sourceId', e.currentTarget.value)}>
            <option value="">any</option>
            {doc?.sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Endpoint
          <select value={filter.endpointId ?? ''} onChange={(e) => set('endpointId', e.currentTarget.value)}>
            <option value="">any</option>
            {doc?.endpoints.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Service line
          <input value={filter.serviceLine ?? ''} onChange={(e) => set('serviceLine', e.currentTarget.value)} />
        </label>
        <label>
          Market (state, city or ZIP)
          <input value={market} onInput={(e) => setMarket(e.currentTarget.value)} />
        </label>
        <label>
          Received from
          <input type="date" onChange={(e) => setDay('receivedFrom', e.currentTarget.value)} />
        </label>
        <label>
          Received to
          <input type="date" onChange={(e) => setDay('receivedTo', e.currentTarget.value)} />
        </label>
      </form>
      <Errors errors={data?.leads.errors} />
      {done ? (
        <p class="done" role="status" data-lead={done.id}>
          {done.text}
        </p>
      ) : null}
      {fetching && !data ? <p>Loading…</p> : null}
      <table class="board">
        <thead>
          <tr>
            <th>Lead</th>
            <th>Status</th>
            <th>Service</th>
            <th>Market</th>
            <th>Source</th>
            <th>With</th>
            <th>Received</th>
            <th>Act</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((l) => (
            <tr key={l.id} data-lead={l.id}>
              <td>
                <a href={`#/lead/${encodeURIComponent(l.id)}`}>{l.id}</a>
              </td>
              <td>
                {l.status}
                {l.heldUntil ? <small> until {when(l.heldUntil)}</small> : null}
              </td>
              <td>{l.serviceLine}</td>
              <td>{[l.market?.city, l.market?.state, l.market?.zip].filter(Boolean).join(' ')}</td>
              <td>{l.sourceId}</td>
              <td>{l.ownerEndpointId ?? l.offeredTo?.join(', ') ?? ''}</td>
              <td>{when(l.receivedAt)}</td>
              <td>
                {['held', 'escalated', 'undeliverable', 'manual_queue', 'offered'].includes(l.status) ? (
                  <form class="assign" onSubmit={(e) => void assign(e, l.id)}>
                    <label>
                      Assign to
                      <select name="to" required>
                        {doc?.endpoints.map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </label>
                    <button type="submit">Assign</button>
                    {l.status === 'held' ? (
                      <button
                        type="button"
                        onClick={() =>
                          void release({ id: l.id }).then((r) => {
                            if (r.data) setAnswers((a) => ({ ...a, [l.id]: r.data!.releaseHeldLead }));
                            if (r.data?.releaseHeldLead.ok) setDone({ id: l.id, text: `Released ${l.id}: it routes now.` });
                            refresh();
                          })
                        }
                      >
                        Release now
                      </button>
                    ) : null}
                  </form>
                ) : null}
                <Errors errors={answers[l.id]?.errors} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
