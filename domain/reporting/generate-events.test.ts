import { describe, expect, it } from 'vitest';
import { applyLeadEvent, type LeadState } from '../lifecycle/lead-state.ts';
import { generateLeadEvents, SAMPLE_OPTIONS } from './generate-events.ts';

describe('generated lead event streams', () => {
  const leads = [...generateLeadEvents(SAMPLE_OPTIONS)];

  it('is deterministic for a seed', () => {
    expect([...generateLeadEvents({ ...SAMPLE_OPTIONS, leads: 50 })]).toEqual(leads.slice(0, 50));
    expect([...generateLeadEvents({ ...SAMPLE_OPTIONS, leads: 50, seed: 12 })]).not.toEqual(leads.slice(0, 50));
  });

  it('gives streams the lead reducer accepts: contiguous sequence, time never going back', () => {
    const broken: string[] = [];
    for (const events of leads) {
      events.forEach((e, i) => {
        if (e.seq !== i + 1 || (i > 0 && e.at < events[i - 1]!.at)) broken.push(e.id);
      });
      const s = events.reduce<LeadState | undefined>(applyLeadEvent, undefined)!;
      if (s.lastEventSeq !== events.length) broken.push(events[0]!.leadId);
    }
    expect(broken).toEqual([]);
  });

  it('mixes outcomes the way a month of real traffic does', () => {
    const states = leads.map((events) => events.reduce<LeadState | undefined>(applyLeadEvent, undefined)!);
    const share = (f: (s: LeadState) => boolean) => states.filter(f).length / states.length;
    expect(share((s) => s.status === 'rejected')).toBeGreaterThan(0.1);
    expect(share((s) => s.status === 'rejected')).toBeLessThan(0.2);
    expect(share((s) => s.billing === 'credited')).toBeGreaterThan(0.05);
    expect(share((s) => s.status === 'escalated' || s.status === 'undeliverable')).toBeGreaterThan(0.005);
    expect(share((s) => s.lapsedBy.length > 0)).toBeGreaterThan(0.03);
    expect(share((s) => s.priceCents !== undefined)).toBeGreaterThan(0.25);
    const events = leads.flat();
    expect(events.length / leads.length).toBeGreaterThan(6);
  });

  it('leaves out what has not happened yet', () => {
    const now = SAMPLE_OPTIONS.start + 31 * 86_400_000;
    const cut = [...generateLeadEvents({ ...SAMPLE_OPTIONS, now })];
    expect(cut.flat().every((e) => e.at <= now)).toBe(true);
    expect(cut.flat().length).toBeLessThan(leads.flat().length);
  });
});
