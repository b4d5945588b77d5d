import { describe, expect, it } from 'vitest';
import { maskContact, pageArgs } from './lead-fields.ts';

describe('lead field helpers', () => {
  it('masks phone, email, street and IP, keeps the first name, the last name’s initial and the market', () => {
    expect(
      maskContact({
        firstName: 'Ada',
        lastName: 'Lovelace',
        phone: '(214) 555-0134',
        phoneE164: '+12145550134',
        email: 'ada@example.com',
        street: '1200 Main Street',
        city: 'Dallas',
        state: 'TX',
        zip: '75201',
        consentIp: '203.0.113.7',
        fields: { budget: '5000' },
      }),
    ).toEqual({
      firstName: 'Ada',
      lastName: 'L.',
      phone: '•••-•••-0134',
      email: 'a•••@example.com',
      street: '••• M••• S•••',
      city: 'Dallas',
      state: 'TX',
      zip: '75201',
      consentIp: '203.0.•.•',
    });
    expect(maskContact({ fields: {} })).toEqual({});
  });

  it('checks page arguments', () => {
    expect(pageArgs(undefined, undefined)).toEqual({ ok: true, value: { first: 50 } });
    expect(pageArgs(0, undefined)).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: '"first" must be between 1 and 200', field: 'first' } });
    expect(pageArgs(10, 'nope')).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: '"after" is not a cursor this API gave out', field: 'after' } });
  });
});
