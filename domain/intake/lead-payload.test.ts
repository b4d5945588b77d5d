import { describe, expect, it } from 'vitest';
import { mapLeadPayload, type IntakeContract } from './lead-payload.ts';

const contract: IntakeContract = {
  fieldMapping: {
    first_name: 'firstName',
    phone_number: 'phone',
    postal: 'zip',
    lead_ref: 'externalId',
    svc: 'serviceLine',
    opt_in_text: 'consentText',
    opt_in_at: 'consentTimestamp',
    opt_in_ip: 'consentIp',
  },
  requiredFields: ['phone', 'zip'],
  defaultServiceLine: 'plumbing',
};

describe('lead payload mapping', () => {
  it('maps a vendor’s field names onto the lead and keeps unmapped fields as free fields', () => {
    const r = mapLeadPayload(contract, {
      first_name: 'Ada',
      phone_number: '(214) 555-0134',
      postal: '75201',
      lead_ref: 'v-9',
      budget: '5000',
      email: 'Ada@Example.com',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        externalId: 'v-9',
        lead: {
          serviceLine: 'plumbing',
          firstName: 'Ada',
          phone: '(214) 555-0134',
          email: 'ada@example.com',
          address: { zip: '75201' },
          fields: { budget: '5000' },
        },
      },
    });
  });

  it('names the vendor’s own field in every error', () => {
    const r = mapLeadPayload(contract, { phone_number: 'call me', postal: '7520', opt_in_ip: '999.1.1.1', opt_in_text: 'yes' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual(
      expect.arrayContaining([
        { field: 'phone_number', message: 'is not a phone number' },
        { field: 'postal', message: 'is not a ZIP code' },
        { field: 'opt_in_ip', message: 'is not an IP address' },
        { field: 'opt_in_at', message: 'is required with a consent record' },
      ]),
    );
  });

  it('reports missing required fields and a body that is not an object', () => {
    expect(mapLeadPayload(contract, { first_name: 'Ada' })).toEqual({
      ok: false,
      errors: [
        { field: 'phone_number', message: 'is required' },
        { field: 'postal', message: 'is required' },
      ],
    });
    expect(mapLeadPayload(contract, [1, 2])).toMatchObject({ ok: false, errors: [{ field: '(body)' }] });
    expect(mapLeadPayload(contract, 'x')).toMatchObject({ ok: false, errors: [{ field: '(body)' }] });
    expect(mapLeadPayload(contract, { phone_number: '2145550134', postal: '75201', nested: { a: 1 } })).toMatchObject({
      ok: false,
      errors: [{ field: 'nested' }],
    });
  });

  it('reads a consent record from form strings, channels included', () => {
    const r = mapLeadPayload(
      { fieldMapping: {}, requiredFields: [] },
      {
        phone: '2145550134',
        serviceLine: 'hvac',
        consentText: 'I agree to be contacted',
        consentTimestamp: '2026-11-23T10:00:00Z',
        consentLat: '32.78',
        consentLon: '-96.8',
        consentChannels: 'sms, Email',
        assignTo: 'agent-7',
      },
    );
    expect(r.ok && r.value).toMatchObject({
      preassignedEndpointId: 'agent-7',
      lead: { serviceLine: 'hvac', consent: { geolocation: { lat: 32.78, lon: -96.8 }, channels: ['sms', 'email'] } },
    });
  });

  it('needs a phone or an email, and a service line when the source has no default', () => {
    expect(mapLeadPayload({ fieldMapping: {}, requiredFields: [] }, { firstName: 'A', serviceLine: 'x' })).toMatchObject({
      ok: false,
      errors: [{ field: 'phone' }],
    });
    expect(mapLeadPayload({ fieldMapping: {}, requiredFields: [] }, { phone: '2145550134' })).toMatchObject({ ok: false, errors: [{ field: 'serviceLine' }] });
  });
});

describe('lead payload mapping: hostile field names', () => {
  it('treats inherited property names (constructor, __proto__, toString) as plain free fields, never as mappings', () => {
    const payload = JSON.parse('{"phone_number":"2145550134","postal":"75201","constructor":"x","toString":"y","__proto__":"z","hasOwnProperty":{"a":1}}');
    const r = mapLeadPayload(contract, payload);
    expect(r).toEqual({ ok: false, errors: [{ field: 'hasOwnProperty', message: 'must be a plain value (text, number or boolean)' }] });
    const ok = mapLeadPayload(contract, JSON.parse('{"phone_number":"2145550134","postal":"75201","constructor":"x","__proto__":"z"}'));
    const fields = ok.ok ? ok.value.lead.fields : {};
    expect(Object.entries(fields)).toEqual([
      ['constructor', 'x'],
      ['__proto__', 'z'],
    ]);
    expect(JSON.parse(JSON.stringify(fields))).toEqual(JSON.parse('{"constructor":"x","__proto__":"z"}'));
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('names an empty field name as a problem of the body', () => {
    expect(mapLeadPayload(contract, { phone_number: '2145550134', postal: '75201', ' ': 'x' })).toEqual({
      ok: false,
      errors: [{ field: '(body)', message: 'has a field with an empty name' }],
    });
  });
});
