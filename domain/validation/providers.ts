// The seams where a paid verification service plugs in. Each answers with the
// same step result as the offline default, so the chain and the summary never
// need to know which one ran.
import type { EmailStep } from './email.ts';
import type { PhoneStep } from './phone.ts';

export interface PhoneVerifier {
  readonly name: string;
  verify(raw: string | undefined): Promise<PhoneStep>;
}

export interface EmailVerifier {
  readonly name: string;
  verify(raw: string | undefined): Promise<EmailStep>;
}

export type { DuplicateLookup } from './duplicates.ts';
export type { RiskScorer } from './risk.ts';
export type { SuppressionProvider } from './suppression.ts';
