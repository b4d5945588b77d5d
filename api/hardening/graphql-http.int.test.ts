import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, type Harness } from '../../testing/api-harness.ts';

// The GraphQL-over-HTTP spec's server audits (graphql-http), each run against
// the real express + yoga server. MUST and SHOULD audits alike have to pass.
// Some audits introspect (`__type`), which outside development only a signed-in
// admin may do, so the audits send an admin's token; the anonymous refusal of
// introspection is tested in hardening.int.test.ts.
describe('GraphQL over HTTP compliance (graphql-http server audits)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApiHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const asAdmin = (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${h.tokens.t1!.admin}`);
    return fetch(input, { ...init, headers });
  };

  for (const audit of serverAudits({ url: () => `${h.base}/graphql`, fetchFn: asAdmin })) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect(
        result.status === 'error'
          ? `${result.reason}: ${JSON.stringify(
              result.response &&
                (await result.response
                  .clone()
                  .text()
                  .catch(() => '')),
            )}`
          : 'ok',
      ).toBe('ok');
      if (result.status === 'warn') console.warn(`[audit warn] ${audit.name}: ${result.reason}`);
    });
  }
});
