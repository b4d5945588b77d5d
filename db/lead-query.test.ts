import { describe, expect, it } from 'vitest';
import { conjoin, decodeCursor, encodeCursor, scopeFilter } from './lead-query.ts';

describe('lead listing helpers', () => {
  it('round-trips a cursor and refuses anything it did not make', () => {
    const c = encodeCursor({ receivedAt: 1_790_000_000_000, leadId: 'Labc' });
    expect(decodeCursor(c)).toEqual({ receivedAt: 1_790_000_000_000, leadId: 'Labc' });
    for (const bad of [
      '',
      'garbage',
      Buffer.from('[1]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["x","y"]').toString('base64url'),
    ]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
  });

  it('turns each role scope into a filter, and "none" into no query at all', () => {
    expect(scopeFilter({ kind: 'tenant' })).toEqual({});
    expect(scopeFilter({ kind: 'agent', endpointId: 'ag-1', userId: 'u' })).toEqual({
      $or: [{ offeredTo: 'ag-1' }, { ownerEndpointId: 'ag-1' }, { 'collaborators.userId': 'u' }],
    });
    expect(scopeFilter({ kind: 'agent', userId: 'u' })).toEqual({ $or: [{ 'collaborators.userId': 'u' }] });
    expect(scopeFilter({ kind: 'source', sourceId: 's' })).toEqual({ sourceId: 's' });
    expect(scopeFilter({ kind: 'delivered_to', endpointId: 'b' })).toEqual({ deliveredTo: 'b', deliveredAt: { $exists: true } });
    expect(scopeFilter({ kind: 'none' })).toBeUndefined();
  });

  it('lifts the fields of a conjunction to the top level where that keeps its meaning', () => {
    expect(conjoin([{ tenantId: 't' }, {}, { sourceId: 's', serviceLine: 'roof' }])).toEqual({ tenantId: 't', sourceId: 's', serviceLine: 'roof' });
    // Operators, and a field a second clause names again, stay under $and: both conditions must hold.
    expect(conjoin([{ tenantId: 't' }, { sourceId: 's' }, { $or: [{ a: 1 }, { b: 1 }] }, { sourceId: 'other' }])).toEqual({
      tenantId: 't',
      sourceId: 's',
      $and: [{ $or: [{ a: 1 }, { b: 1 }] }, { sourceId: 'other' }],
    });
    expect(conjoin([])).toEqual({});
  });
});
