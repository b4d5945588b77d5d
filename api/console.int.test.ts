// The console in a real browser (Debian's Chromium through playwright-core)
// against the real stack: the API serving the console's production build, the
// worker on the Temporal dev server, the MongoDB-wire server. A demo tenant
// whose plumbing desk broadcasts to both agents (so two can race for a claim)
// and whose Dallas HVAC branch is closed for days (so an HVAC lead is held).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONFIG, DEMO_USERS, seedDemo } from '../scripts/seed-demo.ts';
import type { TenantConfigDocument, TenantConfigInput } from '../schema/tenant-config.ts';
import { configEditor } from '../services/config-editor.ts';
import { launchChromium } from '../testing/browser.ts';
import { eventually, startLeadApiHarness, type LeadApiHarness } from '../testing/lead-api-harness.ts';

const ROOT = join(import.meta.dirname, '..');
const SCREENSHOTS = process.env.SCREENSHOTS ? join(ROOT, 'docs', 'screenshots') : undefined;
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** The demo, with the plumbing desk broadcasting and Dallas HVAC open only one hour, three days from now. */
function consoleConfig(): TenantConfigInput {
  const openDay = DAYS[new Date(Date.now() + 3 * 86_400_000).getUTCDay()]!;
  const doc = structuredClone(DEMO_CONFIG) as any;
  doc.routingPlans[0].tiers[0] = { name: 'plumbing desk', selector: { rotationId: 'plumbing-desk' }, algorithm: 'broadcast', broadcastCount: 2 };
  const dallas = doc.endpoints.find((e: { id: string }) => e.id === 'dallas-hvac');
  dallas.schedule = { timeZone: 'America/Chicago', hours: { [openDay]: ['03:00-04:00'] } };
  doc.routingPlans.push({
    id: 'website-hvac',
    name: 'Website HVAC',
    sourceId: 'website',
    serviceLine: 'hvac',
    tiers: [{ name: 'branches', selector: { endpointIds: ['dallas-hvac'] } }],
  });
  return doc as TenantConfigInput;
}

const user = (role: string) => DEMO_USERS.find((u) => u.role === role)!;

describe('the console in Chromium', () => {
  let h: LeadApiHarness;
  let browser: Browser;
  let key: string;
  let dist: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    // The production build, as npm start makes it, into a directory of this run's own.
    dist = mkdtempSync(join(tmpdir(), 'switchyard-console-'));
    await build({ configFile: join(ROOT, 'console', 'vite.config.ts'), logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
    // As production serves it: helmet's content security policy, the Secure session cookie.
    h = await startLeadApiHarness({ config: consoleConfig(), users: [], app: { consoleDir: dist, nodeEnv: 'production' } });
    key = (await seedDemo(h.mongo)).apiKey!;
    browser = await launchChromium();
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
    if (Object.keys(timings).length) console.log(`[console] first screen interactive (ms): ${JSON.stringify(timings)}`);
  });

  let posted = 0;
  async function post(serviceLine: string, zip = '75201'): Promise<string> {
    posted++;
    const res = await fetch(`${h.base}/intake`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        externalId: `console-${posted}-${Date.now()}`,
        firstName: 'Grace',
        lastName: 'Hopper',
        phone: `+1214555${String(1000 + posted).slice(-4)}`,
        email: `grace${posted}@example.com`,
        street: '1500 Marilla St',
        city: 'Dallas',
        state: 'TX',
        zip,
        serviceLine,
        consentText: 'I agree to be contacted by phone, text and email.',
        consentTimestamp: new Date().toISOString(),
        consentIp: '203.0.113.7',
        consentPageUrl: 'https://demo.example/quote',
      }),
    });
    const body = (await res.json()) as { leadId?: string };
    expect(body.leadId, JSON.stringify(body)).toBeDefined();
    return body.leadId!;
  }

  const statusOf = async (leadId: string) => {
    const lead = await h.state(leadId);
    return lead?.status;
  };

  /** A fresh browser context signed in through the form, as a person would. */
  async function signedIn(role: string, width = 1280): Promise<Page> {
    const u = user(role);
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const t0 = Date.now();
    await page.goto(`${h.base}/`);
    await page.getByLabel('Email').waitFor();
    timings[role] = Date.now() - t0;
    await page.getByLabel('Tenant').fill('demo');
    await page.getByLabel('Email').fill(u.email);
    await page.getByLabel('Password').fill(u.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  }

  const navOf = async (page: Page) => (await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).map((t) => t.trim());
  const shot = async (page: Page, name: string) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  it('signs every role in and shows each only the screens the API allows it; a wrong password is refused in words', async () => {
    const expected: Record<string, string[]> = {
      admin: ['Leads', 'Simulate', 'Reports', 'Configuration', 'Notifications'],
      ops: ['Leads', 'Simulate', 'Reports', 'Configuration', 'Notifications'],
      manager: ['Leads', 'Simulate', 'Reports', 'Notifications'],
      agent: ['My offers', 'Notifications'],
      vendor: ['My submissions', 'Notifications'],
      buyer: ['My deliveries', 'Notifications'],
    };
    for (const role of Object.keys(expected)) {
      const page = await signedIn(role);
      expect(await navOf(page), role).toEqual(expected[role]);
      // The session cookie is out of page scripts' reach.
      expect(await page.evaluate(() => document.cookie)).not.toMatch(/sy_session/);
      await page.context().close();
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    const served = await page.goto(`${h.base}/`);
    // The production policy: scripts and styles from this origin only, and no rewrite to https on a plain-HTTP stack.
    const csp = (await served!.allHeaders())['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    await page.getByLabel('Email').fill('ops@demo.example');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Wrong tenant, email or password/);
    await context.close();
  });

  it('two agents race for one offer: one claims it, the other sees the validator’s “already claimed”', async () => {
    const leadId = await post('plumbing');
    await eventually('offered to both', async () => ((await h.state(leadId))?.offeredTo?.length === 2 ? true : undefined));
    // Alice on a phone-sized screen, Bob on a desk.
    const alice = await signedIn('agent', 360);
    const bobUser = DEMO_USERS.find((u) => u.email.startsWith('bob'))!;
    const bobContext = await browser.newContext();
    const bob = await bobContext.newPage();
    await bob.goto(`${h.base}/`);
    await bob.getByLabel('Email').fill(bobUser.email);
    await bob.getByLabel('Password').fill(bobUser.password);
    await bob.getByRole('button', { name: 'Sign in' }).click();
    const card = (p: Page) => p.locator(`li.card[data-lead="${leadId}"]`);
    await card(alice).waitFor();
    await card(bob).waitFor();
    // Masked until claimed, with a countdown to the deadline.
    expect(await card(alice).textContent()).toMatch(/Claim within \d+:\d\d/);
    expect(await card(alice).textContent()).not.toContain('4555');
    await shot(alice, 'agent-offers-phone');
    // No layout wider than the phone.
    expect(await alice.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await Promise.all([card(alice).getByRole('button', { name: 'Claim' }).click(), card(bob).getByRole('button', { name: 'Claim' }).click()]);
    const answer = async (p: Page) => {
      const box = p.locator(`[data-lead="${leadId}"]`).first();
      await box.locator('.done, .errors').first().waitFor();
      return box.textContent();
    };
    const answers = [await answer(alice), await answer(bob)];
    expect(answers.filter((a) => /Claimed: it is yours/.test(a ?? ''))).toHaveLength(1);
    expect(answers.filter((a) => /already been claimed/.test(a ?? ''))).toHaveLength(1);
    // The winner sees the contact in clear among their leads.
    const winner = /Claimed/.test(answers[0] ?? '') ? alice : bob;
    const mine = winner.locator(`ul.cards li.card[data-lead="${leadId}"]`, { hasText: 'Update, share or return' });
    await expect.poll(() => mine.textContent()).toContain('grace');
    // The winner works it: a status with a note, then shares it with the other agent to view.
    await mine.locator('summary').click();
    await mine.getByLabel('Status').selectOption('contacted');
    await mine.getByLabel('Note').fill('Left a voicemail');
    await mine.getByRole('button', { name: 'Save status' }).click();
    await expect.poll(() => mine.locator('.done').textContent()).toBe('Status saved.');
    const other = winner === alice ? bobUser.email : user('agent').email;
    await mine.getByLabel("Share with (colleague's email)").fill(other);
    await mine.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => mine.locator('.done').textContent()).toBe('Shared.');
    await eventually('worked and shared', async () => {
      const s = await h.state(leadId);
      return s?.workStatus === 'contacted' && s.collaborators.some((c) => c.userId === `demo:${other}` && c.permission === 'view') ? true : undefined;
    });
    await alice.context().close();
    await bobContext.close();
  });

  it('a manager finds a held lead in the Held queue and assigns it by hand', async () => {
    const leadId = await post('hvac');
    await eventually('held', async () => ((await statusOf(leadId)) === 'held' ? true : undefined));
    const page = await signedIn('manager');
    // The board's own filters first: today's Texas leads from the website include it.
    const today = new Date().toLocaleDateString('en-CA');
    await page.getByLabel('Received from').fill(today);
    await page.getByLabel('Received to').fill(today);
    await page.getByLabel('Market (state, city or ZIP)').fill('TX');
    await page.getByLabel('Source').selectOption('website');
    await page.locator(`tr[data-lead="${leadId}"]`).waitFor();
    await page.getByLabel('Market (state, city or ZIP)').fill('NY');
    await expect.poll(() => page.locator('table.board tbody tr').count()).toBe(0);
    await page.getByLabel('Market (state, city or ZIP)').fill('');
    await page.getByRole('button', { name: 'Held' }).click();
    const row = page.locator(`tr[data-lead="${leadId}"]`);
    await row.waitFor();
    await shot(page, 'manager-held-queue');
    await row.getByLabel('Assign to').selectOption('tx-call-center');
    await row.getByRole('button', { name: 'Assign' }).click();
    expect(await page.locator(`p.done[data-lead="${leadId}"]`).textContent()).toBe(`Assigned ${leadId} to Texas call center.`);
    await eventually('assigned by hand', async () => ((await h.state(leadId))?.ownerEndpointId === 'tx-call-center' ? true : undefined));
    await page.context().close();
  });

  it('ops opens a lead: its timeline and the routing explanation as a tree, with the link to its run', async () => {
    const leadId = await post('plumbing');
    await eventually('offered', async () => ((await statusOf(leadId)) === 'offered' ? true : undefined));
    const page = await signedIn('ops');
    await page.goto(`${h.base}/#/lead/${leadId}`);
    await page.getByRole('heading', { name: new RegExp(`Lead ${leadId}`) }).waitFor();
    await expect.poll(() => page.locator('.timeline').textContent()).toMatch(/Received from Demo website/);
    const tree = page.locator('.explanation').first();
    expect(await tree.textContent()).toMatch(/Tier 1: plumbing desk/);
    expect(await tree.textContent()).toMatch(/Alice \(plumbing desk\) chosen/);
    expect(await page.getByRole('link', { name: 'open in the Temporal UI' }).getAttribute('href')).toContain(encodeURIComponent(`lead:demo:${leadId}`));
    await shot(page, 'ops-lead-page');
    await page.context().close();
  });

  it('an import with a mistake shows the error at its path and publishes nothing', async () => {
    const page = await signedIn('admin');
    await page.getByRole('link', { name: 'Configuration' }).click();
    const heading = page.getByRole('heading', { name: /Configuration version \d+/ });
    const version = await heading.textContent();
    // Territories, plans and rotations read as tables.
    expect(await page.locator('h2:has-text("Territories") + table').textContent()).toMatch(/roofing-partner\s*shared\s*states TX/);
    expect(await page.locator('h2:has-text("Routing plans") + table').textContent()).toContain('1. plumbing desk (broadcast) → 2. call center');
    await page.getByRole('button', { name: 'Start from the current one' }).click();
    await expect.poll(() => page.getByLabel('Configuration (YAML)').inputValue()).toMatch(/claimDeadlineSec: /);
    const yaml = await page.getByLabel('Configuration (YAML)').inputValue();
    await page.getByLabel('Configuration (YAML)').fill(yaml.replace(/claimDeadlineSec: .*/, 'claimDeadlineSec: -5'));
    await page.getByRole('button', { name: 'Import' }).click();
    const errors = page.getByRole('alert');
    await errors.waitFor();
    expect(await errors.textContent()).toMatch(/rotations\[0\]\.claimDeadlineSec\s*(\d+:\d+)?\s*must not be negative/);
    await shot(page, 'ops-import-error');
    await page.reload();
    expect(await heading.textContent()).toBe(version);
    await page.context().close();
  });

  it('a vendor sees only its own submissions; the staff screens are not there for it', async () => {
    const page = await signedIn('vendor');
    const rows = page.locator('table.submissions tr[data-lead]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(posted);
    await page.goto(`${h.base}/#/board`);
    await page.getByRole('heading', { name: 'My submissions' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Leads' }).count()).toBe(0);
    // Its payouts: this month's statement of its own source, line by line.
    const statement = page.locator('.statement');
    await expect.poll(() => statement.locator('tr[data-lead]').count()).toBe(posted);
    expect(await statement.locator('p.stats').textContent()).toMatch(new RegExp(`${new Date().toISOString().slice(0, 7)} · open .*${posted} leads`));
    await shot(page, 'vendor-portal');
    await page.context().close();
  });

  it('a buyer returns a delivered lead inside its window', async () => {
    const leadId = await post('roofing');
    await eventually('delivered to the buyer', async () => ((await h.state(leadId))?.deliveredTo === 'roofing-partner' ? true : undefined));
    const page = await signedIn('buyer');
    const card = page.locator(`li.card[data-lead="${leadId}"]`);
    await card.waitFor();
    await shot(page, 'buyer-portal');
    await card.getByLabel('Reason').selectOption('wrong_number');
    await card.getByLabel('Evidence').fill('Number not in service');
    await card.getByRole('button', { name: 'Return' }).click();
    await page.locator(`p.done[data-lead="${leadId}"]`).waitFor();
    await eventually('credited', async () => ((await h.state(leadId))?.billing === 'credited' ? true : undefined));
    // This month's statement says so, line by line.
    await page.reload();
    const line = page.locator(`.statement tr[data-lead="${leadId}"]`);
    await expect.poll(async () => (await line.locator('td').allTextContents()).slice(2)).toEqual(['credited', '$35.00', '$35.00', '$0.00', 'wrong number']);
    await page.context().close();
  });

  it('staff read the period’s reports as tables and charts and export them as CSV', async () => {
    const page = await signedIn('manager');
    await page.getByRole('link', { name: 'Reports' }).click();
    const row = page.locator('tr', { hasText: 'website' }).first();
    await row.waitFor();
    // Every lead this file posted came from the demo website, in Texas.
    await expect.poll(async () => (await row.locator('td').allTextContents()).slice(0, 3)).toEqual(['website', 'TX', String(posted)]);
    expect(await page.getByRole('img', { name: 'Leads accepted per source and state' }).count()).toBe(1);
    await shot(page, 'manager-reports');
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).first().click()]);
    const csv = readFileSync(await file.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^source_?id,|sourceId,|source,/i);
    expect(csv).toContain('website');
    await page.context().close();
  });

  it('“who would get this lead?”: the simulator answers with the tree, now and at a chosen time', async () => {
    const page = await signedIn('ops');
    await page.getByRole('link', { name: 'Simulate' }).click();
    await page.getByLabel('Service line').selectOption('hvac');
    await page.getByLabel('ZIP').fill('75201');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const answer = page.getByRole('status');
    // Dallas HVAC is closed for days in this tenant: now the lead would wait for it.
    await expect.poll(() => answer.textContent()).toMatch(/Tier 1: branches/);
    expect(await answer.textContent()).toMatch(/Dallas HVAC branch/);
    await shot(page, 'ops-simulate');
    await page.context().close();
  });

  it('an admin reads what changed in a version and rolls back to an earlier one', async () => {
    const page = await signedIn('admin');
    await page.getByRole('link', { name: 'Configuration' }).click();
    const live = page.getByRole('heading', { name: /Configuration version \d+/ });
    const before = Number(/version (\d+)/.exec((await live.textContent()) ?? '')![1]);
    // A change to roll back from: the rotation's deadline, through the import.
    await page.getByRole('button', { name: 'Start from the current one' }).click();
    await expect.poll(() => page.getByLabel('Configuration (YAML)').inputValue()).toMatch(/claimDeadlineSec: /);
    const yaml = await page.getByLabel('Configuration (YAML)').inputValue();
    await page.getByLabel('Configuration (YAML)').fill(yaml.replace(/claimDeadlineSec: .*/, 'claimDeadlineSec: 1200'));
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`Published as version ${before + 1}.`);
    await expect.poll(() => live.textContent()).toBe(`Configuration version ${before + 1}`);
    await page.getByRole('button', { name: `Changes in ${before + 1}` }).click();
    await expect.poll(() => page.locator('.diff').textContent()).toMatch(/claimDeadlineSec/);
    await shot(page, 'admin-config-versions');
    await page.getByRole('button', { name: `Roll back to ${before}` }).click();
    await expect.poll(() => live.textContent()).toBe(`Configuration version ${before + 2}`);
    const latest = await configEditor(h.mongo).latest('demo');
    expect(latest?.version).toBe(before + 2);
    expect((latest?.document as TenantConfigDocument).rotations[0]?.claimDeadlineSec).toBe(900);
    await page.context().close();
  });
});
