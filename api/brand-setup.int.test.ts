// The README's "Set up your brand", run as written: its shell blocks (bash,
// curl, node) against the real API, worker and servers, from a database with
// no tenant in it but the harness's own. Only the API's address is changed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLeadApiHarness, type LeadApiHarness } from '../testing/lead-api-harness.ts';
import { DEV_PLATFORM_TOKEN } from '../infra/env.ts';

const ROOT = join(import.meta.dirname, '..');

function sectionScript(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  const end = readme.indexOf('\n## ', start + 1);
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<string>((resolve, reject) =>
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 120_000, cwd: ROOT }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );

describe('setting up a brand from nothing, by the README alone', () => {
  let h: LeadApiHarness;
  beforeAll(async () => {
    h = await startLeadApiHarness({ config: { tenant: { id: 'harness', name: 'Harness', timeZone: 'America/Chicago' } }, users: [] });
  });
  afterAll(async () => h?.close());

  it('creates the tenant, sets the admin password, imports the network, issues a key and routes a posted lead', async () => {
    const script = sectionScript(readFileSync(join(ROOT, 'README.md'), 'utf8'), 'Set up your brand');
    expect(script).toContain('API=http://localhost:4000');
    expect(script).toContain(`PLATFORM_TOKEN=${DEV_PLATFORM_TOKEN}`);
    const runnable = script.replace('API=http://localhost:4000', `API=${h.base}`);
    const out = await run('bash', ['-c', `set -euo pipefail\n${runnable}`], {});
    const json = out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { data?: Record<string, any>; errors?: unknown[] });
    expect(json.filter((j) => j.errors)).toEqual([]);
    const [setPassword, imported, lead] = json.map((j) => j.data!);
    expect(setPassword!.setPassword).toEqual({ ok: true, errors: [] });
    expect(imported!.importConfig).toEqual({ ok: true, version: 1, errors: [] });
    expect(lead!.lead).toMatchObject({
      status: 'assigned',
      ownerEndpointId: 'dallas',
      routingSummary: expect.stringMatching(/^Assigned to Acme Dallas \(exclusive holder of 75201 for pest\)/),
    });
  });

  it('npm run tenant -- create makes a tenant with a one-time set-password token; the token works once', async () => {
    const out = await run('npm', ['run', '--silent', 'tenant', '--', 'create', '--id', 'globex', '--name', 'Globex', '--admin-email', 'Owner@Globex.example'], {
      MONGODB_URI: `${inject('mongoUri').replace(/\/[^/]*$/, '')}/${h.mongo.name}`,
    });
    expect(out).toContain('[tenant] created globex; admin globex:owner@globex.example');
    const token = /set-password token \(valid until [^)]+\): (\S+)/.exec(out)?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const set = (password: string) =>
      h.gql(
        'mutation($t: String!, $p: String!) { setPassword(tenantId: "globex", email: "owner@globex.example", token: $t, password: $p) { ok errors { code field } } }',
        { t: token, p: password },
      );
    expect((await set('short')).body.data.setPassword).toEqual({ ok: false, errors: [{ code: 'WEAK_PASSWORD', field: 'password' }] });
    expect((await set('a long enough password')).body.data.setPassword).toEqual({ ok: true, errors: [] });
    expect((await set('another long password')).body.data.setPassword).toEqual({ ok: false, errors: [{ code: 'INVALID_TOKEN', field: 'token' }] });
    const signIn = await h.gql(
      'mutation { signIn(tenantId: "globex", email: "owner@globex.example", password: "a long enough password") { ok me { role tenantId } } }',
    );
    expect(signIn.body.data.signIn).toEqual({ ok: true, me: { role: 'admin', tenantId: 'globex' } });
    // The same id again is refused, by the CLI as by the API.
    await expect(
      run('npm', ['run', '--silent', 'tenant', '--', 'create', '--id', 'globex', '--name', 'Globex', '--admin-email', 'x@globex.example'], {
        MONGODB_URI: `${inject('mongoUri').replace(/\/[^/]*$/, '')}/${h.mongo.name}`,
      }),
    ).rejects.toThrow(/TENANT_EXISTS/);
  });

  it('only the platform credential creates tenants: a tenant admin, a wrong token and no token are refused', async () => {
    const create = 'mutation { createTenant(id: "initech", name: "Initech", adminEmail: "a@initech.example") { ok errors { code field } tenant { id } } }';
    expect((await h.gql(create)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await h.gql(create, {}, { platform: 'not-the-platform-token-not-the-platform-token' })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await h.gql(create, {}, { platform: DEV_PLATFORM_TOKEN })).body.data.createTenant).toEqual({ ok: true, errors: [], tenant: { id: 'initech' } });
    expect((await h.gql(create, {}, { platform: DEV_PLATFORM_TOKEN })).body.data.createTenant).toEqual({
      ok: false,
      errors: [{ code: 'TENANT_EXISTS', field: 'id' }],
      tenant: null,
    });
    const bad = await h.gql(
      'mutation { createTenant(id: "Bad Id!", name: "", adminEmail: "nope") { ok errors { code field } } }',
      {},
      { platform: DEV_PLATFORM_TOKEN },
    );
    expect(bad.body.data.createTenant.errors.map((e: { field: string }) => e.field).sort()).toEqual(['adminEmail', 'id', 'name']);
  });
});
