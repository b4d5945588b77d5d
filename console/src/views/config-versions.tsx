import { useMutation, useQuery } from '@urql/preact';
import { useEffect, useState } from 'preact/hooks';
import { when } from '../format.ts';
import type { UserError } from '../session.ts';
import { Errors } from './errors.tsx';
import { CONFIG_DIFF, CONFIG_VERSIONS, ROLLBACK } from '../operations.ts';

interface Version {
  version: number;
  author: string;
  note: string | null;
  createdAt: string;
}

/** The configuration's versions: what changed in each (against the one before) and a rollback to any. */
export function ConfigVersions({ canWrite, live, onChanged }: { canWrite: boolean; live: number | undefined; onChanged: () => void }) {
  const [{ data }, refetch] = useQuery<{ configVersions: Version[]; config: { version: number } | null }>({ query: CONFIG_VERSIONS });
  const [diffOf, setDiffOf] = useState<number>();
  const [{ data: diff }] = useQuery<{ configDiff: { errors: UserError[]; changes: Array<{ path: string; kind: string; text: string }> } }>({
    query: CONFIG_DIFF,
    variables: { from: (diffOf ?? 2) - 1, to: diffOf ?? 2 },
    pause: diffOf === undefined,
  });
  const [, rollback] = useMutation<{ rollbackConfig: { ok: boolean; version: number | null; errors: UserError[] } }>(ROLLBACK);
  const [answer, setAnswer] = useState<{ ok: boolean; version: number | null; errors: UserError[] }>();
  // A new live version (an import, a rollback, someone else's change) re-reads the list.
  useEffect(() => refetch({ requestPolicy: 'network-only' }), [live, refetch]);
  const current = data?.config?.version;
  return (
    <div>
      <h2>Versions</h2>
      <table>
        <thead>
          <tr>
            <th>Version</th>
            <th>When</th>
            <th>By</th>
            <th>Note</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {data?.configVersions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>
                {v.version}
                {v.version === current ? ' (live)' : ''}
              </td>
              <td>{when(v.createdAt)}</td>
              <td>{v.author}</td>
              <td>{v.note}</td>
              <td class="actions">
                {v.version > 1 ? (
                  <button type="button" onClick={() => setDiffOf(v.version)}>
                    Changes in {v.version}
                  </button>
                ) : null}
                {canWrite && v.version !== current ? (
                  <button
                    type="button"
                    onClick={() =>
                      void rollback({ v: v.version }).then((r) => {
                        setAnswer(r.data?.rollbackConfig);
                        refetch({ requestPolicy: 'network-only' });
                        onChanged();
                      })
                    }
                  >
                    Roll back to {v.version}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {answer?.ok ? (
        <p class="done" role="status">
          Rolled back: published as version {answer.version}.
        </p>
      ) : null}
      <Errors errors={answer?.errors} />
      {diffOf !== undefined && diff ? (
        <div class="diff">
          <h3>
            Changes from {diffOf - 1} to {diffOf}
          </h3>
          <Errors errors={diff.configDiff.errors} />
          <ul>
            {diff.configDiff.changes.map((c, i) => (
              <li key={i} class={`change-${c.kind}`}>
                <code>{c.path}</code> {c.text}
              </li>
            ))}
          </ul>
          {diff.configDiff.changes.length === 0 ? <p>No changes.</p> : null}
        </div>
      ) : null}
    </div>
  );
}
