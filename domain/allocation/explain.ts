import { ALGORITHM_LABEL } from './algorithms/index.ts';
import type { AllocationDecision } from './types.ts';

const VERDICT_MARK = { chosen: '✔ chosen', eligible: '· eligible', ineligible: '✘ ineligible', lost: '– lost' } as const;

/** The decision as lines an ops person reads top to bottom. */
export function renderExplanation(decision: AllocationDecision): string[] {
  const lines = [decision.explanation.summary, `plan ${decision.planId}, configuration version ${decision.configVersion}`];
  if (decision.explanation.geography) lines.push(`geography: ${decision.explanation.geography}`);
  for (const t of decision.explanation.tiers) {
    const head = t.index < 0 ? t.name : `tier ${t.index + 1} "${t.name}" (${ALGORITHM_LABEL[t.algorithm]})`;
    lines.push(`${head}: ${t.outcome}`);
    for (const c of t.candidates) {
      const counters = Object.entries(c.counters)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      lines.push(`  ${VERDICT_MARK[c.verdict]} ${c.name} [${c.endpointId}]: ${c.reason}${counters ? ` {${counters}}` : ''}`);
    }
  }
  return lines;
}
