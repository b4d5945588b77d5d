import { describe, expect, it } from 'vitest';
import { inQuietHours, planChannels } from './alert-channels.ts';
import { alertText } from './alert-text.ts';
import { signClaimLink, verifyClaimLink } from './claim-link.ts';
import { recipientsOf, type Person, type Placement } from './recipients.ts';

// 2026-12-02 03:30 UTC is 21:30 the evening before in Chicago, 22:30 in New York.
const NIGHT_CHICAGO = Date.UTC(2026, 11, 3, 3, 30);
// 2026-12-02 18:00 UTC is noon in Chicago.
const NOON_CHICAGO = Date.UTC(2026, 11, 2, 18, 0);

describe('alert channels', () => {
  it('offers go in-app, by email and by SMS by default; claimed-by-someone-else only in-app', () => {
    const p = { email: 'ann@acme.test', alerts: { mobile: '+15125550100' } };
    expect(planChannels(p, 'offered', NOON_CHICAGO, 'America/Chicago')).toEqual({ send: ['in_app', 'email', 'sms'], skipped: [] });
    expect(planChannels(p, 'claimed', NOON_CHICAGO, 'America/Chicago').send).toEqual(['in_app']);
  });

  it('holds SMS back in the quiet hours of the person’s own zone, and still sends in-app and email', () => {
    const p = { email: 'ann@acme.test', alerts: { mobile: '+15125550100' } };
    expect(planChannels(p, 'offered', NIGHT_CHICAGO, 'America/Chicago')).toEqual({
      send: ['in_app', 'email'],
      skipped: [{ channel: 'sms', reason: 'quiet_hours' }],
    });
    // In Los Angeles it is 19:30: not quiet.
    expect(planChannels({ ...p, alerts: { ...p.alerts, timeZone: 'America/Los_Angeles' } }, 'offered', NIGHT_CHICAGO, 'America/Chicago').send).toContain('sms');
    // Quiet hours turned off.
    expect(planChannels({ ...p, alerts: { ...p.alerts, quietHours: null } }, 'offered', NIGHT_CHICAGO, 'America/Chicago').send).toContain('sms');
  });

  it('reads windows that span midnight and ones that do not', () => {
    expect(inQuietHours({ start: '21:00', end: '08:00' }, 'America/Chicago', NIGHT_CHICAGO)).toBe(true);
    expect(inQuietHours({ start: '21:00', end: '08:00' }, 'America/Chicago', NOON_CHICAGO)).toBe(false);
    expect(inQuietHours({ start: '12:00', end: '13:00' }, 'America/Chicago', NOON_CHICAGO)).toBe(true);
    expect(inQuietHours({ start: '09:00', end: '09:00' }, 'America/Chicago', NOON_CHICAGO)).toBe(false);
  });

  it('follows the person’s choice per kind, and names why a channel is skipped', () => {
    const p = { email: 'ann@acme.test', alerts: { channels: { offered: ['sms' as const], lapsed: [] } } };
    expect(planChannels(p, 'offered', NOON_CHICAGO, 'UTC')).toEqual({ send: [], skipped: [{ channel: 'sms', reason: 'no_mobile' }] });
    expect(planChannels(p, 'lapsed', NOON_CHICAGO, 'UTC')).toEqual({ send: [], skipped: [] });
  });
});

describe('who is told', () => {
  const placements = new Map<string, Placement>([
    ['agent-1', { teamId: 'team-n', locationId: 'dallas' }],
    ['agent-2', { locationId: 'dallas' }],
    ['agent-9', { locationId: 'austin' }],
    ['team-n', { locationId: 'dallas' }],
  ]);
  const people: Person[] = [
    { userId: 'ann', name: 'Ann', role: 'agent', endpointId: 'agent-1' },
    { userId: 'bob', name: 'Bob', role: 'agent', endpointId: 'agent-2' },
    { userId: 'dee', name: 'Dee', role: 'agent', endpointId: 'dallas' },
    { userId: 'max', name: 'Max', role: 'manager', endpointId: 'dallas' },
    { userId: 'amy', name: 'Amy', role: 'manager', endpointId: 'austin' },
    { userId: 'hq', name: 'HQ', role: 'manager' },
    { userId: 'old', name: 'Old', role: 'agent', endpointId: 'agent-1', disabled: true },
    { userId: 'ops', name: 'Ops', role: 'ops' },
  ];
  const ids = (ps: Person[]) => ps.map((p) => p.userId);

  it('tells the people bound to the endpoints, a location’s staff included, never a disabled user', () => {
    expect(ids(recipientsOf({ endpointIds: ['agent-1'] }, people, placements))).toEqual(['ann']);
    expect(ids(recipientsOf({ endpointIds: ['dallas'] }, people, placements))).toEqual(['dee', 'max']);
  });

  it('tells the managers over what the notice concerns (through team and location), and the tenant’s managers', () => {
    expect(ids(recipientsOf({ endpointIds: [], managers: true, concerns: ['agent-1'] }, people, placements))).toEqual(['max', 'hq']);
    expect(ids(recipientsOf({ endpointIds: [], managers: true, concerns: ['agent-9'] }, people, placements))).toEqual(['amy', 'hq']);
    expect(ids(recipientsOf({ endpointIds: [], managers: true }, people, placements))).toEqual(['max', 'amy', 'hq']);
  });

  it('tells the person named, and never the one who acted', () => {
    expect(ids(recipientsOf({ endpointIds: [], userIds: ['bob'], except: 'ann' }, people, placements))).toEqual(['bob']);
    expect(ids(recipientsOf({ endpointIds: ['agent-1', 'agent-2'], managers: true, concerns: ['agent-2'], except: 'max' }, people, placements))).toEqual([
      'ann',
      'bob',
      'hq',
    ]);
  });
});

describe('claim links', () => {
  const claims = { tenantId: 'acme', leadId: 'L1', round: 2, userId: 'acme:ann@acme.test', expiresAt: NOON_CHICAGO + 300_000 };

  it('carry tenant, lead, round, user and deadline, signed', () => {
    const token = signClaimLink('s'.repeat(32), claims);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(verifyClaimLink('s'.repeat(32), token, NOON_CHICAGO)).toEqual({ ok: true, claims });
  });

  it('are refused when altered, signed with another secret, malformed or past the deadline', () => {
    const token = signClaimLink('s'.repeat(32), claims);
    const forged = signClaimLink('t'.repeat(32), { ...claims, userId: 'acme:bob@acme.test' });
    const [, sig] = token.split('.');
    const [body] = forged.split('.');
    expect(verifyClaimLink('s'.repeat(32), `${body}.${sig}`, NOON_CHICAGO)).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyClaimLink('s'.repeat(32), forged, NOON_CHICAGO)).toMatchObject({ ok: false, code: 'bad_signature' });
    expect(verifyClaimLink('s'.repeat(32), 'not-a-token', NOON_CHICAGO)).toMatchObject({ ok: false, code: 'malformed' });
    expect(verifyClaimLink('s'.repeat(32), token, claims.expiresAt)).toMatchObject({ ok: false, code: 'expired', message: expect.stringMatching(/deadline/) });
  });
});

describe('alert words', () => {
  const lead = { leadId: 'L1', serviceLine: 'plumbing', area: 'Frisco, TX 75034' };
  const nameOf = (id: string) => ({ 'agent-1': 'Ann Agent', 'agent-2': 'Bob Agent', max: 'Max Manager' })[id] ?? id;

  it('an offer names the service line, the area and the deadline in the reader’s zone, and carries the link', () => {
    const t = alertText('offered', { round: 1, deadlineAt: NOON_CHICAGO }, { lead, nameOf, timeZone: 'America/Chicago', link: 'https://x.test/claim/abc' });
    expect(t.subject).toBe('New plumbing lead in Frisco, TX 75034: claim by Dec 2, 12:00 PM CST');
    expect(t.text).toContain('Open it: https://x.test/claim/abc');
    expect(t.text).toContain('does not claim it');
    expect(t.sms).toBe('New plumbing lead in Frisco, TX 75034. Claim by Dec 2, 12:00 PM CST: https://x.test/claim/abc');
  });

  it('a lapse tells the managers who let it lapse and who has it now', () => {
    expect(alertText('lapsed', { lapsedBy: ['agent-1'], nowWith: ['agent-2'] }, { lead, nameOf, timeZone: 'UTC' }).sms).toBe(
      'Ann Agent let the offer of a plumbing lead in Frisco, TX 75034 lapse; it is now offered to Bob Agent.',
    );
    expect(alertText('lapsed', { lapsedBy: ['agent-1'] }, { lead, nameOf, timeZone: 'UTC' }).sms).toMatch(/^The claim deadline passed/);
  });

  it('escalation, reassignment, sharing, claims by others, returns and holds each say what happened', () => {
    const c = { lead, nameOf, timeZone: 'UTC' };
    expect(alertText('escalated', { reason: '3 offer(s) lapsed unclaimed' }, c).subject).toBe('Needs a manager: plumbing lead in Frisco, TX 75034');
    expect(alertText('reassigned', { by: 'max', nowWith: ['agent-2'] }, c).sms).toBe(
      'Max Manager reassigned a plumbing lead in Frisco, TX 75034 to Bob Agent.',
    );
    expect(alertText('shared', { by: 'max', permission: 'act' }, c).sms).toBe('Max Manager shared a plumbing lead in Frisco, TX 75034 with you (act).');
    expect(alertText('claimed', {}, c).sms).toMatch(/claimed by someone else/);
    expect(alertText('returned', { by: 'agent-1', reason: 'wrong_number' }, c).sms).toBe(
      'Ann Agent returned a plumbing lead in Frisco, TX 75034 (wrong number).',
    );
    expect(alertText('held', { reason: 'everyone is closed', until: NOON_CHICAGO }, c).sms).toBe(
      'A plumbing lead in Frisco, TX 75034 is held until Dec 2, 6:00 PM UTC: everyone is closed.',
    );
  });
});
