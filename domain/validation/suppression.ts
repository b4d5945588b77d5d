import { stepResult, type StepResult } from './step.ts';

export const SUPPRESSION_LISTS = ['federal', 'state', 'internal'] as const;
export type SuppressionList = (typeof SUPPRESSION_LISTS)[number];

export interface SuppressionHit {
  list: SuppressionList;
  /** Two-letter state of a state list. */
  state?: string;
  /** `global` lists are shared by every tenant; `tenant` lists belong to one. */
  scope: 'global' | 'tenant';
  matchedOn: 'phone' | 'email';
}

export type SuppressionData = { hits: SuppressionHit[]; checked: Array<'phone' | 'email'> };
export type SuppressionStep = StepResult<'suppression', SuppressionData>;

/** What a suppression source answers (the MongoDB store, or a paid DNC scrub service). */
export interface SuppressionProvider {
  check(q: { tenantId: string; phoneE164?: string; email?: string; state?: string }): Promise<SuppressionHit[]>;
}

export function suppressionStep(hits: SuppressionHit[], checked: Array<'phone' | 'email'>): SuppressionStep {
  const data: SuppressionData = { hits, checked };
  const [first] = hits;
  if (!first) return stepResult('suppression', 'pass', data);
  const reason = hits.map(describeHit).join('; ');
  return stepResult('suppression', 'fail', data, { code: first.list === 'internal' ? 'internal_suppression' : 'dnc', reason });
}

function describeHit(hit: SuppressionHit): string {
  const what = hit.matchedOn === 'phone' ? 'Phone' : 'Email';
  switch (hit.list) {
    case 'federal':
      return `${what} is on the federal Do Not Call list`;
    case 'state':
      return `${what} is on the ${hit.state ?? 'state'} Do Not Call list`;
    case 'internal':
      return `${what} is on the internal suppression list${hit.scope === 'global' ? ' (all brands)' : ''}`;
  }
}
