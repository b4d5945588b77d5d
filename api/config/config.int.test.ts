import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiHarness, type Harness } from '../../testing/api-harness.ts';

describe('configuration over GraphQL', () => {
  let h: Harness;
  let ops: { token: string };
  let admin: { token: string };
  beforeAll(async () => {
    h = await startApiHarness();
    ops = { token: h.tokens.t1!.ops };
    admin = { token: h.tokens.t1!.admin };
  });
  afterAll(async () => {
    await h?.close();
  });

  const version = async () => (await h.gql('{ config { version } }', {}, ops)).body.data.config.version as number;

  it('reads the latest configuration with typed lists and the whole document', async () => {
    const { body } = await h.gql(
      '{ config { version author sources { id name status returnWindowSec } endpoints { id kind paused } rotations { id members } routingPlans { id isDefault } document } }',
      {},
      ops,
    );
    expect(body.data.config).toMatchObject({
      version: 1,
      author: 'seed',
      rotations: [{ id: 'rot-1', members: ['ag-1', 'ag-2'] }],
      routingPlans: [{ id: 'default', isDefault: true }],
    });
    expect(body.data.config.sources[0]).toEqual({ id: 'src-1', name: 'Vendor One', status: 'active', returnWindowSec: 172800 });
    expect(body.data.config.document.tenant.id).toBe('t1');
  });

  const MUTATIONS = {
    sources: ['upsertSource(source: $item, note: "n")', 'deleteSource(id: $id)'],
    endpoints: ['upsertEndpoint(endpoint: $item)', 'deleteEndpoint(id: $id)'],
    territories: ['upsertTerritory(territory: $item)', 'deleteTerritory(id: $id)'],
    rotations: ['upsertRotation(rotation: $item)', 'deleteRotation(id: $id)'],
    routingPlans: ['upsertRoutingPlan(routingPlan: $item)', 'deleteRoutingPlan(id: $id)'],
  } as const;
  const upsert = (kind: keyof typeof MUTATIONS, item: unknown, who = ops) =>
    h.gql(`mutation($item: JSON!) { r: ${MUTATIONS[kind][0]} { ok version errors { code field message } } }`, { item }, who);
  const remove = (kind: keyof typeof MUTATIONS, id: string, who = ops) =>
    h.gql(`mutation($id: ID!) { r: ${MUTATIONS[kind][1]} { ok version errors { code field message } } }`, { id }, who);

  it('adds, replaces and deletes an item of every list, each change a new version', async () => {
    const items = {
      sources: { id: 'src-new', name: 'New', costBasis: { kind: 'flat', amountCents: 100 }, defaultServiceLine: 'hvac' },
      endpoints: { id: 'ep-new', name: 'New endpoint', kind: 'partner' },
      territories: { id: 'ter-new', endpointId: 'ep-new', kind: 'fallback', states: ['TX'] },
      rotations: { id: 'rot-new', name: 'New rotation', members: ['ep-new'] },
      routingPlans: { id: 'plan-new', sourceId: 'src-new', tiers: [{ name: 'fallback', selector: { territoryKinds: ['fallback'] } }] },
    };
    let v = await version();
    for (const [kind, item] of Object.entries(items) as Array<[keyof typeof MUTATIONS, { id: string }]>) {
      const added = await upsert(kind, item);
      expect(added.body.data.r, kind).toEqual({ ok: true, version: ++v, errors: [] });
      const replaced = await upsert(kind, kind === 'territories' ? { ...item, note: 'renamed' } : { ...item, name: 'Renamed' });
      expect(replaced.body.data.r, kind).toEqual({ ok: true, version: ++v, errors: [] });
    }
    const cfg = (await h.gql('{ config { endpoints { id name } sources { id name } } }', {}, ops)).body.data.config;
    expect(cfg.endpoints.filter((e: { id: string }) => e.id === 'ep-new')).toEqual([{ id: 'ep-new', name: 'Renamed' }]);

    // In dependency order: what others refer to goes last.
    for (const kind of ['routingPlans', 'rotations', 'territories', 'endpoints', 'sources'] as const) {
      const r = await remove(kind, items[kind].id);
      expect(r.body.data.r, kind).toEqual({ ok: true, version: ++v, errors: [] });
    }
    const history = await h.gql('{ configVersions(first: 3) { version author note } }', {}, ops);
    expect(history.body.data.configVersions[0]).toEqual({ version: v, author: 't1:ops@test', note: null });
  });

  it('names the path of every problem and publishes nothing', async () => {
    const before = await version();
    const badZip = await upsert('endpoints', { id: 'loc-1', name: 'Dallas', kind: 'location', territories: [{ id: 'x', kind: 'exclusive', zips: ['7520'] }] });
    expect(badZip.body.data.r).toEqual({
      ok: false,
      version: null,
      errors: [{ code: 'INVALID_CONFIG', field: 'endpoints[3].territories[0].zips', message: '"7520" is not a ZIP' }],
    });
    const dangling = await remove('endpoints', 'ag-2');
    expect(dangling.body.data.r.errors).toEqual([
      { code: 'INVALID_CONFIG', field: 'rotations[0].members', message: 'names endpoint "ag-2", which is not in this configuration' },
    ]);
    const missing = await remove('sources', 'nope');
    expect(missing.body.data.r.errors).toEqual([{ code: 'NOT_FOUND', field: 'sources', message: 'has no item with id "nope"' }]);
    const notObject = await upsert('rotations', 'a string');
    expect(notObject.body.data.r.ok).toBe(false);
    expect(notObject.body.data.r.errors[0]).toMatchObject({ code: 'INVALID_CONFIG', field: expect.stringMatching(/^rotations\[1\]/) });
    expect(await version()).toBe(before);
  });

  it('refuses a second exclusive holder of a ZIP, naming both and the area, and accepts it once a carve-out makes room', async () => {
    const before = await version();
    const rival = { id: 'uptown', name: 'Uptown', kind: 'location', territories: [{ id: 'uptown-core', kind: 'exclusive', zipRanges: ['75200-75202'] }] };
    const refused = await upsert('endpoints', rival);
    expect(refused.body.data.r).toMatchObject({ ok: false, version: null });
    expect(refused.body.data.r.errors).toEqual([
      {
        code: 'INVALID_CONFIG',
        field: expect.stringMatching(/^endpoints\[\d+\]\.territories\[0\]$/),
        message: expect.stringMatching(
          /^this exclusive grant \(ZIPs 75200-75202\) of Uptown \(uptown\) overlaps the exclusive grant loc-1-core of Dallas \(loc-1\) for every service line in 75201: /,
        ),
      },
    ]);
    expect(await version()).toBe(before);
    const withCarveOut = await upsert('endpoints', { ...rival, territories: [...rival.territories, { kind: 'carve_out', zips: ['75201'] }] });
    expect(withCarveOut.body.data.r).toMatchObject({ ok: true, version: before + 1 });
    expect((await remove('endpoints', 'uptown')).body.data.r.ok).toBe(true);
  });

  it('shows what changed between versions and rolls back to an earlier one as a new version', async () => {
    const v1 = await version();
    const added = await upsert('endpoints', { id: 'frisco', name: 'Frisco', kind: 'location', caps: { daily: 3 } });
    expect(added.body.data.r.ok).toBe(true);
    const capped = await upsert('endpoints', { id: 'frisco', name: 'Frisco', kind: 'location', caps: { daily: 7 } });
    const v3 = capped.body.data.r.version as number;
    const diff = await h.gql(
      'query($a: Int!, $b: Int!) { configDiff(from: $a, to: $b) { ok errors { code } from { version } to { version note } changes { path kind text } } }',
      { a: v1, b: v3 },
      ops,
    );
    expect(diff.body.data.configDiff).toEqual({
      ok: true,
      errors: [],
      from: { version: v1 },
      to: { version: v3, note: null },
      changes: [{ path: 'endpoints.frisco', kind: 'added', text: 'endpoint frisco "Frisco" added' }],
    });
    const step = await h.gql('query($a: Int!, $b: Int!) { configDiff(from: $a, to: $b) { changes { text } } }', { a: v3 - 1, b: v3 }, ops);
    expect(step.body.data.configDiff.changes).toEqual([{ text: 'endpoints.frisco.caps.daily changed from 3 to 7' }]);
    const missing = await h.gql('{ configDiff(from: 1, to: 9999) { ok errors { code } changes { text } } }', {}, ops);
    expect(missing.body.data.configDiff).toEqual({ ok: false, errors: [{ code: 'NOT_FOUND' }], changes: [] });

    const back = await h.gql('mutation($v: Int!) { rollbackConfig(version: $v) { ok version errors { code } } }', { v: v1 }, ops);
    expect(back.body.data.rollbackConfig).toEqual({ ok: true, version: v3 + 1, errors: [] });
    const after = await h.gql('query($a: Int!, $b: Int!) { configDiff(from: $a, to: $b) { changes { kind } } }', { a: v1, b: v3 + 1 }, ops);
    expect(after.body.data.configDiff.changes).toEqual([]);
    const history = await h.gql('{ configVersions(first: 1) { version note } }', {}, ops);
    expect(history.body.data.configVersions).toEqual([{ version: v3 + 1, note: `rollback to version ${v1}` }]);
    const nope = await h.gql('{ r: rollbackConfig(version: 9999) { ok errors { code field } } }'.replace('{ r:', 'mutation { r:'), {}, ops);
    expect(nope.body.data.r).toEqual({ ok: false, errors: [{ code: 'NOT_FOUND', field: 'version' }] });
  });

  it('keeps both of two concurrent changes (each re-applied on the newer version)', async () => {
    const before = await version();
    const [a, b] = await Promise.all([
      upsert('endpoints', { id: 'conc-a', name: 'A', kind: 'partner' }),
      upsert('endpoints', { id: 'conc-b', name: 'B', kind: 'partner' }),
    ]);
    expect([a.body.data.r.version, b.body.data.r.version].sort()).toEqual([before + 1, before + 2]);
    const ids = (await h.gql('{ config { endpoints { id } } }', {}, ops)).body.data.config.endpoints.map((e: { id: string }) => e.id);
    expect(ids).toEqual(expect.arrayContaining(['conc-a', 'conc-b']));
  });

  it('exports YAML and JSON that import back to the same document, as a new version', async () => {
    const yaml = (await h.gql('{ exportConfig(format: yaml) { version format text } }', {}, ops)).body.data.exportConfig;
    const json = (await h.gql('{ exportConfig(format: json) { text } }', {}, ops)).body.data.exportConfig;
    expect(yaml.text).toContain('tenant:');
    const doc = (await h.gql('{ config { document } }', {}, ops)).body.data.config.document;
    expect(JSON.parse(json.text)).toEqual(doc);

    const imported = await h.gql(
      'mutation($t: String!) { importConfig(text: $t, note: "round trip") { ok version errors { message } } }',
      { t: yaml.text },
      admin,
    );
    expect(imported.body.data.importConfig).toEqual({ ok: true, version: yaml.version + 1, errors: [] });
    expect((await h.gql('{ config { document } }', {}, ops)).body.data.config.document).toEqual(doc);
    const old = await h.gql('query($v: Int) { config(version: $v) { version } exportConfig(format: json, version: 1) { version } }', { v: 1 }, ops);
    expect(old.body.data).toEqual({ config: { version: 1 }, exportConfig: { version: 1 } });
  });

  it('imports the example network for its own tenant only, and reports syntax errors with line and column', async () => {
    const example = readFileSync(join(import.meta.dirname, '../../data/example-network.yaml'), 'utf8');
    const wrong = await h.gql('mutation($t: String!) { importConfig(text: $t) { ok errors { code field message } } }', { t: example }, admin);
    expect(wrong.body.data.importConfig).toEqual({
      ok: false,
      errors: [{ code: 'WRONG_TENANT', field: 'tenant.id', message: 'is "summit-home", but you are signed in to tenant "t1"' }],
    });
    const mine = await h.gql('mutation($t: String!) { importConfig(text: $t) { ok version } }', { t: example.replace('id: summit-home', 'id: t1') }, admin);
    expect(mine.body.data.importConfig.ok).toBe(true);
    const tenant = await h.gql('{ tenant { name } config { endpoints { id } } }', {}, ops);
    expect(tenant.body.data.tenant.name).toBe('Summit Home Services');
    expect(tenant.body.data.config.endpoints.length).toBeGreaterThan(10);

    const broken = await h.gql('mutation { importConfig(text: "tenant:\\n  id: [t1\\n", format: yaml) { ok errors { code line column message } } }', {}, admin);
    expect(broken.body.data.importConfig.errors[0]).toMatchObject({
      code: 'INVALID_CONFIG',
      line: expect.any(Number),
      column: expect.any(Number),
      message: expect.stringMatching(/not valid YAML at line/),
    });
    const byOps = await h.gql('mutation { importConfig(text: "{}") { ok } }', {}, ops);
    expect(byOps.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps tenants apart: t2 sees its own versions only', async () => {
    const t2 = await h.gql('{ config { version document } configVersions { version } }', {}, { token: h.tokens.t2!.ops });
    expect(t2.body.data.config.version).toBe(1);
    expect(t2.body.data.config.document.tenant.id).toBe('t2');
    expect(t2.body.data.configVersions).toEqual([{ version: 1 }]);
  });
});
