import { z } from 'zod';
import { stepResult, type StepResult } from './step.ts';

export type EmailData = {
  present: boolean;
  input?: string;
  /** Trimmed and lower-cased: the form suppression lists and duplicate keys use. */
  normalized?: string;
  domain?: string;
  disposable: boolean;
  role: boolean;
  verifiedBy: string;
};

export interface EmailCheckOptions {
  isDisposableDomain: (domain: string) => boolean;
  required?: boolean;
  /** What a throwaway address does to the lead; flag by default, since the phone may still be real. */
  disposable?: 'flag' | 'fail';
}

export type EmailStep = StepResult<'email', EmailData>;

/** Local parts that reach a function or a team rather than the person who asked. */
export const ROLE_LOCAL_PARTS: ReadonlySet<string> = new Set([
  'abuse',
  'admin',
  'administrator',
  'billing',
  'contact',
  'enquiries',
  'hello',
  'help',
  'hostmaster',
  'info',
  'inquiries',
  'jobs',
  'mail',
  'marketing',
  'no-reply',
  'noreply',
  'office',
  'postmaster',
  'root',
  'sales',
  'security',
  'support',
  'team',
  'webmaster',
]);

const EmailSyntax = z.email();

export function checkEmail(raw: string | undefined, opts: EmailCheckOptions): EmailStep {
  const input = raw?.trim();
  if (!input) {
    const data: EmailData = { present: false, disposable: false, role: false, verifiedBy: 'offline' };
    return opts.required ? stepResult('email', 'fail', data, { code: 'missing', reason: 'No email address was given' }) : stepResult('email', 'pass', data);
  }
  const normalized = input.toLowerCase();
  if (!EmailSyntax.safeParse(normalized).success) {
    return stepResult(
      'email',
      'fail',
      { present: true, input, disposable: false, role: false, verifiedBy: 'offline' },
      { code: 'invalid', reason: 'email is not a valid address' },
    );
  }
  const at = normalized.lastIndexOf('@');
  const local = normalized.slice(0, at);
  const domain = normalized.slice(at + 1);
  const data: EmailData = {
    present: true,
    input,
    normalized,
    domain,
    disposable: domainOrParents(domain).some((d) => opts.isDisposableDomain(d)),
    // "sales+leads@" is still the sales desk.
    role: ROLE_LOCAL_PARTS.has(local.split('+')[0] ?? local),
    verifiedBy: 'offline',
  };
  return emailStepFor(data, opts.disposable ?? 'flag');
}

/** Pass/flag/fail from what is known about a syntactically valid address; shared with provider-backed verifiers. */
export function emailStepFor(data: EmailData, disposable: 'flag' | 'fail' = 'flag'): EmailStep {
  if (data.disposable) return stepResult('email', disposable, data, { code: 'disposable', reason: 'email is at a domain that gives out throwaway addresses' });
  if (data.role)
    return stepResult('email', 'flag', data, {
      code: 'role_address',
      reason: "email is a role address (a team or function), not a person's",
    });
  return stepResult('email', 'pass', data);
}

/** a.b.mailinator.com → [a.b.mailinator.com, b.mailinator.com, mailinator.com]: throwaway services hand out subdomains too. */
function domainOrParents(domain: string): string[] {
  const labels = domain.split('.');
  const out: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) out.push(labels.slice(i).join('.'));
  return out;
}
