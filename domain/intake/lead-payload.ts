import { z } from 'zod';
import type { LeadInput } from './lead-input.ts';

/** The fields switchyard understands; a source maps its own field names onto them. */
export const CANONICAL_FIELDS = [
  'externalId',
  'firstName',
  'lastName',
  'phone',
  'email',
  'street',
  'city',
  'state',
  'zip',
  'serviceLine',
  'consentText',
  'consentTimestamp',
  'consentIp',
  'consentPageUrl',
  'consentLat',
  'consentLon',
  'consentChannels',
  'assignTo',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

export interface IntakeContract {
  /** incoming field name → canonical field; incoming names equal to a canonical one map to it anyway. */
  fieldMapping: Record<string, CanonicalField>;
  requiredFields: CanonicalField[];
  /** Used when the payload names no service line. */
  defaultServiceLine?: string;
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const number = z.union([z.number(), z.string().trim().min(1)]).pipe(z.coerce.number({ message: 'must be a number' }));

const FIELD_SCHEMAS: Record<CanonicalField, z.ZodType> = {
  externalId: text(200),
  firstName: text(100),
  lastName: text(100),
  phone: z
    .string()
    .trim()
    .regex(/^[+()\d\s.\-ext]{7,30}$/i, 'is not a phone number'),
  email: z.string().trim().max(254).email('is not an email address'),
  street: text(200),
  city: text(100),
  state: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/, 'must be a two-letter state code'),
  zip: z
    .string()
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'is not a ZIP code'),
  serviceLine: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'must be a service line id (letters, digits, - or _)'),
  consentText: text(5000),
  consentTimestamp: z.string().trim().datetime({ offset: true, message: 'must be an ISO 8601 date-time' }),
  consentIp: z.union([z.ipv4(), z.ipv6()], { message: 'is not an IP address' }),
  consentPageUrl: z.string().trim().url('is not a URL').max(2000),
  consentLat: number.pipe(z.number().min(-90).max(90)),
  consentLon: number.pipe(z.number().min(-180).max(180)),
  consentChannels: z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.enum(['sms', 'email', 'phone'], { message: 'channels must be sms, email or phone' }))),
  assignTo: text(200),
};

const MAX_FIELDS = 200;
const MAX_FREE_FIELD = 2000;

export interface FieldError {
  field: string;
  message: string;
}

export type MappedLead = { externalId?: string; preassignedEndpointId?: string; lead: LeadInput };

/**
 * Maps and shape-checks a posted lead against its source's contract. Never
 * throws on bad input: every problem comes back with the vendor's own field name.
 */
export function mapLeadPayload(contract: IntakeContract, payload: unknown): { ok: true; value: MappedLead } | { ok: false; errors: FieldError[] } {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return { ok: false, errors: [{ field: '(body)', message: 'must be an object of fields' }] };
  }
  const entries = Object.entries(payload as Record<string, unknown>);
  if (entries.length > MAX_FIELDS) return { ok: false, errors: [{ field: '(body)', message: `has more than ${MAX_FIELDS} fields` }] };

  const errors: FieldError[] = [];
  const canonical: Partial<Record<CanonicalField, unknown>> = {};
  const incomingName: Partial<Record<CanonicalField, string>> = {};
  const fields: Record<string, string> = {};
  const isCanonical = (k: string): k is CanonicalField => (CANONICAL_FIELDS as readonly string[]).includes(k);

  for (const [name, raw] of entries) {
    if (name.trim() === '') {
      errors.push({ field: '(body)', message: 'has a field with an empty name' });
      continue;
    }
    // Own keys only: a field called "constructor" or "__proto__" must not find Object.prototype's members.
    const target = Object.hasOwn(contract.fieldMapping, name) ? contract.fieldMapping[name] : isCanonical(name) ? name : undefined;
    if (raw === undefined || raw === null || raw === '') continue;
    if (!target) {
      if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
        const s = String(raw);
        if (s.length > MAX_FREE_FIELD) errors.push({ field: name, message: `must be at most ${MAX_FREE_FIELD} characters` });
        // defineProperty keeps "__proto__" an ordinary field instead of a prototype change.
        else Object.defineProperty(fields, name, { value: s, enumerable: true, writable: true, configurable: true });
      } else errors.push({ field: name, message: 'must be a plain value (text, number or boolean)' });
      continue;
    }
    if (incomingName[target]) {
      errors.push({ field: name, message: `maps to ${target}, which ${incomingName[target]} already gave` });
      continue;
    }
    const parsed = FIELD_SCHEMAS[target].safeParse(raw);
    if (!parsed.success) errors.push({ field: name, message: `${parsed.error.issues[0]?.message ?? 'is invalid'}` });
    else {
      canonical[target] = parsed.data;
      incomingName[target] = name;
    }
  }
  const nameFor = (f: CanonicalField) => Object.entries(contract.fieldMapping).find(([, c]) => c === f)?.[0] ?? f;
  for (const req of contract.requiredFields) {
    if (canonical[req] === undefined && !errors.some((e) => e.field === nameFor(req))) errors.push({ field: nameFor(req), message: 'is required' });
  }
  const serviceLine = (canonical.serviceLine as string | undefined) ?? contract.defaultServiceLine;
  if (!serviceLine && !errors.some((e) => e.field === nameFor('serviceLine')))
    errors.push({ field: nameFor('serviceLine'), message: 'is required (the source has no default service line)' });
  if (canonical.phone === undefined && canonical.email === undefined && !errors.length) {
    errors.push({ field: nameFor('phone'), message: 'a phone number or an email address is required' });
  }
  const consentGiven = canonical.consentText !== undefined || canonical.consentTimestamp !== undefined;
  if (consentGiven && (canonical.consentText === undefined || canonical.consentTimestamp === undefined)) {
    errors.push({ field: nameFor(canonical.consentText === undefined ? 'consentText' : 'consentTimestamp'), message: 'is required with a consent record' });
  }
  if (errors.length > 0) return { ok: false, errors };

  const c = canonical as Record<CanonicalField, never>;
  const address = Object.fromEntries(
    (['street', 'city', 'state', 'zip'] as const).filter((k) => c[k] !== undefined).map((k) => [k, k === 'state' ? String(c[k]).toUpperCase() : c[k]]),
  );
  const lead: LeadInput = {
    serviceLine: serviceLine!,
    fields,
    ...(c.firstName !== undefined ? { firstName: c.firstName } : {}),
    ...(c.lastName !== undefined ? { lastName: c.lastName } : {}),
    ...(c.phone !== undefined ? { phone: c.phone } : {}),
    ...(c.email !== undefined ? { email: String(c.email).toLowerCase() } : {}),
    ...(Object.keys(address).length > 0 ? { address } : {}),
    ...(consentGiven
      ? {
          consent: {
            text: c.consentText,
            timestamp: c.consentTimestamp,
            ...(c.consentIp !== undefined ? { ip: c.consentIp } : {}),
            ...(c.consentPageUrl !== undefined ? { pageUrl: c.consentPageUrl } : {}),
            ...(c.consentLat !== undefined && c.consentLon !== undefined ? { geolocation: { lat: c.consentLat, lon: c.consentLon } } : {}),
            ...(c.consentChannels !== undefined ? { channels: c.consentChannels } : {}),
          },
        }
      : {}),
  };
  return {
    ok: true,
    value: {
      lead,
      ...(c.externalId !== undefined ? { externalId: c.externalId } : {}),
      ...(c.assignTo !== undefined ? { preassignedEndpointId: c.assignTo } : {}),
    },
  };
}
