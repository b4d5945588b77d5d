import { z } from 'zod';
import { FieldTemplateSchema } from '../domain/delivery/field-template.ts';

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not a valid header name');

const httpCommon = {
  url: httpUrl,
  /** Constant headers the receiver asks for (an API key, say). Ours win on a name clash. */
  headers: z.record(headerName, z.string()).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** Where the receiver's own id for the lead is: a top-level JSON field of its response, or a header. */
  receiverRef: z.strictObject({ jsonField: z.string().min(1).optional(), header: headerName.optional() }).optional(),
};

/**
 * Signing secrets: `secretRef` names a secret the worker resolves (environment
 * variable SWITCHYARD_SECRET_<REF>, upper-cased, non-alphanumerics as _), so
 * configuration files and exports never carry it; an inline `secret` is for
 * development and tests.
 */
const secretRef = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'must be a secret name (letters, digits, . _ -)');

/** HTTP POST of the mapped fields as JSON or form-encoded; signed when a secret is set. */
export const HttpPostMethodSchema = z.strictObject({
  type: z.literal('http_post'),
  ...httpCommon,
  encoding: z.enum(['json', 'form']).default('json'),
  fields: FieldTemplateSchema,
  secret: z.string().min(16, 'signing secret must be at least 16 characters').optional(),
  secretRef: secretRef.optional(),
});

/** HTTP GET with the mapped fields in the query string (kept alongside any query the URL already has). */
export const HttpGetMethodSchema = z.strictObject({
  type: z.literal('http_get'),
  ...httpCommon,
  fields: FieldTemplateSchema,
  secret: z.string().min(16, 'signing secret must be at least 16 characters').optional(),
  secretRef: secretRef.optional(),
});

/** Signed JSON webhook: the whole lead unless a field template narrows it. */
export const WebhookMethodSchema = z
  .strictObject({
    type: z.literal('webhook'),
    ...httpCommon,
    secret: z.string().min(16, 'signing secret must be at least 16 characters').optional(),
    secretRef: secretRef.optional(),
    fields: FieldTemplateSchema.optional(),
  })
  .refine((m) => m.secret !== undefined || m.secretRef !== undefined, {
    error: 'a webhook is always signed: give secretRef (or an inline secret)',
    path: ['secretRef'],
  });

export const EmailMethodSchema = z.strictObject({
  type: z.literal('email'),
  to: z.array(z.email()).min(1),
  cc: z.array(z.email()).optional(),
  /** Templates over the lead's variables. */
  subject: z.string().min(1).default('New lead: {{fullName}} ({{serviceLine}}, {{zip}})'),
  text: z.string().optional(),
});

export const SmsMethodSchema = z.strictObject({
  type: z.literal('sms'),
  /** E.164 numbers of the people to text. */
  to: z.array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number')).min(1),
  body: z.string().min(1).default('New lead {{fullName}} {{phone}} ({{serviceLine}}, {{zip}})'),
});

export const DeliveryMethodSchema = z.discriminatedUnion('type', [
  HttpPostMethodSchema,
  HttpGetMethodSchema,
  WebhookMethodSchema,
  EmailMethodSchema,
  SmsMethodSchema,
]);

export type HttpPostMethod = z.infer<typeof HttpPostMethodSchema>;
export type HttpGetMethod = z.infer<typeof HttpGetMethodSchema>;
export type WebhookMethod = z.infer<typeof WebhookMethodSchema>;
export type EmailMethod = z.infer<typeof EmailMethodSchema>;
export type SmsMethod = z.infer<typeof SmsMethodSchema>;
export type HttpMethodConfig = HttpPostMethod | HttpGetMethod | WebhookMethod;
export type DeliveryMethod = z.infer<typeof DeliveryMethodSchema>;
/** What ops write (defaults not yet applied). */
export type DeliveryMethodInput = z.input<typeof DeliveryMethodSchema>;

export type ParsedMethod = { ok: true; method: DeliveryMethod } | { ok: false; errors: Array<{ path: string; message: string }> };

/** Checks an endpoint's delivery method as configured; every problem named with its path. */
export function parseDeliveryMethod(input: unknown): ParsedMethod {
  const parsed = DeliveryMethodSchema.safeParse(input);
  if (parsed.success) return { ok: true, method: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })) };
}
