import type { ValidationCondition } from '../../schema/routing-plan.ts';
import type { LeadSignals } from './types.ts';

/** Why the condition holds for this lead, in words; undefined when it does not (every criterion given must hold). */
export function conditionHolds(c: ValidationCondition, s: LeadSignals | undefined): string | undefined {
  const why: string[] = [];
  if (c.flags) {
    const hit = c.flags.filter((f) => s?.flags.includes(f));
    if (hit.length === 0) return undefined;
    why.push(`flagged ${hit.join(', ')}`);
  }
  if (c.lineTypes) {
    if (!s?.lineType || !c.lineTypes.includes(s.lineType as (typeof c.lineTypes)[number])) return undefined;
    why.push(`phone line type ${s.lineType}`);
  }
  if (c.riskAtLeast !== undefined) {
    if (s?.riskScore === undefined || s.riskScore < c.riskAtLeast) return undefined;
    why.push(`risk score ${s.riskScore} ≥ ${c.riskAtLeast}`);
  }
  if (c.identityBelow !== undefined) {
    if (s?.identityConfidence === undefined || s.identityConfidence >= c.identityBelow) return undefined;
    why.push(`identity confidence ${s.identityConfidence} < ${c.identityBelow}`);
  }
  return why.join(', ');
}

/** Whether a tier is walked for this lead; the reason it is passed over when not. */
export function tierGate(
  t: { onlyIf: ValidationCondition | undefined; skipIf: ValidationCondition | undefined },
  s: LeadSignals | undefined,
): string | undefined {
  if (t.onlyIf && conditionHolds(t.onlyIf, s) === undefined) return "passed over: the lead's validation does not meet this tier's onlyIf";
  if (t.skipIf) {
    const why = conditionHolds(t.skipIf, s);
    if (why !== undefined) return `passed over by its skipIf: ${why}`;
  }
  return undefined;
}
