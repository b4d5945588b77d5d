import { describe, expect, it } from 'vitest';
import { apiCode, ERROR_CODES, problemsOf, refused, succeeded, toUserError } from './payload.ts';

describe('the error contract', () => {
  it('gives every code in UPPER_SNAKE_CASE, whatever casing the service or rule used', () => {
    expect(apiCode('already_claimed')).toBe('ALREADY_CLAIMED');
    expect(apiCode('not_offered_to_you')).toBe('NOT_OFFERED_TO_YOU');
    expect(apiCode('NOT_FOUND')).toBe('NOT_FOUND');
    expect(apiCode('notFound')).toBe('NOT_FOUND');
    expect(apiCode('')).toBe('REFUSED');
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it('shapes successes and refusals alike: ok, errors, and the result fields', () => {
    expect(succeeded({ version: 3 })).toEqual({ ok: true, errors: [], version: 3 });
    expect(refused({ code: 'deadline_passed', message: 'The claim deadline for this offer has passed.' }, { lead: null })).toEqual({
      ok: false,
      errors: [{ code: 'DEADLINE_PASSED', message: 'The claim deadline for this offer has passed.' }],
      lead: null,
    });
  });

  it('keeps the field at fault, a configuration path as the field, and the line and column of a syntax error', () => {
    expect(toUserError({ code: 'invalid_input', message: 'must be at most 1000 characters.', field: 'note' })).toEqual({
      code: 'INVALID_INPUT',
      message: 'must be at most 1000 characters.',
      field: 'note',
    });
    expect(
      problemsOf('INVALID_CONFIG', [
        { path: 'endpoints[12].territories[3].zips', message: 'is not a ZIP' },
        { path: '', message: 'bad indentation', line: 4, column: 2 },
      ]).map(toUserError),
    ).toEqual([
      { code: 'INVALID_CONFIG', message: 'is not a ZIP', field: 'endpoints[12].territories[3].zips' },
      { code: 'INVALID_CONFIG', message: 'bad indentation', line: 4, column: 2 },
    ]);
  });
});
