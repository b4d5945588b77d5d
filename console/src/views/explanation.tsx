export interface Candidate {
  endpointId: string;
  name: string;
  verdict: string;
  reason: string;
  counters: Array<{ name: string; value: string }>;
}
export interface Tier {
  index: number;
  name: string;
  algorithm: string;
  outcome: string;
  candidates: Candidate[];
}

/** A routing decision as a tree: tier → candidate → verdict and reason → counters. */
export function ExplanationTree({ tiers }: { tiers: readonly Tier[] }) {
  return (
    <ul class="tree">
      {tiers.map((t) => (
        <li key={t.index}>
          <strong>
            Tier {t.index + 1}: {t.name}
          </strong>{' '}
          ({t.algorithm}) → {t.outcome}
          <ul>
            {t.candidates.map((c) => (
              <li key={c.endpointId} class={`verdict-${c.verdict}`}>
                {c.name} <em>{c.verdict}</em>: {c.reason}
                {c.counters.length > 0 ? (
                  <ul>
                    {c.counters.map((k) => (
                      <li key={k.name}>
                        {k.name}: {k.value}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
