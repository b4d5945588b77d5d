import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import type { SuppressionStore } from '../../db/suppression-store.ts';
import { checkEmail, type EmailCheckOptions } from '../../domain/validation/email.ts';
import { checkPhone, type PhoneCheckOptions } from '../../domain/validation/phone.ts';
import type { EmailVerifier, PhoneVerifier, SuppressionProvider } from '../../domain/validation/providers.ts';

/** libphonenumber-js with its full metadata: no network, no account. */
export function offlinePhoneVerifier(opts: PhoneCheckOptions = {}): PhoneVerifier {
  return { name: 'offline', verify: async (raw) => checkPhone(raw, opts) };
}

let disposable: Set<string> | undefined;
/** The maintained list from disposable-email-domains-js, read once per process. */
export function isDisposableDomain(domain: string): boolean {
  disposable ??= disposableEmailBlocklistSet();
  return disposable.has(domain.trim().toLowerCase());
}

export function offlineEmailVerifier(opts: Partial<EmailCheckOptions> = {}): EmailVerifier {
  const options: EmailCheckOptions = { isDisposableDomain, ...opts };
  return { name: 'offline', verify: async (raw) => checkEmail(raw, options) };
}

/** The MongoDB lists (federal, state, internal) as the suppression provider. */
export function storeSuppressionProvider(store: SuppressionStore): SuppressionProvider {
  return { check: (q) => store.check(q.phoneE164, q.email, q.state === undefined ? { tenantId: q.tenantId } : { tenantId: q.tenantId, state: q.state }) };
}
