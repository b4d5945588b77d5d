import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../lifecycle/actor.ts';
import {
  can,
  canReadReports,
  contactView,
  historyDetail,
  leadFieldAccess,
  leadScope,
  OPERATIONS,
  reportScope,
  type LeadAccessView,
  type Operation,
  type Principal,
} from './policy.ts';

const actors: Record<Role, Actor> = {
  admin: { userId: 't1:admin@x', role: 'admin', tenantId: 't1' },
  ops: { userId: 't1:ops@x', role: 'ops', tenantId: 't1' },
  manager: { userId: 't1:mgr@x', role: 'manager', tenantId: 't1' },
  agent: { userId: 't1:agent@x', role: 'agent', tenantId: 't1', endpointId: 'ag-1' },
  vendor: { userId: 't1:vendor@x', role: 'vendor', tenantId: 't1', sourceId: 'src-1' },
  buyer: { userId: 't1:buyer@x', role: 'buyer', tenantId: 't1', endpointId: 'buy-1' },
};
const user = (role: Role): Principal => ({ actor: actors[role], via: 'user' });

// Written out in full: a change to the role table must change this test too.
// Y: the role may attempt the operation; '-': FORBIDDEN whatever the resource.
const EXPECTED: Record<Operation, string> = {
  //                     admin ops manager agent vendor buyer
  'tenant.read': '        Y Y Y Y Y Y',
  'health.read': '        Y Y - - - -',
  'user.list': '          Y - - - - -',
  'user.manage': '        Y - - - - -',
  'apiKey.manage': '      Y Y - - - -',
  'suppression.read': '   Y Y Y - - -',
  'suppression.manage': ' Y Y - - - -',
  'config.read': '        Y Y Y - - -',
  'config.write': '       Y Y - - - -',
  'config.import': '      Y - - - - -',
  'config.history': '     Y Y Y - - -',
  'lead.submit': '        Y Y - - Y -',
  'lead.read': '          Y Y Y Y Y Y',
  'lead.list': '          Y Y Y Y Y Y',
  'portal.vendor': '      - - - - Y -',
  'portal.buyer': '       - - - - - Y',
  'offers.subscribe': '   Y Y Y Y - -',
  'lead.claim': '         Y Y Y Y - -',
  'lead.share': '         Y Y Y Y - -',
  'lead.updateStatus': '  Y Y Y Y - -',
  'lead.reassign': '      Y Y Y - - -',
  'lead.release': '       Y Y Y - - -',
  'lead.review': '        Y Y Y - - -',
  'lead.return': '        Y Y Y Y - Y',
  'lead.view': '          Y Y Y Y Y Y',
  'lead.decline': '       - - - Y - -',
  'lead.history': '       Y Y Y Y - -',
  'lead.explain': '       Y Y Y - - -',
  'offers.read': '        Y Y Y Y - -',
  'routing.simulate': '   Y Y Y - - -',
  'reports.read': '       Y Y Y - - -',
  'reports.vendor': '     - - - - Y -',
  'reports.buyer': '      - - - - - Y',
  'notifications.read': ' Y Y Y Y Y Y',
  'alerts.configure': '   Y Y Y Y Y Y',
};
const ROLE_ORDER: Role[] = ['admin', 'ops', 'manager', 'agent', 'vendor', 'buyer'];

const lead = (over: Partial<LeadAccessView> = {}): LeadAccessView => ({
  tenantId: 't1',
  sourceId: 'src-1',
  offeredTo: [],
  collaborators: [],
  ...over,
});

describe('access policy', () => {
  it('has an expected row for every operation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...OPERATIONS].sort());
  });

  for (const op of OPERATIONS) {
    it(`role table: ${op}`, () => {
      const row = EXPECTED[op].trim().split(/\s+/);
      ROLE_ORDER.forEach((role, i) => {
        const d = can(user(role), op);
        expect({ role, allow: d.allow }).toEqual({ role, allow: row[i] === 'Y' });
        if (!d.allow) expect(d.code).toBe('FORBIDDEN');
      });
    });
  }

  it('hides every resource of another tenant, whatever the role', () => {
    for (const role of ROLE_ORDER) {
      for (const op of OPERATIONS) {
        const d = can(user(role), op, { kind: 'tenant', tenantId: 't2' });
        expect(d).toMatchObject({ allow: false, code: 'NOT_FOUND' });
      }
      expect(
        can(user(role), 'lead.read', { kind: 'lead', lead: lead({ tenantId: 't2', ownerEndpointId: 'ag-1', deliveredTo: 'buy-1', deliveredAt: 1 }) }),
      ).toMatchObject({ allow: false, code: 'NOT_FOUND' });
    }
  });

  it('lets an API key submit for its own source only, and do nothing else', () => {
    const key: Principal = { actor: { userId: 'apikey:abc', role: 'vendor', tenantId: 't1', sourceId: 'src-1' }, via: 'api_key' };
    expect(can(key, 'lead.submit', { kind: 'source', tenantId: 't1', sourceId: 'src-1' }).allow).toBe(true);
    expect(can(key, 'lead.submit', { kind: 'source', tenantId: 't1', sourceId: 'src-2' })).toMatchObject({ allow: false, code: 'FORBIDDEN' });
    for (const op of OPERATIONS.filter((o) => o !== 'lead.submit')) expect(can(key, op).allow).toBe(false);
  });

  it('lets vendors submit for their own source, staff for any', () => {
    expect(can(user('vendor'), 'lead.submit', { kind: 'source', tenantId: 't1', sourceId: 'src-2' }).allow).toBe(false);
    expect(can(user('ops'), 'lead.submit', { kind: 'source', tenantId: 't1', sourceId: 'src-2' }).allow).toBe(true);
    expect(can({ actor: { ...actors.vendor, sourceId: undefined }, via: 'user' }, 'lead.submit').allow).toBe(false);
  });

  it('shows agents only leads offered to, owned by or shared with them', () => {
    const agent = user('agent');
    const read = (l: LeadAccessView) => can(agent, 'lead.read', { kind: 'lead', lead: l });
    expect(read(lead({ offeredTo: ['ag-1', 'ag-2'] })).allow).toBe(true);
    expect(read(lead({ ownerEndpointId: 'ag-1' })).allow).toBe(true);
    expect(read(lead({ ownerEndpointId: 'ag-9', collaborators: [{ userId: 't1:agent@x', permission: 'view', by: 'x', at: 0 }] })).allow).toBe(true);
    expect(read(lead({ ownerEndpointId: 'ag-9' }))).toMatchObject({ allow: false, code: 'NOT_FOUND' });
    expect(read(lead({ offeredTo: ['ag-2'] })).allow).toBe(false);
  });

  it('lets an agent return or share only a lead it owns', () => {
    const agent = user('agent');
    const offered = { kind: 'lead' as const, lead: lead({ offeredTo: ['ag-1'] }) };
    const owned = { kind: 'lead' as const, lead: lead({ ownerEndpointId: 'ag-1', deliveredTo: 'ag-1', deliveredAt: 1 }) };
    expect(can(agent, 'lead.return', offered)).toMatchObject({ allow: false, code: 'FORBIDDEN' });
    expect(can(agent, 'lead.share', offered)).toMatchObject({ allow: false, code: 'FORBIDDEN' });
    expect(can(agent, 'lead.return', owned).allow).toBe(true);
    expect(can(agent, 'lead.share', owned).allow).toBe(true);
    expect(can(agent, 'lead.claim', offered).allow).toBe(true);
  });

  it('shows vendors their source and buyers their deliveries, nothing else', () => {
    expect(can(user('vendor'), 'lead.read', { kind: 'lead', lead: lead() }).allow).toBe(true);
    expect(can(user('vendor'), 'lead.read', { kind: 'lead', lead: lead({ sourceId: 'src-2' }) }).allow).toBe(false);
    expect(can(user('buyer'), 'lead.read', { kind: 'lead', lead: lead({ deliveredTo: 'buy-1', deliveredAt: 5 }) }).allow).toBe(true);
    expect(can(user('buyer'), 'lead.read', { kind: 'lead', lead: lead({ deliveredTo: 'buy-2', deliveredAt: 5 }) }).allow).toBe(false);
    expect(can(user('buyer'), 'lead.read', { kind: 'lead', lead: lead({ deliveredTo: 'buy-1' }) }).allow).toBe(false);
  });

  it('keeps report slices to the vendor’s source and the buyer’s endpoint', () => {
    expect(can(user('vendor'), 'reports.vendor', { kind: 'source', tenantId: 't1', sourceId: 'src-1' }).allow).toBe(true);
    expect(can(user('vendor'), 'reports.vendor', { kind: 'source', tenantId: 't1', sourceId: 'src-2' }).allow).toBe(false);
    expect(can(user('buyer'), 'reports.buyer', { kind: 'endpoint', tenantId: 't1', endpointId: 'buy-1' }).allow).toBe(true);
    expect(can(user('buyer'), 'reports.buyer', { kind: 'endpoint', tenantId: 't1', endpointId: 'buy-2' }).allow).toBe(false);
  });

  it('gives staff any slice of their tenant’s reports, vendors and buyers only their own, agents and API keys none', () => {
    for (const role of ['admin', 'ops', 'manager'] as const) {
      expect(canReadReports(user(role)).allow).toBe(true);
      expect(reportScope(user(role), 'source', undefined)).toEqual({ allow: true, scope: { tenantId: 't1' } });
      expect(reportScope(user(role), 'source', 'src-2')).toEqual({ allow: true, scope: { tenantId: 't1', sourceId: 'src-2' } });
      expect(reportScope(user(role), 'endpoint', 'buy-1')).toEqual({ allow: true, scope: { tenantId: 't1', endpointId: 'buy-1' } });
    }
    const vendor = user('vendor');
    expect(reportScope(vendor, 'source', undefined)).toEqual({ allow: true, scope: { tenantId: 't1', sourceId: 'src-1' } });
    expect(reportScope(vendor, 'source', 'src-1')).toEqual({ allow: true, scope: { tenantId: 't1', sourceId: 'src-1' } });
    expect(reportScope(vendor, 'source', 'src-2')).toEqual({ allow: false, code: 'FORBIDDEN', reason: 'vendors see only their own source' });
    expect(reportScope(vendor, 'endpoint', undefined)).toEqual({ allow: false, code: 'FORBIDDEN', reason: 'the vendor role may not read endpoint reports' });
    expect(reportScope({ actor: { ...actors.vendor, sourceId: undefined }, via: 'user' }, 'source', undefined)).toMatchObject({
      allow: false,
      reason: 'this vendor user is bound to no source',
    });
    const buyer = user('buyer');
    expect(reportScope(buyer, 'endpoint', undefined)).toEqual({ allow: true, scope: { tenantId: 't1', endpointId: 'buy-1' } });
    expect(reportScope(buyer, 'endpoint', 'buy-2')).toEqual({ allow: false, code: 'FORBIDDEN', reason: 'buyers see only their own deliveries' });
    expect(reportScope(buyer, 'source', undefined)).toMatchObject({ allow: false, code: 'FORBIDDEN' });
    expect(canReadReports(user('agent'))).toEqual({ allow: false, code: 'FORBIDDEN', reason: 'the agent role may not read reports' });
    expect(reportScope(user('agent'), 'endpoint', 'ag-1')).toMatchObject({ allow: false, code: 'FORBIDDEN' });
    expect(canReadReports({ actor: actors.vendor, via: 'api_key' })).toEqual({ allow: false, code: 'FORBIDDEN', reason: 'an API key may only submit leads' });
  });

  it('scopes listings by role', () => {
    expect(leadScope(actors.manager)).toEqual({ kind: 'tenant' });
    expect(leadScope(actors.agent)).toEqual({ kind: 'agent', endpointId: 'ag-1', userId: 't1:agent@x' });
    expect(leadScope(actors.vendor)).toEqual({ kind: 'source', sourceId: 'src-1' });
    expect(leadScope(actors.buyer)).toEqual({ kind: 'delivered_to', endpointId: 'buy-1' });
    expect(leadScope({ ...actors.buyer, endpointId: undefined })).toEqual({ kind: 'none' });
  });

  it('shows personal data in clear, masked or not at all by role and relation', () => {
    const owned = lead({ ownerEndpointId: 'ag-1', deliveredTo: 'buy-1', deliveredAt: 3 });
    const offered = lead({ offeredTo: ['ag-1'] });
    const sharedAct = lead({ ownerEndpointId: 'ag-9', collaborators: [{ userId: 't1:agent@x', permission: 'act', by: 'm', at: 0 }] });
    const sharedView = lead({ ownerEndpointId: 'ag-9', collaborators: [{ userId: 't1:agent@x', permission: 'view', by: 'm', at: 0 }] });
    expect(contactView(actors.ops, offered)).toBe('clear');
    expect(contactView(actors.agent, owned)).toBe('clear');
    expect(contactView(actors.agent, sharedAct)).toBe('clear');
    expect(contactView(actors.agent, offered)).toBe('masked');
    expect(contactView(actors.agent, sharedView)).toBe('masked');
    expect(contactView(actors.agent, lead({ ownerEndpointId: 'ag-9' }))).toBe('none');
    expect(contactView(actors.vendor, owned)).toBe('masked');
    expect(contactView(actors.buyer, owned)).toBe('clear');
    expect(contactView(actors.buyer, offered)).toBe('none');
    expect(contactView(actors.admin, { ...owned, tenantId: 't2' })).toBe('none');
  });

  it('keeps prices, costs and routing to the roles that need them', () => {
    const owned = lead({ ownerEndpointId: 'ag-1', deliveredTo: 'buy-1', deliveredAt: 3 });
    expect(leadFieldAccess(actors.manager, owned)).toEqual({ cost: true, price: true, routing: true, assignment: true });
    expect(leadFieldAccess(actors.vendor, owned)).toEqual({ cost: true, price: false, routing: false, assignment: false });
    expect(leadFieldAccess(actors.buyer, owned)).toEqual({ cost: false, price: true, routing: false, assignment: false });
    expect(leadFieldAccess(actors.agent, owned)).toEqual({ cost: false, price: false, routing: false, assignment: true });
  });

  it('gives staff the full history, agents the events of their own leads, nobody else any', () => {
    const offered = lead({ offeredTo: ['ag-1'] });
    expect(historyDetail(actors.ops, offered)).toBe('full');
    expect(historyDetail(actors.manager, offered)).toBe('full');
    expect(historyDetail(actors.agent, offered)).toBe('events');
    expect(historyDetail(actors.agent, lead({ ownerEndpointId: 'ag-9' }))).toBe('none');
    expect(historyDetail(actors.vendor, offered)).toBe('none');
    expect(historyDetail(actors.buyer, lead({ deliveredTo: 'buy-1', deliveredAt: 3 }))).toBe('none');
    expect(historyDetail(actors.admin, { ...offered, tenantId: 't2' })).toBe('none');
    expect(can(user('agent'), 'lead.history', { kind: 'lead', lead: lead({ ownerEndpointId: 'ag-9' }) })).toMatchObject({ allow: false, code: 'NOT_FOUND' });
  });
});
