import type { RejectReason } from '../lifecycle/lead-status.ts';
import type { StepResult } from './step.ts';

export interface ValidationSummary {
  outcome: 'accepted' | 'rejected';
  rejectReason?: RejectReason;
  /** The deciding step's reason, in plain English. */
  rejectDetail?: string;
  /** Every failing step, in reject-reason order. */
  failures: Array<{ step: string; reason: RejectReason; detail: string }>;
  /** `step:code` for each flagged step, e.g. `phone:voip`. */
  flags: string[];
}

/** Which reject reason a failing step stands for; anything not listed is invalid data. */
const REASON_BY_STEP: Record<string, RejectReason> = {
  duplicate: 'duplicate',
  suppression: 'dnc',
  risk: 'risk',
};

/** When several steps fail, the source is told the most fundamental reason first. */
const PRECEDENCE: RejectReason[] = ['invalid', 'duplicate', 'dnc', 'risk', 'no_coverage'];

export function summariseValidation(results: ReadonlyArray<StepResult>): ValidationSummary {
  const failures = results
    .filter((r) => r.outcome === 'fail')
    .map((r) => ({ step: r.step, reason: REASON_BY_STEP[r.step] ?? 'invalid', detail: r.reason ?? `${r.step} check failed` }))
    .sort((a, b) => PRECEDENCE.indexOf(a.reason) - PRECEDENCE.indexOf(b.reason));
  const flags = results.filter((r) => r.outcome === 'flag').map((r) => `${r.step}:${r.code ?? 'flagged'}`);
  const [first] = failures;
  if (!first) return { outcome: 'accepted', failures, flags };
  return { outcome: 'rejected', rejectReason: first.reason, rejectDetail: first.detail, failures, flags };
}
