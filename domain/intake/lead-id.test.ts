import { describe, expect, it } from 'vitest';
import { canonicalJson, deriveLeadId } from './lead-id.ts';

describe('lead id', () => {
  it('is the same for the same tenant, source and external id, whatever the payload', () => {
    expect(deriveLeadId('t', 's', 'x-1', { a: 1 })).toBe(deriveLeadId('t', 's', 'x-1', { a: 2 }));
  });
  it('differs across tenants, sources and external ids', () => {
    const ids = new Set([
      deriveLeadId('t', 's', 'x-1', {}),
      deriveLeadId('t2', 's', 'x-1', {}),
      deriveLeadId('t', 's2', 'x-1', {}),
      deriveLeadId('t', 's', 'x-2', {}),
    ]);
    expect(ids.size).toBe(4);
  });
  it('hashes the payload, in any key order, when there is no external id', () => {
    expect(deriveLeadId('t', 's', undefined, { b: 2, a: { d: 1, c: [1, 2] } })).toBe(deriveLeadId('t', 's', '', { a: { c: [1, 2], d: 1 }, b: 2 }));
    expect(deriveLeadId('t', 's', undefined, { a: 1 })).not.toBe(deriveLeadId('t', 's', undefined, { a: 2 }));
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
  });
  it('is short, lower-case and safe in urls and workflow ids', () => {
    expect(deriveLeadId('t', 's', 'x', {})).toMatch(/^L[a-z2-7]{24}$/);
  });
});
