import { describe, expect, it } from 'vitest';
import { isDuplicateKey, onlyDuplicateKeys, writeErrorsOf } from './duplicate-key.ts';

describe('duplicate-key errors', () => {
  it('recognises a single write refused by a unique index, and nothing else', () => {
    expect(isDuplicateKey({ code: 11000 })).toBe(true);
    expect(isDuplicateKey({ code: 121 })).toBe(false);
    expect(isDuplicateKey(new Error('boom'))).toBe(false);
    expect(isDuplicateKey(undefined)).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
  });

  it('accepts a bulk write only when every refusal is a duplicate key', () => {
    expect(onlyDuplicateKeys({ code: 11000 })).toBe(true);
    expect(onlyDuplicateKeys({ code: 11000, writeErrors: [{ code: 11000 }, { err: { code: 11000 } }] })).toBe(true);
    expect(onlyDuplicateKeys({ code: 11000, writeErrors: [{ code: 11000 }, { code: 121 }] })).toBe(false);
    expect(onlyDuplicateKeys({ code: 11000, writeErrors: [] })).toBe(false);
    expect(onlyDuplicateKeys({ writeErrors: { code: 11000 } })).toBe(true);
    expect(onlyDuplicateKeys(new Error('network'))).toBe(false);
  });

  it('hands write errors over as an array whichever way the driver gave them', () => {
    expect(writeErrorsOf({ writeErrors: { index: 2, code: 11000 } })).toEqual([{ index: 2, code: 11000 }]);
    expect(writeErrorsOf({ writeErrors: [{ index: 0 }, { index: 1 }] })).toHaveLength(2);
    expect(writeErrorsOf({ code: 11000 })).toBeUndefined();
  });
});
