import { messageIdFor } from './message-id.ts';
import type { EmailMethod, SmsMethod } from '../../schema/delivery-method.ts';
import { renderTemplate, type TemplateVars } from './template.ts';

export interface EmailMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface SmsMessage {
  to: string;
  body: string;
  idempotencyKey: string;
}

/** The body an endpoint gets when its email method names no template. */
export const DEFAULT_LEAD_EMAIL_TEXT = [
  'New lead {{leadId}}',
  '',
  'Name: {{fullName}}',
  'Phone: {{phone}}',
  'Email: {{email}}',
  'Address: {{street}}, {{city}}, {{state}} {{zip}}',
  'Service: {{serviceLine}}',
].join('\n');

/** Subject lines cannot carry line breaks; a template that renders one would break the header. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export function buildLeadEmail(method: EmailMethod, vars: TemplateVars, ctx: { idempotencyKey: string; messageIdDomain: string }): EmailMessage {
  const msg: EmailMessage = {
    to: method.to,
    subject: oneLine(renderTemplate(method.subject, vars)),
    text: renderTemplate(method.text ?? DEFAULT_LEAD_EMAIL_TEXT, vars),
    messageId: messageIdFor(ctx.idempotencyKey, ctx.messageIdDomain),
    headers: { 'X-Switchyard-Idempotency-Key': ctx.idempotencyKey },
  };
  if (method.cc?.length) msg.cc = method.cc;
  return msg;
}

/** One message per recipient, each with its own idempotency key so a retry skips those already sent. */
export function buildLeadSms(method: SmsMethod, vars: TemplateVars, idempotencyKey: string): SmsMessage[] {
  const body = renderTemplate(method.body, vars).trim();
  return method.to.map((to) => ({ to, body, idempotencyKey: `${idempotencyKey}:${to}` }));
}
