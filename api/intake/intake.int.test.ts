import { Connection } from '@temporalio/client';
import { testClient } from '../../testing/temporal.ts';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPiiCodec, DEV_PII_KEY } from '../../infra/pii.ts';
import { authService } from '../../services/auth.ts';
import { createApp } from '../server.ts';
import { TEST_JWT_SECRET } from '../../testing/api-harness.ts';
import { leadWorkflowId } from '../../workflows/definitions.ts';
import { startApiHarness, type Harness } from '../../testing/api-harness.ts';

describe('lead intake: submitLead and POST /intake/:sourceKey', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const SUBMIT = 'mutation($s: ID, $p: JSON!) { submitLead(sourceId: $s, payload: $p) { ok leadId duplicate errors { code field message } } }';
  const post = (key: string, body: string, type = 'application/json') =>
    fetch(`${h.base}/intake/${key}`, { method: 'POST', headers: { 'content-type': type }, body });
  const json = async (res: Response) => ({ status: res.status, body: await res.json() });

  it('accepts a lead posted with the source key over GraphQL and starts its workflow', async () => {
    const { body } = await h.gql(SUBMIT, { p: { phone_number: '(214) 555-0134', postal: '75201', ref: 'gql-1', first: 'Ada' } }, { apiKey: h.keys.t1 });
    expect(body.data.submitLead).toMatchObject({ ok: true, duplicate: false, errors: [] });
    const leadId = body.data.submitLead.leadId as string;
    const desc = await h.temporal.workflow.getHandle(leadWorkflowId('t1', leadId)).describe();
    expect(desc.taskQueue).toBe(h.taskQueue);
    expect(desc.status.name).toBe('RUNNING');
    const again = await h.gql(SUBMIT, { p: { phone_number: '(214) 555-0134', postal: '75201', ref: 'gql-1' } }, { apiKey: h.keys.t1 });
    expect(again.body.data.submitLead).toMatchObject({ ok: true, leadId, duplicate: true });
  });

  it('lets a vendor user post for its own source only, and ops name any source', async () => {
    const p = { phone_number: '2145550199', postal: '75201', ref: 'gql-2' };
    const vendor = await h.gql(SUBMIT, { p }, { token: h.tokens.t1!.vendor });
    expect(vendor.body.data.submitLead.ok).toBe(true);
    const other = await h.gql(SUBMIT, { s: 'src-2', p }, { token: h.tokens.t1!.vendor });
    expect(other.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const ops = await h.gql(SUBMIT, { s: 'src-2', p: { phone: '2145550111', zip: '75201' } }, { token: h.tokens.t1!.ops });
    expect(ops.body.data.submitLead.ok).toBe(true);
    const noSource = await h.gql(SUBMIT, { p }, { token: h.tokens.t1!.ops });
    expect(noSource.body.data.submitLead.errors).toEqual([{ code: 'INVALID_INPUT', field: 'sourceId', message: 'name the source the lead comes from' }]);
    const agent = await h.gql(SUBMIT, { s: 'src-1', p }, { token: h.tokens.t1!.agent });
    expect(agent.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  });

  it('answers bad leads with typed errors naming the source’s own fields', async () => {
    const bad = await h.gql(SUBMIT, { p: { phone_number: 'call me', postal: '7520' } }, { apiKey: h.keys.t1 });
    expect(bad.body.data.submitLead).toEqual({
      ok: false,
      leadId: null,
      duplicate: null,
      errors: [
        { code: 'INVALID_LEAD', field: 'phone_number', message: 'is not a phone number' },
        { code: 'INVALID_LEAD', field: 'postal', message: 'is not a ZIP code' },
      ],
    });
    const paused = await h.gql(SUBMIT, { s: 'src-paused', p: { phone: '2145550134', zip: '75201' } }, { token: h.tokens.t1!.ops });
    expect(paused.body.data.submitLead.errors).toEqual([
      { code: 'SOURCE_INACTIVE', field: 'sourceId', message: 'source "src-paused" is paused and takes no leads' },
    ]);
  });

  it('takes a JSON post and a form post on the HTTP endpoint, with the same duplicate answer', async () => {
    const first = await json(await post(h.keys.t1!, JSON.stringify({ phone_number: '2145550142', postal: '75201', ref: 'http-1' })));
    expect(first).toMatchObject({ status: 201, body: { ok: true, duplicate: false } });
    const form = await json(await post(h.keys.t1!, 'phone_number=2145550142&postal=75201&ref=http-1&first=Grace', 'application/x-www-form-urlencoded'));
    expect(form).toEqual({ status: 200, body: { ok: true, leadId: first.body.leadId, duplicate: true } });
    const fresh = await json(await post(h.keys.t1!, 'phone_number=2145550143&postal=75201&ref=http-2', 'application/x-www-form-urlencoded; charset=utf-8'));
    expect(fresh.status).toBe(201);
    const t2 = await json(await post(h.keys.t2!, JSON.stringify({ phone_number: '2145550142', postal: '75201', ref: 'http-1' })));
    expect(t2.status).toBe(201);
    expect(t2.body.leadId).not.toBe(first.body.leadId);
  });

  it('takes the key from an X-Api-Key header on POST /intake, and allows any browser origin', async () => {
    const res = await fetch(`${h.base}/intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': h.keys.t1!, origin: 'https://landing.example' },
      body: JSON.stringify({ phone_number: '2145550177', postal: '75201' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await json(await fetch(`${h.base}/intake`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))).status).toBe(401);
  });

  it('answers 503 with Retry-After when Temporal is unreachable, and the retry is the same lead', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    await connection.close();
    const errors: unknown[] = [];
    const app = createApp(
      {
        mongo: h.mongo,
        temporal: testClient(connection),
        namespace: 'default',
        taskQueue: h.taskQueue,
        auth: authService(h.mongo, { jwtSecret: TEST_JWT_SECRET, tokenTtlSec: 60 }),
        pii: createPiiCodec(DEV_PII_KEY),
      },
      { nodeEnv: 'test', onInternalError: (e) => errors.push(e) },
    );
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    try {
      const body = JSON.stringify({ phone_number: '2145550166', postal: '75201', ref: 'down-1' });
      const down = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/intake/${h.keys.t1}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect((await down.json()).errors[0]).toMatchObject({ code: 'UNAVAILABLE' });
      expect(errors).toHaveLength(1);
      // The intake key was stored before the start failed: the retry starts the workflow and answers with the lead.
      const retry = await json(await post(h.keys.t1!, body));
      expect(retry).toMatchObject({ status: 200, body: { ok: true, duplicate: true } });
      const desc = await h.temporal.workflow.getHandle(`lead:t1:${retry.body.leadId}`).describe();
      expect(desc.status.name).toBe('RUNNING');
    } finally {
      server.close();
    }
  });

  it('answers every caller mistake on the HTTP endpoint with a 4xx naming what is wrong', async () => {
    expect(await json(await post('sy_live_unknown', '{}'))).toMatchObject({ status: 401, body: { errors: [{ field: 'sourceKey', code: 'UNAUTHENTICATED' }] } });
    expect(await json(await post(h.keys.t1!, '{"phone_number": ', 'application/json'))).toMatchObject({
      status: 400,
      body: { errors: [{ field: '(body)', message: 'is not valid JSON' }] },
    });
    expect(await json(await post(h.keys.t1!, 'phone', 'text/plain'))).toMatchObject({ status: 415, body: { errors: [{ field: '(body)' }] } });
    expect(await json(await post(h.keys.t1!, JSON.stringify({ x: 'y'.repeat(70_000) })))).toMatchObject({
      status: 413,
      body: { errors: [{ field: '(body)', code: 'PAYLOAD_TOO_LARGE' }] },
    });
    expect(await json(await post(h.keys.t1!, '[1,2]'))).toMatchObject({
      status: 422,
      body: { errors: [{ field: '(body)', message: 'must be an object of fields' }] },
    });
    expect(await json(await post(h.keys.t1!, JSON.stringify({ postal: '75201' })))).toMatchObject({
      status: 422,
      body: { errors: [{ field: 'phone_number', message: 'is required' }] },
    });
  });

  describe('fuzz: malformed posts never get a 5xx, and every rejection names a field', () => {
    const known = [
      'phone_number',
      'postal',
      'ref',
      'first',
      'email',
      'state',
      'zip',
      'phone',
      'serviceLine',
      'consentText',
      'consentTimestamp',
      'consentIp',
      'consentLat',
      'consentLon',
      'consentChannels',
      'assignTo',
      'constructor',
      '__proto__',
      'toString',
    ];
    const fieldName = fc.oneof(fc.constantFrom(...known), fc.string({ maxLength: 20 }));
    const check = (status: number, body: any, keys: string[]) => {
      expect(status, JSON.stringify(body)).toBeLessThan(500);
      if (status >= 400) {
        expect(body.ok).toBe(false);
        for (const e of body.errors) {
          expect(typeof e.field).toBe('string');
          expect(e.field.length).toBeGreaterThan(0);
          expect(typeof e.message).toBe('string');
          // A field that is not missing is one the caller sent.
          if (!/required/.test(e.message)) expect(['(body)', ...keys]).toContain(e.field);
        }
      }
    };

    it('random JSON objects', async () => {
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fieldName, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }), async (payload) => {
          const text = JSON.stringify(payload);
          const res = await post(h.keys.t1!, text);
          check(res.status, await res.json(), Object.keys(JSON.parse(text)));
        }),
        { numRuns: 150 },
      );
    });

    it('random bytes declared as JSON or form data', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 200, unit: 'binary' }),
          fc.constantFrom('application/json', 'application/x-www-form-urlencoded'),
          async (text, type) => {
            const res = await post(h.keys.t1!, text, type);
            const body = await res.json();
            const keys =
              type === 'application/json'
                ? (() => {
                    try {
                      const v = JSON.parse(text);
                      return v && typeof v === 'object' ? Object.keys(v) : [];
                    } catch {
                      return [];
                    }
                  })()
                : [...new URLSearchParams(text).keys()];
            check(res.status, body, keys);
          },
        ),
        { numRuns: 150 },
      );
    });

    it('random GraphQL payloads get typed errors, never an internal error', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== null),
          async (payload) => {
            const { status, body } = await h.gql(SUBMIT, { p: payload }, { apiKey: h.keys.t1 });
            expect(status).toBeLessThan(500);
            expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
            if (!body.data.submitLead.ok) for (const e of body.data.submitLead.errors) expect(e.field).toBeTruthy();
          },
        ),
        { numRuns: 100 },
      );
      // A null payload is refused by GraphQL validation itself, naming the variable.
      const { body } = await h.gql(SUBMIT, { p: null }, { apiKey: h.keys.t1 });
      expect(body.errors?.[0]?.message).toMatch(/"\$p" of non-null type "JSON!" must not be null/);
    });
  });
});
