/**
 * One step of the validation chain. `reason` is plain English for ops and
 * vendors; `code` is the machine-readable form that becomes a flag
 * (`phone:voip`) or a reject reason.
 */
export type StepOutcome = 'pass' | 'flag' | 'fail';

export interface StepResult<S extends string = string, D extends Record<string, unknown> = Record<string, unknown>> {
  step: S;
  outcome: StepOutcome;
  reason?: string;
  code?: string;
  data: D;
}

export function stepResult<S extends string, D extends Record<string, unknown>>(
  step: S,
  outcome: StepOutcome,
  data: D,
  why?: { code: string; reason: string },
): StepResult<S, D> {
  return why ? { step, outcome, code: why.code, reason: why.reason, data } : { step, outcome, data };
}
