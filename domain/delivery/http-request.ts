import { applyFieldTemplate, type FieldValue } from './field-template.ts';
import type { HttpMethodConfig } from '../../schema/delivery-method.ts';
import { signatureHeaders } from './signing.ts';
import type { TemplateVars } from './template.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const USER_AGENT = 'switchyard-delivery/1';

/** Everything needed to send one attempt; building it is pure so it can be tested and logged. */
export interface HttpRequestSpec {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface AttemptContext {
  /** Stable per lead × endpoint: the receiver can drop a retry it already has. */
  idempotencyKey: string;
  nowMs: number;
}

export function buildHttpRequest(method: HttpMethodConfig, vars: TemplateVars, ctx: AttemptContext): HttpRequestSpec {
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, ...method.headers };
  const setHeader = (name: string, value: string) => {
    // Case-insensitive replace, so a configured header can never shadow ours.
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  };
  setHeader(IDEMPOTENCY_HEADER, ctx.idempotencyKey);

  let spec: HttpRequestSpec;
  let signed: string;
  if (method.type === 'http_get') {
    const url = new URL(method.url);
    for (const [k, v] of Object.entries(applyFieldTemplate(method.fields, vars))) url.searchParams.append(k, String(v));
    spec = { method: 'GET', url: url.toString(), headers };
    // A GET has no body, so its signature covers the query string.
    signed = url.search.replace(/^\?/, '');
  } else {
    const fields = method.fields ? applyFieldTemplate(method.fields, vars) : wholeLead(vars);
    const form = method.type === 'http_post' && method.encoding === 'form';
    const body = form ? formEncode(fields as Record<string, FieldValue>) : JSON.stringify(fields);
    setHeader('Content-Type', form ? 'application/x-www-form-urlencoded' : 'application/json');
    spec = { method: 'POST', url: method.url, headers, body };
    signed = body;
  }
  if (method.secret) for (const [k, v] of Object.entries(signatureHeaders(method.secret, signed, ctx.nowMs))) setHeader(k, v);
  return spec;
}

function formEncode(fields: Record<string, FieldValue>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
}

/** A webhook without a field template sends every lead variable; JSON drops the undefined ones. */
function wholeLead(vars: TemplateVars): Record<string, unknown> {
  return JSON.parse(JSON.stringify(vars)) as Record<string, unknown>;
}
