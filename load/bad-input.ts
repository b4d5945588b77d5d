import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMongo } from '../infra/mongo.ts';
import { apiKeys } from '../services/api-keys.ts';
import { publishConfig } from '../testing/config.ts';
import { LOAD_TENANT, loadLead, loadNetwork } from './network.ts';
import { startLoadStack } from './stack.ts';

/** One malformed payload and the field its answer must name. */
export interface BadCase {
  payload: unknown;
  field: string;
  how: string;
}

const base = () => loadLead(0, 'bad');
const withField = (field: string, value: unknown): Record<string, unknown> => ({ ...base(), [field]: value });
const without = (...fields: string[]) => {
  const p = base();
  for (const f of fields) delete p[f];
  return p;
};

// An empty or null field means "not given" (forms send every input, filled or
// not), so a generator of bad values never yields one: the lead would be valid.
// Likewise no integer of ten digits for a phone: in a form, -2147483619 is (214) 748-3619.

/** Generators of leads that are wrong in exactly one place, each naming that place. */
export const badCase: fc.Arbitrary<BadCase> = fc.oneof(
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 6 }),
      fc.constantFrom('not-a-phone', 'call me', '555'),
      fc.integer({ min: -99_999, max: 99_999 }),
      fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
    )
    .map((v) => ({ payload: withField('phone', v), field: 'phone', how: 'phone' })),
  fc
    .oneof(fc.stringMatching(/^\d{1,4}$/), fc.integer({ min: 100_000 }), fc.constantFrom('ABCDE', '7520', '75201-12'), fc.boolean())
    .map((v) => ({ payload: withField('zip', v), field: 'zip', how: 'zip' })),
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('@')),
      fc.constantFrom('a@', '@b.com', 'a b@c.d'),
      fc.integer(),
    )
    .map((v) => ({ payload: withField('email', v), field: 'email', how: 'email' })),
  fc
    .oneof(fc.stringMatching(/^[A-Z]{3,5}$/), fc.constantFrom('T', '12', 'Texas'))
    .map((v) => ({ payload: withField('state', v), field: 'state', how: 'state' })),
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 20 }).filter((s) => Number.isNaN(Date.parse(s))),
      fc.constantFrom('yesterday', '2026-13-45T00:00:00Z'),
    )
    .map((v) => ({ payload: withField('consentTimestamp', v), field: 'consentTimestamp', how: 'consent timestamp' })),
  fc.string({ minLength: 201, maxLength: 400 }).map((v) => ({ payload: withField('externalId', v), field: 'externalId', how: 'long external id' })),
  fc
    .constantFrom('!!bad line!!', 'plumbing & hvac', '-dash-first')
    .map((v) => ({ payload: withField('serviceLine', v), field: 'serviceLine', how: 'service line' })),
  // Without a phone the email still reaches the lead, so both go; the answer names the phone.
  fc.constant({ payload: without('phone', 'email'), field: 'phone', how: 'no phone or email' }),
  fc.constant({ payload: without('zip'), field: 'zip', how: 'missing zip' }),
  fc
    .oneof(fc.array(fc.anything(), { maxLength: 3 }), fc.string(), fc.integer(), fc.constant(null))
    .map((v) => ({ payload: v, field: '(body)', how: 'not an object' })),
);

export interface BadInputReport {
  posted: number;
  fiveHundreds: number;
  unmasked: number;
  unnamed: number;
  partialRecords: number;
  clean: boolean;
  line: string;
}

/**
 * Posts malformed leads through the HTTP intake (JSON and form) and GraphQL
 * submitLead. Every answer must be a 4xx (or a GraphQL result) naming the
 * offending field, never a 5xx or a masked "Unexpected error", and nothing may
 * be written: the intake keys and lead contacts stay as they were.
 */
export async function runBadInput(o: { count: number; keep?: boolean }): Promise<BadInputReport> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bad-input-'));
  const stack = await startLoadStack(dir);
  const mongo = await connectMongo(stack.mongoUri);
  try {
    await publishConfig(mongo, loadNetwork('http://127.0.0.1:9'), 'load-harness');
    const { key } = await apiKeys(mongo).issue(LOAD_TENANT, 'web', 'load-harness');
    const counts = async () => ({
      keys: await mongo.collection('intake_keys').countDocuments(),
      contacts: await mongo.collection('lead_contacts').countDocuments(),
      leads: await mongo.collection('leads').countDocuments(),
    });
    const before = await counts();
    const cases = fc.sample(badCase, { numRuns: o.count, seed: 20261123 });
    let fiveHundreds = 0;
    let unmasked = 0;
    let unnamed = 0;
    const problems: string[] = [];
    const note = (c: BadCase, via: string, what: string) => {
      if (problems.length < 10) problems.push(`${via} ${c.how}: ${what}`);
    };
    for (const [i, c] of cases.entries()) {
      const via = i % 4 === 0 ? 'graphql' : i % 4 === 1 ? 'form' : 'json';
      if (via === 'graphql') {
        const res = await fetch(`${stack.apiUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({
            query: 'mutation($p: JSON!) { submitLead(payload: $p) { ok leadId errors { field message code } } }',
            variables: { p: c.payload },
          }),
        });
        const body = (await res.json().catch(() => ({}))) as {
          data?: { submitLead?: { ok: boolean; errors: Array<{ field: string }> } };
          errors?: Array<{ message: string }>;
        };
        if (res.status >= 500) {
          fiveHundreds++;
          note(c, via, `HTTP ${res.status}`);
        }
        if (body.errors?.some((e) => /unexpected error/i.test(e.message))) {
          unmasked++;
          note(c, via, 'masked internal error');
        }
        const named =
          body.data?.submitLead?.ok === false && body.data.submitLead.errors.some((e) => e.field === c.field || (c.field === '(body)' && !!e.field));
        // A JSON scalar that is not an object is refused by GraphQL itself, naming the variable.
        const refusedByGraphql = c.field === '(body)' && !!body.errors?.length && !body.errors.some((e) => /unexpected error/i.test(e.message));
        if (!named && !refusedByGraphql) {
          unnamed++;
          note(c, via, JSON.stringify(body).slice(0, 200));
        }
        continue;
      }
      const isObject = typeof c.payload === 'object' && c.payload !== null && !Array.isArray(c.payload);
      const form = via === 'form' && isObject;
      const res = await fetch(`${stack.apiUrl}/intake`, {
        method: 'POST',
        headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', 'x-api-key': key },
        body: form
          ? new URLSearchParams(
              Object.entries(c.payload as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
            ).toString()
          : JSON.stringify(c.payload),
      });
      const body = (await res.json().catch(() => ({}))) as { ok?: boolean; errors?: Array<{ field: string }> };
      if (res.status >= 500) {
        fiveHundreds++;
        note(c, via, `HTTP ${res.status}`);
      }
      if (res.status < 400 || !body.errors?.some((e) => e.field === c.field || (c.field === '(body)' && !!e.field))) {
        unnamed++;
        note(c, via, `HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      }
    }
    const after = await counts();
    const partialRecords = after.keys - before.keys + (after.contacts - before.contacts) + (after.leads - before.leads);
    const clean = fiveHundreds === 0 && unmasked === 0 && unnamed === 0 && partialRecords === 0;
    const line = `bad-input: ${cases.length} posted, ${fiveHundreds} 5xx, ${unmasked} unmasked errors, ${partialRecords} partial records, ${cases.length - unnamed} named the offending field`;
    console.table(
      Object.fromEntries(
        ['graphql', 'form', 'json'].map((v) => [v, { posted: cases.filter((_, i) => (i % 4 === 0 ? 'graphql' : i % 4 === 1 ? 'form' : 'json') === v).length }]),
      ),
    );
    if (problems.length) console.log(`first problems:\n  ${problems.join('\n  ')}`);
    console.log(line);
    return { posted: cases.length, fiveHundreds, unmasked, unnamed, partialRecords, clean, line };
  } finally {
    await mongo.close().catch(() => undefined);
    await stack.stop();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}
