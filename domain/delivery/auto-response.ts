import type { LineType } from '../validation/phone.ts';
import { renderTemplate, type TemplateVars } from './template.ts';

export interface AutoResponseTemplates {
  sms?: string;
  email?: { subject: string; body: string };
}

export interface AutoResponseInput {
  leadId: string;
  /** From the consent check: only these channels may be used. */
  consentChannels: ReadonlyArray<'sms' | 'email' | 'phone'>;
  templates: AutoResponseTemplates;
  phoneE164?: string;
  lineType?: LineType;
  email?: string;
  vars: TemplateVars;
}

export type AutoResponseMessage =
  | { channel: 'sms'; to: string; body: string; idempotencyKey: string }
  | { channel: 'email'; to: string; subject: string; text: string; idempotencyKey: string };

export interface AutoResponsePlan {
  send: AutoResponseMessage[];
  skipped: Array<{ channel: 'sms' | 'email'; reason: string }>;
}

/** Line types a text message cannot reach. */
const NO_SMS: ReadonlySet<LineType> = new Set(['landline', 'toll_free', 'premium_rate']);

/**
 * What to send the consumer the moment the lead is accepted: each channel only
 * with consent for it, a template, and an address it can reach. Keys are per
 * lead and channel, so a retried activity never sends twice.
 */
export function planAutoResponse(input: AutoResponseInput): AutoResponsePlan {
  const plan: AutoResponsePlan = { send: [], skipped: [] };
  const skip = (channel: 'sms' | 'email', reason: string) => plan.skipped.push({ channel, reason });

  if (!input.templates.sms) skip('sms', 'no SMS template');
  else if (!input.consentChannels.includes('sms')) skip('sms', 'the consent record does not cover text messages');
  else if (!input.phoneE164) skip('sms', 'no valid phone number');
  else if (input.lineType && NO_SMS.has(input.lineType)) skip('sms', `a ${input.lineType.replace('_', '-')} number cannot receive text messages`);
  else {
    const body = renderTemplate(input.templates.sms, input.vars).trim();
    if (body) plan.send.push({ channel: 'sms', to: input.phoneE164, body, idempotencyKey: `${input.leadId}:auto:sms` });
    else skip('sms', 'the SMS template rendered empty');
  }

  if (!input.templates.email) skip('email', 'no email template');
  else if (!input.consentChannels.includes('email')) skip('email', 'the consent record does not cover email');
  else if (!input.email) skip('email', 'no email address');
  else {
    plan.send.push({
      channel: 'email',
      to: input.email,
      subject: renderTemplate(input.templates.email.subject, input.vars)
        .replace(/[\r\n]+/g, ' ')
        .trim(),
      text: renderTemplate(input.templates.email.body, input.vars),
      idempotencyKey: `${input.leadId}:auto:email`,
    });
  }
  return plan;
}
