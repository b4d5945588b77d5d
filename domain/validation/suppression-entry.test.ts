import { describe, expect, it } from 'vitest';
import { detectCsvLayout, normaliseSuppressionValue, rowValues } from './suppression-entry.ts';

describe('suppression list entries', () => {
  it('stores phones as E.164 and emails in lower case', () => {
    expect(normaliseSuppressionValue('(214) 555-0134')).toEqual({ ok: true, entry: { kind: 'phone', value: '+12145550134' } });
    expect(normaliseSuppressionValue(' Ada@Example.COM ')).toEqual({ ok: true, entry: { kind: 'email', value: 'ada@example.com' } });
    expect(normaliseSuppressionValue('07911 123456', 'GB')).toEqual({ ok: true, entry: { kind: 'phone', value: '+447911123456' } });
    expect(normaliseSuppressionValue('555')).toEqual({ ok: false, message: '"555" is not a valid phone number' });
    expect(normaliseSuppressionValue('')).toEqual({ ok: false, message: 'empty value' });
  });

  it('reads a header row, or takes a headerless row as one value', () => {
    const layout = detectCsvLayout(['Name', 'Phone Number', 'E-mail']);
    expect(layout).toEqual({ header: true, phoneColumn: 1, emailColumn: 2 });
    expect(rowValues(['Ada', '2145550134', 'ada@example.com'], layout)).toEqual(['2145550134', 'ada@example.com']);
    expect(rowValues(['Ada', '', ''], layout)).toEqual([]);
    const bare = detectCsvLayout(['214', '5550134']);
    expect(bare).toEqual({ header: false });
    expect(rowValues(['214', '5550134'], bare)).toEqual(['2145550134']);
    expect(rowValues(['x@y.com'], bare)).toEqual(['x@y.com']);
  });
});
