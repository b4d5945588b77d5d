import { createHmac } from 'node:crypto';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressionStore } from '../../db/suppression-store.ts';
import type { PriorLead } from '../../domain/validation/duplicates.ts';
import { connectTestDb, dropTestDb } from '../../testing/mongo.ts';
import type { LeadInput } from '../../domain/intake/lead-input.ts';
import { isDisposableDomain, offlineEmailVerifier, offlinePhoneVerifier, storeSuppressionProvider } from './offline-providers.ts';
import { createLeadValidator, type LeadValidator } from './validate-lead.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const hash = (v: string) => createHmac('sha256', 'test-key').update(v).digest('base64url');
const lead: LeadInput = {
  firstName: 'Ada',
  phone: '(214) 555-0134',
  email: 'ada@example.com',
  address: { state: 'TX', zip: '75201' },
  serviceLine: 'roofing',
  fields: {},
  consent: {
    text: 'I agree to be contacted by phone, text message and email.',
    timestamp: '2026-03-01T11:58:00Z',
    ip: '203.0.114.9',
    pageUrl: 'https://acme.example/q',
  },
};

describe('validation chain with the offline providers and the real suppression store', () => {
  let conn: Connection;
  let validator: LeadValidator;
  const priors: PriorLead[] = [];
  beforeAll(async () => {
    conn = await connectTestDb('validate');
    const store = suppressionStore(conn);
    await store.loadCsv('phone\n+14695550101\n', { list: 'federal' });
    validator = createLeadValidator({
      phone: offlinePhoneVerifier(),
      email: offlineEmailVerifier(),
      suppression: storeSuppressionProvider(store),
      duplicates: {
        findPriors: async (q) => priors.filter((p) => p.receivedAt >= q.since && (p.keys.phone === q.keys.phone || p.keys.email === q.keys.email)),
      },
      hash,
    });
  });
  afterAll(async () => {
    if (conn) await dropTestDb(conn);
  });
  const run = (over: Partial<LeadInput>, leadId = 'L1') =>
    validator.validate({ tenantId: 't1', leadId, sourceId: 's1', receivedAt: now, lead: { ...lead, ...over }, duplicateWindowMs: 86_400_000, now });

  it('accepts a clean lead, normalises its contact details and says which channels consent covers', async () => {
    const v = await run({});
    expect(v.summary).toEqual({ outcome: 'accepted', failures: [], flags: [] });
    expect(v.steps.map((s) => `${s.step}:${s.outcome}`)).toEqual([
      'phone:pass',
      'email:pass',
      'consent:pass',
      'duplicate:pass',
      'suppression:pass',
      'risk:pass',
    ]);
    expect(v).toMatchObject({
      phoneE164: '+12145550134',
      emailNormalized: 'ada@example.com',
      consentChannels: ['sms', 'email', 'phone'],
      duplicateKeys: { phone: hash('+12145550134'), email: hash('ada@example.com') },
    });
  });

  it('rejects a number on the federal DNC list', async () => {
    const v = await run({ phone: '469-555-0101' });
    expect(v.summary).toMatchObject({ outcome: 'rejected', rejectReason: 'dnc', rejectDetail: 'Phone is on the federal Do Not Call list' });
  });

  it('rejects a duplicate of an accepted lead within the window', async () => {
    priors.push({ leadId: 'L0', receivedAt: now - 3_600_000, keys: { phone: hash('+12145550134') }, accepted: true });
    const v = await run({}, 'L2');
    expect(v.summary).toMatchObject({ outcome: 'rejected', rejectReason: 'duplicate', rejectDetail: expect.stringContaining('lead L0') });
    priors.length = 0;
  });

  it('flags a throwaway email from the maintained list, a missing consent, and raises the risk score', async () => {
    expect(isDisposableDomain('mailinator.com')).toBe(true);
    expect(isDisposableDomain('gmail.com')).toBe(false);
    const v = await run({ email: 'ada@mailinator.com', consent: undefined });
    expect(v.summary).toMatchObject({ outcome: 'accepted', flags: ['email:disposable', 'consent:missing', 'risk:elevated_risk'] });
    expect(v.consentChannels).toEqual([]);
    expect(v.steps.find((s) => s.step === 'risk')?.data).toMatchObject({ score: 50 });
  });

  it('rejects an invalid phone as invalid, naming it', async () => {
    const v = await run({ phone: '555-12' });
    expect(v.summary).toMatchObject({ outcome: 'rejected', rejectReason: 'invalid', rejectDetail: 'phone is not a possible phone number' });
  });
});
