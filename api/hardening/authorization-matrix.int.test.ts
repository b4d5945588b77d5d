import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionStore } from '../../db/decision-store.ts';
import { leadStore } from '../../db/lead-store.ts';
import { projectReportFacts } from '../../db/report-store.ts';
import type { LeadEvent } from '../../domain/lifecycle/lead-events.ts';
import type { AllocationDecision } from '../../domain/allocation/types.ts';
import { intakeKeyModel } from '../../db/models/intake-key.ts';
import type { Role } from '../../domain/lifecycle/actor.ts';
import { eventStream } from '../../domain/lifecycle/test-events.ts';
import { apiKeys, hashApiKey } from '../../services/api-keys.ts';
import { authService } from '../../services/auth.ts';
import { configEditor } from '../../services/config-editor.ts';
import { PASSWORD, startApiHarness, TEST_JWT_SECRET, type GqlResponse, type Harness } from '../../testing/api-harness.ts';
import { suppressionStore } from '../../db/suppression-store.ts';
import { notificationStore, userInbox } from '../../db/notification-store.ts';
import { userModel } from '../../db/models/user.ts';

/**
 * Every role (plus a source API key and an anonymous caller) × every
 * operation built so far × own tenant / other tenant, against the running
 * server. "Own": a t1 caller acts on t1's resources. "Other": the same kind of
 * caller from t2 names t1's resources (ids, users, keys) or, where the tenant
 * comes only from the token, must get nothing of t1's back and change nothing
 * of t1's.
 *
 * An operation counts as allowed when it answered without a FORBIDDEN or
 * UNAUTHENTICATED error AND its answer shows the target tenant's data (or its
 * change landed in the target tenant); a null, a NOT_FOUND payload or the
 * caller's own tenant's data counts as denied.
 */

type Caller = Role | 'apikey' | 'anon';

const storedDecision = (leadId: string, summary: string): AllocationDecision => ({
  leadId,
  outcome: 'assigned',
  chosen: ['buy-1'],
  targets: [],
  planId: 'default',
  fallbacks: [],
  reservations: [],
  configVersion: 1,
  explanation: { tiers: [], summary },
});
const CALLERS: Caller[] = ['admin', 'ops', 'manager', 'agent', 'vendor', 'buyer', 'apikey', 'anon'];
// The seeded leads are a few hours old: a range of local dates around today, and the month of the deliveries.
const localDate = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
const REPORT_RANGE = { f: localDate(Date.now() - 3 * 86_400_000), t: localDate(Date.now() + 86_400_000) };
const REPORT_MONTH = localDate(Date.now() - 3 * 3_600_000).slice(0, 7);
const ZONE: Record<'t1' | 't2', string> = { t1: 'America/Chicago', t2: 'America/New_York' };
const sum = (rows: Array<Record<string, number>>, field: string) => rows.reduce((a, r) => a + (r[field] ?? 0), 0);
type Target = 't1' | 't2';

interface OpCase {
  query: string;
  /** Variables naming the target tenant's resources; may prepare them (a key to revoke, an item to delete). */
  vars?: (target: Target, caller: Caller) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Did the answer reach the target tenant's data? */
  reached: (data: any, target: Target) => boolean | Promise<boolean>;
  subscription?: boolean;
}

// The expected table. Columns: admin ops manager agent vendor buyer apikey anon.
// own: a t1 caller on t1.  other: a t2 caller on t1 ('n' = the answer carries no tenant data).
const EXPECTED: Record<string, { own: string; other: string }> = {
  me: { own: '               Y Y Y Y Y Y Y -', other: '- - - - - - - -' },
  tenant: { own: '           Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  health: { own: '           Y Y - - - - - -', other: 'n n n n n n n n' },
  users: { own: '            Y - - - - - - -', other: '- - - - - - - -' },
  apiKeys: { own: '          Y Y - - - - - -', other: '- - - - - - - -' },
  config: { own: '           Y Y Y - - - - -', other: '- - - - - - - -' },
  configVersions: { own: '   Y Y Y - - - - -', other: '- - - - - - - -' },
  exportConfig: { own: '     Y Y Y - - - - -', other: '- - - - - - - -' },
  configDiff: { own: '       Y Y Y - - - - -', other: '- - - - - - - -' },
  lead: { own: '             Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  leads: { own: '            Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  mySubmissions: { own: '    - - - - Y - - -', other: '- - - - - - - -' },
  myAcceptance: { own: '     - - - - Y - - -', other: '- - - - - - - -' },
  myReturns: { own: '        - - - - Y Y - -', other: '- - - - - - - -' },
  myDeliveries: { own: '     - - - - - Y - -', other: '- - - - - - - -' },
  openReturnWindows: { own: '- - - - - Y - -', other: '- - - - - - - -' },
  offerReceived: { own: '    Y Y Y Y - - - -', other: '- - - - - - - -' },
  // Reports: staff their tenant's; a vendor its own source's; a buyer its own endpoint's; never an agent or an API key.
  sourceReport: { own: '      Y Y Y - Y - - -', other: '- - - - - - - -' },
  endpointReport: { own: '    Y Y Y - - Y - -', other: '- - - - - - - -' },
  speedToLead: { own: '       Y Y Y - Y - - -', other: '- - - - - - - -' },
  sourceStatement: { own: '   Y Y Y - Y - - -', other: '- - - - - - - -' },
  buyerStatement: { own: '    Y Y Y - - Y - -', other: '- - - - - - - -' },
  myOffers: { own: '         Y Y Y Y - - - -', other: '- - - - - - - -' },
  createUser: { own: '       Y - - - - - - -', other: '- - - - - - - -' },
  disableUser: { own: '      Y - - - - - - -', other: '- - - - - - - -' },
  enableUser: { own: '       Y - - - - - - -', other: '- - - - - - - -' },
  issueApiKey: { own: '      Y Y - - - - - -', other: '- - - - - - - -' },
  rotateApiKey: { own: '     Y Y - - - - - -', other: '- - - - - - - -' },
  revokeApiKey: { own: '     Y Y - - - - - -', other: '- - - - - - - -' },
  upsertSource: { own: '     Y Y - - - - - -', other: '- - - - - - - -' },
  deleteSource: { own: '     Y Y - - - - - -', other: '- - - - - - - -' },
  upsertEndpoint: { own: '   Y Y - - - - - -', other: '- - - - - - - -' },
  deleteEndpoint: { own: '   Y Y - - - - - -', other: '- - - - - - - -' },
  upsertTerritory: { own: '  Y Y - - - - - -', other: '- - - - - - - -' },
  deleteTerritory: { own: '  Y Y - - - - - -', other: '- - - - - - - -' },
  upsertRotation: { own: '   Y Y - - - - - -', other: '- - - - - - - -' },
  deleteRotation: { own: '   Y Y - - - - - -', other: '- - - - - - - -' },
  upsertRoutingPlan: { own: 'Y Y - - - - - -', other: '- - - - - - - -' },
  deleteRoutingPlan: { own: 'Y Y - - - - - -', other: '- - - - - - - -' },
  importConfig: { own: '     Y - - - - - - -', other: '- - - - - - - -' },
  // Only the platform operator's credential (no tenant role, no API key) creates tenants: platform-operator tests in api/brand-setup.int.test.ts.
  createTenant: { own: '     - - - - - - - -', other: '- - - - - - - -' },
  // The internal list is the tenant's own; the shared registries are the platform operator's (api/suppression/suppression.int.test.ts).
  suppressionLists: { own: '   Y Y Y - - - - -', other: '- - - - - - - -' },
  addSuppressionEntries: { own: 'Y Y - - - - - -', other: '- - - - - - - -' },
  removeSuppressionEntry: { own: 'Y Y - - - - - -', other: '- - - - - - - -' },
  rollbackConfig: { own: '   Y Y - - - - - -', other: '- - - - - - - -' },
  submitLead: { own: '       Y Y - - Y - Y -', other: '- - - - - - - -' },
  claimLead: { own: '        Y Y Y Y - - - -', other: '- - - - - - - -' },
  declineOffer: { own: '     - - - Y - - - -', other: '- - - - - - - -' },
  viewLead: { own: '         Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  updateLeadStatus: { own: ' Y Y Y Y - - - -', other: '- - - - - - - -' },
  shareLead: { own: '        Y Y Y Y - - - -', other: '- - - - - - - -' },
  reassignLead: { own: '     Y Y Y - - - - -', other: '- - - - - - - -' },
  releaseHeldLead: { own: '  Y Y Y - - - - -', other: '- - - - - - - -' },
  approveLead: { own: '      Y Y Y - - - - -', other: '- - - - - - - -' },
  rejectLead: { own: '       Y Y Y - - - - -', other: '- - - - - - - -' },
  returnLead: { own: '       Y Y Y Y - Y - -', other: '- - - - - - - -' },
  simulateRouting: { own: '  Y Y Y - - - - -', other: '- - - - - - - -' },
  leadExplanation: { own: '  Y Y Y - - - - -', other: '- - - - - - - -' },
  leadHistory: { own: '      Y Y Y Y - - - -', other: '- - - - - - - -' },
  myNotifications: { own: '  Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  myAlertSettings: { own: '  Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  markNotificationsRead: { own: 'Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  updateMyAlertSettings: { own: 'Y Y Y Y Y Y - -', other: '- - - - - - - -' },
  updateUserAlertSettings: { own: 'Y - - - - - - -', other: '- - - - - - - -' },
  notificationReceived: { own: ' Y Y Y Y Y Y - -', other: '- - - - - - - -' },
};

describe('authorization matrix: role × operation × tenant', () => {
  let h: Harness;
  let seq = 0;
  let service: ReturnType<typeof configEditor> | undefined;
  const configs = () => (service ??= configEditor(h.mongo));
  const latestDoc = async (t: Target) => (await configs().latest(t))!.document as any;

  beforeAll(async () => {
    h = await startApiHarness();
    // Make t1's vendor statistics differ from t2's, so an answer shows whose they are.
    const ev = eventStream('t1-extra', 't1', Date.now() - 600_000);
    const reports = { afterAppend: (ids: string[], events: readonly LeadEvent[]) => projectReportFacts(h.mongo, ids, { events }) };
    await leadStore(h.mongo, reports).append([
      ev({ type: 'received', data: { sourceId: 'src-1', serviceLine: 'plumbing', costCents: 1 } }),
      ev({ type: 'rejected', data: { reason: 'invalid', detail: 'x' } }),
    ]);
    // And one more delivery to the buyer from src-1, so t1's reports and statements differ from t2's.
    const ev2 = eventStream('t1-extraDelivered', 't1', Date.now() - 500_000);
    await leadStore(h.mongo, reports).append([
      ev2({ type: 'received', data: { sourceId: 'src-1', serviceLine: 'plumbing', costCents: 2500, market: { state: 'TX', zip: '75201' } } }),
      ev2({ type: 'validated', data: { outcome: 'accepted', steps: [], flags: [] } }),
      ev2({ type: 'delivered', data: { endpointId: 'buy-1', method: 'http_post', idempotencyKey: 'kx', priceCents: 4000 } }),
      ev2({ type: 'assigned', data: { endpointId: 'buy-1', by: 'delivery' } }),
    ]);
    const auth = authService(h.mongo, { jwtSecret: TEST_JWT_SECRET, tokenTtlSec: 600 });
    for (const t of ['t1', 't2'])
      await auth.createUser({ tenantId: t, email: 'victim@test', name: 'Victim', role: 'agent', password: PASSWORD, endpointId: 'ag-2' });
    // Every user's inbox holds a notification of its own tenant, and each tenant's users their own time zone.
    for (const t of ['t1', 't2'] as const) {
      for (const role of ['admin', 'ops', 'manager', 'agent', 'vendor', 'buyer'])
        await notificationStore(h.mongo).send(
          t,
          [userInbox(`${t}:${role}@test`)],
          { leadId: `${t}-note`, kind: 'shared', message: 'seeded', at: Date.now() },
          'seed',
        );
      await userModel(h.mongo).updateMany({ tenantId: t }, { $set: { alerts: { timeZone: ZONE[t] } } });
    }
    for (const t of ['t1', 't2'] as const) {
      // A routing answer must show whose configuration it came from: the location is named after its tenant.
      const r = await configs().upsert(
        t,
        'endpoints',
        { id: 'loc-1', name: `Dallas of ${t}`, kind: 'location', territories: [{ id: 'loc-1-core', kind: 'exclusive', zips: ['75201'] }] },
        'matrix',
      );
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      // A stored routing decision for each tenant's delivered lead.
      await decisionStore(h.mongo).save({
        tenantId: t,
        leadId: `${t}-delivered`,
        round: 1,
        configVersion: 1,
        at: Date.now(),
        decision: storedDecision(`${t}-delivered`, `went to Buyer One of ${t}`),
      });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const leadFor = (t: Target, caller: Caller) => `${t}-${caller === 'agent' ? 'offered' : 'delivered'}`;
  // Sharing and returning are the owner's: an agent is given the lead it owns.
  const ownLeadFor = (t: Target, caller: Caller) => `${t}-${caller === 'agent' ? 'ownedAg1Src2' : 'delivered'}`;
  // A lead operation reached the target when its answer carries the target's lead: accepted, or refused by
  // the lead's own rules (these seeded leads have no running workflow, so most answer LEAD_CLOSED).
  // A lead the caller may not see answers NOT_FOUND with no lead.
  const leadOp = (query: string, vars: (t: Target, c: Caller) => Record<string, unknown>): OpCase => ({
    query,
    vars,
    reached: (d, t) => !!d.r.lead?.id.startsWith(`${t}-`),
  });
  const someId = (list: Array<{ id: string }> | undefined, t: Target) => !!list?.some((n) => n.id.startsWith(`${t}-`));
  const crud = (kind: string, arg: string, list: string, item: (id: string) => unknown): [OpCase, OpCase] => [
    {
      query: `mutation($x: JSON!) { r: upsert${kind}(${arg}: $x) { ok } }`,
      vars: () => ({ x: item(`mx-${++seq}`) }),
      reached: async (d, t) => d.r.ok && (await latestDoc(t))[list].some((x: { id: string }) => x.id === `mx-${seq}`),
    },
    {
      query: `mutation($id: ID!) { r: delete${kind}(id: $id) { ok } }`,
      // An item to delete, put into the target tenant first.
      vars: async (t) => {
        const id = `del-${++seq}`;
        const r = await configs().upsert(t, list as never, item(id), 'matrix');
        if (!r.ok) throw new Error(JSON.stringify(r.errors));
        return { id };
      },
      reached: async (d, t) => d.r.ok && !(await latestDoc(t))[list].some((x: { id: string }) => x.id === `del-${seq}`),
    },
  ];
  const [upsertSource, deleteSource] = crud('Source', 'source', 'sources', (id) => ({ id, name: id, costBasis: { kind: 'per_lead', amountCents: 1 } }));
  const [upsertEndpoint, deleteEndpoint] = crud('Endpoint', 'endpoint', 'endpoints', (id) => ({ id, name: id, kind: 'partner' }));
  const [upsertTerritory, deleteTerritory] = crud('Territory', 'territory', 'territories', (id) => ({
    id,
    endpointId: 'loc-1',
    kind: 'fallback',
    states: ['OK'],
  }));
  const [upsertRotation, deleteRotation] = crud('Rotation', 'rotation', 'rotations', (id) => ({ id, name: id, members: ['ag-1'] }));
  const [upsertRoutingPlan, deleteRoutingPlan] = crud('RoutingPlan', 'routingPlan', 'routingPlans', (id) => ({
    id,
    serviceLine: `sl-${id.replace(/\W/g, '')}`.toLowerCase(),
    tiers: [{ name: 'x', selector: { endpointIds: ['loc-1'] } }],
  }));
  // Rows acting on the caller's own inbox or settings check the target tenant's copy for that role.
  let lastCaller: Caller = 'admin';
  // Its own counter: the live row's timer outlasts the row, and seq is read back by other rows.
  let liveSeq = 0;
  const unreadOf = (t: Target, c: Caller) => notificationStore(h.mongo).unreadCount(t, userInbox(`${t}:${c}@test`));
  const mobileOf = async (t: Target, email: string) => (await userModel(h.mongo).findById(`${t}:${email}`).lean())?.alerts?.mobile;
  const nextMobile = () => `+1512555${String(1000 + ++seq).slice(-4)}`;
  const keyTenant = async (key: string | undefined) => (key ? (await apiKeys(h.mongo).authenticate(key))?.tenantId : undefined);

  const OPS: Record<string, OpCase> = {
    me: { query: '{ me { tenantId } }', reached: (d, t) => d.me?.tenantId === t },
    tenant: { query: '{ tenant { id } }', reached: (d, t) => d.tenant.id === t },
    health: { query: '{ health { mongo { ok } } }', reached: (d) => d.health.mongo.ok === true },
    users: { query: '{ users { userId } }', reached: (d, t) => d.users.some((u: { userId: string }) => u.userId.startsWith(`${t}:`)) },
    apiKeys: {
      query: '{ apiKeys(sourceId: "src-1") { id } }',
      reached: (d, t) => d.apiKeys.some((k: { id: string }) => k.id === hashApiKey(h.keys[t]!).slice(0, 12)),
    },
    config: { query: '{ config { document } }', reached: (d, t) => d.config?.document.tenant.id === t },
    configVersions: {
      query: '{ configVersions { note } }',
      reached: (d, t) => d.configVersions.some((v: { note: string | null }) => v.note === `seed of ${t}`),
    },
    // The diff names the versions compared: version 1 of each tenant is its own seed.
    configDiff: {
      query: '{ configDiff(from: 1, to: 1) { ok from { note } } }',
      reached: (d, t) => d.configDiff.ok && d.configDiff.from?.note === `seed of ${t}`,
    },
    rollbackConfig: {
      // Back to the target's latest version (the same document again), so no other row's configuration changes under it.
      query: 'mutation($v: Int!, $note: String!) { rollbackConfig(version: $v, note: $note) { ok version } }',
      vars: async (t) => ({ v: (await configs().latest(t))!.version, note: `rollback-${++seq}` }),
      // Reached the target when the target's latest version is this very rollback.
      reached: async (d, t) =>
        d.rollbackConfig.ok && (await configs().latest(t))!.version === d.rollbackConfig.version && (await configs().latest(t))!.note === `rollback-${seq}`,
    },
    exportConfig: { query: '{ exportConfig(format: json) { text } }', reached: (d, t) => JSON.parse(d.exportConfig.text).tenant.id === t },
    lead: { query: 'query($id: ID!) { lead(id: $id) { id } }', vars: (t, c) => ({ id: leadFor(t, c) }), reached: (d, t) => !!d.lead?.id.startsWith(`${t}-`) },
    leads: { query: '{ leads { nodes { id } } }', reached: (d, t) => someId(d.leads.nodes, t) },
    mySubmissions: { query: '{ mySubmissions { nodes { id } } }', reached: (d, t) => someId(d.mySubmissions.nodes, t) },
    myAcceptance: { query: '{ myAcceptance { stats { received } } }', reached: (d, t) => d.myAcceptance.stats?.received === (t === 't1' ? 7 : 5) },
    // Report answers carry no tenant id: t1's figures are t2's plus the two t1-only leads of src-1.
    sourceReport: {
      query: 'query($f: String!, $t: String!) { sourceReport(from: $f, to: $t, sourceId: "src-1") { report { rows { received } } } }',
      vars: () => REPORT_RANGE,
      reached: (d, t) => sum(d.sourceReport.report.rows, 'received') === (t === 't1' ? 7 : 5),
    },
    endpointReport: {
      query: 'query($f: String!, $t: String!) { endpointReport(from: $f, to: $t, endpointId: "buy-1") { report { rows { delivered } } } }',
      vars: () => REPORT_RANGE,
      reached: (d, t) => sum(d.endpointReport.report.rows, 'delivered') === (t === 't1' ? 4 : 3),
    },
    speedToLead: {
      query: 'query($f: String!, $t: String!) { speedToLead(from: $f, to: $t, by: SOURCE, sourceId: "src-1") { report { rows { delivered } } } }',
      vars: () => REPORT_RANGE,
      reached: (d, t) => sum(d.speedToLead.report.rows, 'delivered') === (t === 't1' ? 3 : 2),
    },
    sourceStatement: {
      query: 'query($m: String!) { sourceStatement(sourceId: "src-1", month: $m) { statement { lines { nodes { leadId } } } } }',
      vars: () => ({ m: REPORT_MONTH }),
      reached: (d, t) => d.sourceStatement.statement.lines.nodes.some((l: { leadId: string }) => l.leadId.startsWith(`${t}-`)),
    },
    buyerStatement: {
      query: 'query($m: String!) { buyerStatement(endpointId: "buy-1", month: $m) { statement { lines { nodes { leadId } } } } }',
      vars: () => ({ m: REPORT_MONTH }),
      reached: (d, t) => d.buyerStatement.statement.lines.nodes.some((l: { leadId: string }) => l.leadId.startsWith(`${t}-`)),
    },
    myReturns: { query: '{ myReturns { nodes { id } } }', reached: (d, t) => someId(d.myReturns.nodes, t) },
    myDeliveries: { query: '{ myDeliveries { nodes { id } } }', reached: (d, t) => someId(d.myDeliveries.nodes, t) },
    openReturnWindows: {
      query: '{ openReturnWindows { nodes { lead { id } } } }',
      reached: (d, t) => d.openReturnWindows.nodes.some((w: { lead: { id: string } }) => w.lead.id.startsWith(`${t}-`)),
    },
    offerReceived: {
      query: 'subscription($e: ID!) { offerReceived(endpointId: $e) { leadId } }',
      vars: () => ({ e: 'ag-1' }),
      reached: (d, t) => !!d.offerReceived?.leadId.startsWith(`${t}-`),
      subscription: true,
    },
    myOffers: {
      query: '{ myOffers(endpointId: "ag-1") { nodes { leadId } } }',
      reached: (d, t) => d.myOffers.nodes.some((o: { leadId: string }) => o.leadId.startsWith(`${t}-`)),
    },
    myNotifications: {
      query: '{ myNotifications { nodes { leadId } } }',
      reached: (d, t) => d.myNotifications.nodes.some((n: { leadId: string }) => n.leadId.startsWith(`${t}-`)),
    },
    myAlertSettings: { query: '{ myAlertSettings { timeZone } }', reached: (d, t) => d.myAlertSettings.timeZone === ZONE[t] },
    markNotificationsRead: {
      query: 'mutation { r: markNotificationsRead(all: true) { ok } }',
      vars: async (t, c) => {
        lastCaller = c;
        await notificationStore(h.mongo).send(
          t,
          [userInbox(`${t}:${c}@test`)],
          { leadId: `${t}-unread`, kind: 'shared', message: 'new', at: Date.now() },
          `u${++seq}`,
        );
        return {};
      },
      reached: async (d, t) => d.r.ok && (await unreadOf(t, lastCaller)) === 0,
    },
    updateMyAlertSettings: {
      query: 'mutation($m: String!) { r: updateMyAlertSettings(input: { mobile: $m }) { ok } }',
      vars: (_, c) => ((lastCaller = c), { m: nextMobile() }),
      reached: async (d, t) => d.r.ok && (await mobileOf(t, `${lastCaller}@test`)) === `+1512555${String(1000 + seq).slice(-4)}`,
    },
    updateUserAlertSettings: {
      query: 'mutation($u: ID!, $m: String!) { r: updateUserAlertSettings(userId: $u, input: { mobile: $m }) { ok } }',
      vars: (t) => ({ u: `${t}:victim@test`, m: nextMobile() }),
      reached: async (d, t) => d.r.ok && (await mobileOf(t, 'victim@test')) === `+1512555${String(1000 + seq).slice(-4)}`,
    },
    notificationReceived: {
      query: 'subscription { notificationReceived { leadId } }',
      // The stream sends only what arrives after it starts: alerts keep arriving in both tenants' inboxes for the role for a while.
      vars: (_t, c) => {
        let n = 0;
        const timer = setInterval(() => {
          if (++n > 8) return clearInterval(timer);
          for (const x of ['t1', 't2'] as const)
            void notificationStore(h.mongo).send(
              x,
              [userInbox(`${x}:${c}@test`)],
              { leadId: `${x}-live`, kind: 'shared', message: 'live', at: Date.now() },
              `live${++liveSeq}`,
            );
        }, 600);
        return {};
      },
      reached: (d, t) => !!d.notificationReceived?.leadId.startsWith(`${t}-`),
      subscription: true,
    },
    createUser: {
      query: 'mutation($i: CreateUserInput!) { createUser(input: $i) { ok user { userId } } }',
      vars: () => ({ i: { email: `m${++seq}@matrix.test`, name: 'M', role: 'ops', password: PASSWORD } }),
      reached: (d, t) => !!d.createUser.user?.userId.startsWith(`${t}:`),
    },
    disableUser: { query: 'mutation($u: ID!) { disableUser(userId: $u) { ok } }', vars: (t) => ({ u: `${t}:victim@test` }), reached: (d) => d.disableUser.ok },
    enableUser: { query: 'mutation($u: ID!) { enableUser(userId: $u) { ok } }', vars: (t) => ({ u: `${t}:victim@test` }), reached: (d) => d.enableUser.ok },
    issueApiKey: { query: 'mutation { issueApiKey(sourceId: "src-2") { key } }', reached: async (d, t) => (await keyTenant(d.issueApiKey.key)) === t },
    rotateApiKey: { query: 'mutation { rotateApiKey(sourceId: "src-2") { key } }', reached: async (d, t) => (await keyTenant(d.rotateApiKey.key)) === t },
    revokeApiKey: {
      query: 'mutation($k: ID!) { revokeApiKey(sourceId: "src-2", keyId: $k) { ok } }',
      vars: async (t) => ({ k: (await apiKeys(h.mongo).issue(t, 'src-2', 'matrix')).info.id }),
      reached: (d) => d.revokeApiKey.ok,
    },
    upsertSource,
    deleteSource,
    upsertEndpoint,
    deleteEndpoint,
    upsertTerritory,
    deleteTerritory,
    upsertRotation,
    deleteRotation,
    upsertRoutingPlan,
    deleteRoutingPlan,
    importConfig: {
      query: 'mutation($text: String!) { importConfig(text: $text) { ok version } }',
      // The target tenant's own configuration, exported: importing it into another tenant is refused.
      vars: async (t) => ({ text: (await configs().exportText(t, 'json'))!.text }),
      reached: async (d, t) => d.importConfig.ok && (await configs().latest(t))!.version === d.importConfig.version,
    },
    // Tenant-distinguishing: each tenant's internal list holds a number of its own, put there for this row.
    suppressionLists: {
      query: '{ suppressionLists { scope added } }',
      vars: async (t) => {
        await suppressionStore(h.mongo).add([t === 't1' ? '+14695550301' : '+14695550302', t === 't1' ? '+14695550303' : '+14695550302'], {
          list: 'internal',
          tenantId: t,
        });
        return {};
      },
      reached: (d, t) => d.suppressionLists.some((l: { scope: string; added: number }) => l.scope === 'tenant' && l.added === (t === 't1' ? 2 : 1)),
    },
    addSuppressionEntries: {
      query: 'mutation($v: String!) { r: addSuppressionEntries(values: [$v]) { ok changed } }',
      vars: () => ({ v: `matrix${++seq}@example.com` }),
      reached: async (d, t) => d.r.ok && (await suppressionStore(h.mongo).check(undefined, `matrix${seq}@example.com`, { tenantId: t })).length > 0,
    },
    removeSuppressionEntry: {
      query: 'mutation($v: String!) { r: removeSuppressionEntry(value: $v) { ok changed } }',
      // An entry put into the target tenant's list first: reached when it is gone from there.
      vars: async (t) => {
        const v = `gone${++seq}@example.com`;
        await suppressionStore(h.mongo).add([v], { list: 'internal', tenantId: t });
        return { v };
      },
      reached: async (d, t) =>
        d.r.ok && d.r.changed === 1 && (await suppressionStore(h.mongo).check(undefined, `gone${seq}@example.com`, { tenantId: t })).length === 0,
    },
    createTenant: {
      query: 'mutation($id: ID!) { createTenant(id: $id, name: "Matrix", adminEmail: "a@matrix.example") { ok } }',
      vars: () => ({ id: `matrix-${++seq}` }),
      reached: (d) => d.createTenant?.ok === true,
    },
    submitLead: {
      query: 'mutation($s: ID, $p: JSON!) { submitLead(sourceId: $s, payload: $p) { ok leadId } }',
      vars: (_t, c) => ({ s: c === 'admin' || c === 'ops' ? 'src-1' : null, p: { phone_number: '2145550134', postal: '75201', ref: `m-${++seq}` } }),
      reached: async (d, t) => !!d.submitLead.leadId && (await intakeKeyModel(h.mongo).findById(d.submitLead.leadId).lean())?.tenantId === t,
    },
    claimLead: leadOp('mutation($id: ID!) { r: claimLead(leadId: $id) { ok errors { code } lead { id } } }', (t, c) => ({ id: leadFor(t, c) })),
    declineOffer: leadOp('mutation($id: ID!) { r: declineOffer(leadId: $id) { ok errors { code } lead { id } } }', (t, c) => ({ id: leadFor(t, c) })),
    viewLead: leadOp('mutation($id: ID!) { r: viewLead(leadId: $id) { ok errors { code } lead { id } } }', (t, c) => ({ id: leadFor(t, c) })),
    updateLeadStatus: leadOp('mutation($id: ID!) { r: updateLeadStatus(leadId: $id, status: contacted) { ok errors { code } lead { id } } }', (t, c) => ({
      id: leadFor(t, c),
    })),
    shareLead: leadOp('mutation($id: ID!, $u: ID!) { r: shareLead(leadId: $id, userId: $u, permission: view) { ok errors { code } lead { id } } }', (t, c) => ({
      id: ownLeadFor(t, c),
      u: `${t}:victim@test`,
    })),
    reassignLead: leadOp('mutation($id: ID!) { r: reassignLead(leadId: $id, toEndpointId: "loc-1") { ok errors { code } lead { id } } }', (t, c) => ({
      id: leadFor(t, c),
    })),
    approveLead: leadOp('mutation($id: ID!) { r: approveLead(leadId: $id) { ok errors { code } lead { id } } }', (t, c) => ({ id: leadFor(t, c) })),
    rejectLead: leadOp('mutation($id: ID!) { r: rejectLead(leadId: $id, reason: risk) { ok errors { code } lead { id } } }', (t, c) => ({ id: leadFor(t, c) })),
    releaseHeldLead: leadOp('mutation($id: ID!) { r: releaseHeldLead(leadId: $id) { ok errors { code } lead { id } } }', (t, c) => ({ id: leadFor(t, c) })),
    returnLead: leadOp('mutation($id: ID!) { r: returnLead(leadId: $id, reason: "wrong_number") { ok errors { code } lead { id } } }', (t, c) => ({
      id: ownLeadFor(t, c),
    })),
    simulateRouting: {
      query: '{ simulateRouting(lead: { sourceId: "src-1", zip: "75201" }) { ok decision { chosen { name } } } }',
      reached: (d, t) => d.simulateRouting.decision?.chosen[0]?.name === `Dallas of ${t}`,
    },
    leadExplanation: {
      query: 'query($id: ID!) { leadExplanation(id: $id) { decision { summary } } }',
      vars: (t) => ({ id: `${t}-delivered` }),
      reached: (d, t) => d.leadExplanation?.[0]?.decision.summary === `went to Buyer One of ${t}`,
    },
    leadHistory: {
      query: 'query($id: ID!) { leadHistory(id: $id) { leadId entries { kind } } }',
      vars: (t, c) => ({ id: leadFor(t, c) }),
      reached: (d, t) => !!d.leadHistory?.leadId.startsWith(`${t}-`) && d.leadHistory.entries.some((e: { kind: string }) => e.kind === 'received'),
    },
  };

  it('covers every operation of the schema with a row', async () => {
    expect(Object.keys(OPS).sort()).toEqual(Object.keys(EXPECTED).sort());
    const { body } = await h.gql(
      '{ __schema { queryType { fields { name } } mutationType { fields { name } } subscriptionType { fields { name } } } }',
      {},
      { token: h.tokens.t1!.admin },
    );
    const s = body.data.__schema;
    const all = [...s.queryType.fields, ...s.mutationType.fields, ...s.subscriptionType.fields].map((f: { name: string }) => f.name);
    // signIn and setPassword are public by design: they need no caller and name their tenant, and their credential is the
    // password or the one-time token (tested in access.int.test.ts and brand-setup.int.test.ts).
    expect(all.filter((n) => n !== 'signIn' && n !== 'setPassword').sort()).toEqual(Object.keys(OPS).sort());
  });

  async function call(op: OpCase, caller: Caller, callerTenant: Target, target: Target): Promise<GqlResponse> {
    const auth = caller === 'anon' ? undefined : caller === 'apikey' ? { apiKey: h.keys[callerTenant] } : { token: h.tokens[callerTenant]![caller] };
    const variables = op.vars ? await op.vars(target, caller) : {};
    if (!op.subscription) return h.gql(op.query, variables, auth);
    // Subscriptions: read the first server-sent event, then hang up.
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' };
    if (auth?.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth?.apiKey) headers['x-api-key'] = auth.apiKey;
    const ctl = new AbortController();
    const res = await fetch(`${h.base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query: op.query, variables }), signal: ctl.signal });
    const reader = res.body!.getReader();
    let text = '';
    const timeout = setTimeout(() => ctl.abort(), 5000);
    try {
      while (!/\n\n/.test(text.slice(text.indexOf('data:')))) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    } catch {
      // aborted: no event in time
    } finally {
      clearTimeout(timeout);
      ctl.abort();
    }
    const data = /data: ?(.*)/.exec(text)?.[1];
    return { status: res.status, body: data ? JSON.parse(data) : { errors: [{ message: 'no event' }] } };
  }

  async function verdict(op: OpCase, res: GqlResponse, target: Target): Promise<'Y' | '-'> {
    const code = res.body.errors?.[0]?.extensions?.code;
    if (code === 'FORBIDDEN' || code === 'UNAUTHENTICATED') return '-';
    if (res.body.errors?.length) throw new Error(`unexpected error: ${JSON.stringify(res.body.errors)}`);
    return (await op.reached(res.body.data, target)) ? 'Y' : '-';
  }

  for (const [name, op] of Object.entries(OPS)) {
    it(`${name}: own tenant ${EXPECTED[name]!.own.trim()} | other tenant ${EXPECTED[name]!.other.trim()}`, async () => {
      const own: string[] = [];
      const other: string[] = [];
      for (const caller of CALLERS) {
        own.push(await verdict(op, await call(op, caller, 't1', 't1'), 't1'));
        other.push(EXPECTED[name]!.other.includes('n') ? 'n' : await verdict(op, await call(op, caller, 't2', 't1'), 't1'));
      }
      expect({ own: own.join(' '), other: other.join(' ') }).toEqual({ own: EXPECTED[name]!.own.trim(), other: EXPECTED[name]!.other.trim() });
    });
  }
});
