import { Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar, JsonScalar } from './scalars.ts';

describe('scalars', () => {
  it('DateTime: epoch milliseconds out as ISO text, ISO text in as milliseconds', () => {
    expect(DateTimeScalar.serialize(Date.UTC(2026, 10, 23, 15))).toBe('2026-11-23T15:00:00.000Z');
    expect(DateTimeScalar.serialize(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(DateTimeScalar.parseValue('2026-11-23T15:00:00Z')).toBe(Date.UTC(2026, 10, 23, 15));
    expect(DateTimeScalar.parseValue('2026-11-23')).toBe(Date.UTC(2026, 10, 23));
    expect(DateTimeScalar.parseValue('2026-11-23T10:00:00-05:00')).toBe(Date.UTC(2026, 10, 23, 15));
    expect(() => DateTimeScalar.parseValue('tomorrow')).toThrow(/not an ISO 8601 date-time/);
    expect(() => DateTimeScalar.parseValue(1234)).toThrow();
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '5' }, {})).toThrow(/ISO 8601 string/);
  });

  it('JSON: literals become plain values, variables included', () => {
    const ast = {
      kind: Kind.OBJECT,
      fields: [
        {
          kind: Kind.OBJECT_FIELD,
          name: { kind: Kind.NAME, value: 'a' },
          value: { kind: Kind.LIST, values: [{ kind: Kind.INT, value: '1' }, { kind: Kind.NULL }] },
        },
        { kind: Kind.OBJECT_FIELD, name: { kind: Kind.NAME, value: 'b' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: 'v' } } },
      ],
    } as never;
    expect(JsonScalar.parseLiteral(ast, { v: 'x' })).toEqual({ a: [1, null], b: 'x' });
  });
});
