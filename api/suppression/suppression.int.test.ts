// Suppression lists as data, over the real API and database: CSV uploads
// (streamed, reported row by row, replaced atomically), who may load which
// list, the SMS provider's signed STOP webhook, and single entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressionStore } from '../../db/suppression-store.ts';
import { DEV_PLATFORM_TOKEN } from '../../infra/env.ts';
import { startApiHarness, TEST_SMS_AUTH_TOKEN, type Harness } from '../../testing/api-harness.ts';
import { twilioSignature } from './upload-router.ts';

describe('suppression lists over the API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => h?.close());

  const upload = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${h.base}${path}`, { method: 'POST', headers: { 'content-type': 'text/csv', ...headers }, body }).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
  const as = (role: 'admin' | 'ops' | 'agent' | 'manager') => ({ authorization: `Bearer ${h.tokens.t1![role]}` });
  const onList = async (phone: string, tenantId = 't1') =>
    (await suppressionStore(h.mongo).check(phone, undefined, { tenantId, state: 'TX' })).map((x) => x.list);

  it('an admin uploads the internal list as CSV: counted, bad rows reported by line, checked at once; a replacement switches whole', async () => {
    const first = await upload('/suppression-lists/internal', 'phone\n(469) 555-0110\n12\n469.555.0111\n', as('admin'));
    expect(first).toEqual({
      status: 200,
      body: {
        ok: true,
        list: 'internal',
        rows: 3,
        inserted: 2,
        alreadyPresent: 0,
        rejected: 1,
        version: 1,
        committed: true,
        errors: [{ line: 3, message: '"12" is not a valid phone number' }],
        errorsTruncated: false,
      },
    });
    expect(await onList('+14695550110')).toEqual(['internal']);
    const replaced = await upload('/suppression-lists/internal?mode=replace', '+14695550112\n', as('ops'));
    expect(replaced.body).toMatchObject({ ok: true, version: 2, inserted: 1 });
    expect([await onList('+14695550110'), await onList('+14695550112')]).toEqual([[], ['internal']]);
    const lists = await h.gql('{ suppressionLists { list scope version uploaded added by } }', {}, { token: h.tokens.t1!.manager });
    expect(lists.body.data.suppressionLists).toEqual([{ list: 'internal', scope: 'tenant', version: 2, uploaded: 1, added: 0, by: 't1:ops@test' }]);
    // Another tenant's list is its own.
    expect(await onList('+14695550112', 't2')).toEqual([]);
  });

  it('who may load which list: no credential, an agent, a tenant admin for the shared registry are refused; the platform operator loads it', async () => {
    expect((await upload('/suppression-lists/internal', '+14695550120\n', {})).status).toBe(401);
    expect(await upload('/suppression-lists/internal', '+14695550120\n', as('agent'))).toMatchObject({
      status: 403,
      body: { ok: false, errors: [{ code: 'FORBIDDEN' }] },
    });
    expect((await upload('/suppression-lists/federal', '+14695550120\n', as('admin'))).status).toBe(403);
    expect((await upload('/suppression-lists/state?state=TX', '+14695550121\n', { 'x-platform-token': DEV_PLATFORM_TOKEN })).body).toMatchObject({
      ok: true,
      list: 'state',
      state: 'TX',
      inserted: 1,
    });
    expect(await onList('+14695550121')).toEqual(['state']);
    expect((await upload('/suppression-lists/state', '+14695550121\n', { 'x-platform-token': DEV_PLATFORM_TOKEN })).body).toMatchObject({
      ok: false,
      errors: [{ code: 'INVALID_INPUT', field: 'state' }],
    });
    expect((await upload('/suppression-lists/nonsense', 'x\n', as('admin'))).status).toBe(404);
    expect((await upload('/suppression-lists/internal?mode=merge', 'x\n', as('admin'))).body).toMatchObject({
      errors: [{ code: 'INVALID_INPUT', field: 'mode' }],
    });
    const json = await fetch(`${h.base}/suppression-lists/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as('admin') },
      body: '{}',
    });
    expect(json.status).toBe(415);
  });

  it('a consumer’s STOP, signed by the SMS provider, adds the number to the tenant’s internal list; unsigned or other messages add nothing', async () => {
    const path = '/webhooks/sms/t1';
    const send = (params: Record<string, string>, signature?: string) =>
      fetch(`${h.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
        body: new URLSearchParams(params).toString(),
      });
    const signed = (params: Record<string, string>) => send(params, twilioSignature(TEST_SMS_AUTH_TOKEN, `${h.base}${path}`, params));
    expect((await send({ From: '+14695550130', Body: 'STOP' })).status).toBe(403);
    expect((await send({ From: '+14695550130', Body: 'STOP' }, 'forged')).status).toBe(403);
    const hello = await signed({ From: '+14695550131', To: '+15005550006', Body: 'When will you call?' });
    expect(hello.status).toBe(200);
    expect(await onList('+14695550131')).toEqual([]);
    const stop = await signed({ From: '+14695550130', To: '+15005550006', Body: ' stop ' });
    expect([stop.status, stop.headers.get('content-type'), await stop.text()]).toEqual([200, 'text/xml; charset=utf-8', '<Response></Response>']);
    expect(await onList('+14695550130')).toEqual(['internal']);
    // The opt-out survives the next upload of the list.
    await upload('/suppression-lists/internal?mode=replace', '+14695550199\n', as('admin'));
    expect(await onList('+14695550130')).toEqual(['internal']);
  });

  it('single entries are added and removed over GraphQL, each refusal named', async () => {
    const admin = { token: h.tokens.t1!.admin };
    const add = await h.gql(
      'mutation { addSuppressionEntries(values: ["ops.desk@example.com", "not-a-value"]) { ok changed rejected { line message } } }',
      {},
      admin,
    );
    expect(add.body.data.addSuppressionEntries).toEqual({ ok: true, changed: 1, rejected: [{ line: 2, message: expect.stringMatching(/not-a-value/) }] });
    expect((await suppressionStore(h.mongo).check(undefined, 'ops.desk@example.com', { tenantId: 't1' })).length).toBe(1);
    const removed = await h.gql('mutation { removeSuppressionEntry(value: "OPS.desk@example.com") { ok changed } }', {}, admin);
    expect(removed.body.data.removeSuppressionEntry).toEqual({ ok: true, changed: 1 });
    expect(await suppressionStore(h.mongo).check(undefined, 'ops.desk@example.com', { tenantId: 't1' })).toEqual([]);
    const none = await h.gql('mutation { addSuppressionEntries(values: []) { ok errors { code field } } }', {}, admin);
    expect(none.body.data.addSuppressionEntries).toEqual({ ok: false, errors: [{ code: 'INVALID_INPUT', field: 'values' }] });
  });
});
