import { describe, expect, it } from 'vitest';
import { applyFieldTemplate, FieldTemplateSchema } from './field-template.ts';
import { leadTemplateVars } from './lead-vars.ts';
import { invalidPlaceholders, renderTemplate, templatePlaceholders } from './template.ts';

const vars = leadTemplateVars({
  leadId: 'L1',
  phoneE164: '+12145550134',
  lead: {
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '(214) 555-0134',
    address: { zip: '75201', state: 'TX' },
    serviceLine: 'roofing',
    fields: { roofAge: '12' },
  },
  extra: { sourceName: 'Acme Media' },
});

describe('template rendering', () => {
  it('fills placeholders, with spaces and dotted paths', () => {
    expect(renderTemplate('Hi {{firstName}}, {{ fullName }} in {{address.zip}} ({{fields.roofAge}} yrs) via {{sourceName}}', vars)).toBe(
      'Hi Ada, Ada Lovelace in 75201 (12 yrs) via Acme Media',
    );
  });

  it('renders missing fields empty', () => {
    expect(renderTemplate('[{{email}}][{{fields.nope}}][{{nope.deeper}}]', vars)).toBe('[][][]');
  });

  it('never evaluates anything or reaches prototypes', () => {
    expect(renderTemplate('{{constructor}}{{__proto__}}{{toString}}{{ process.exit(1) }}{{1+1}}{{fields.constructor.name}}', vars)).toBe('');
    expect(renderTemplate('{{address}}', vars)).toBe('');
  });

  it('lists placeholders and names the malformed ones', () => {
    expect(templatePlaceholders('{{a}} {{ b.c }} {{a}}')).toEqual(['a', 'b.c']);
    expect(invalidPlaceholders('{{first name}} {{ok}}')).toEqual(['first name']);
  });

  it('prefers the validated phone over the posted one', () => {
    expect(renderTemplate('{{phone}}', vars)).toBe('+12145550134');
  });
});

describe('field templates', () => {
  it('maps lead fields to receiver names, with constants, defaults and text templates, and leaves out missing ones', () => {
    const template = FieldTemplateSchema.parse({
      first_name: { field: 'firstName' },
      phone_number: { field: 'phone' },
      email: { field: 'email' },
      campaign: { const: 'spring' },
      test: { const: false },
      channel: { field: 'fields.channel', default: 'web' },
      summary: { template: '{{fullName}} / {{zip}}' },
    });
    expect(applyFieldTemplate(template, vars)).toEqual({
      first_name: 'Ada',
      phone_number: '+12145550134',
      campaign: 'spring',
      test: false,
      channel: 'web',
      summary: 'Ada Lovelace / 75201',
    });
  });

  it('refuses a malformed mapping with a clear error', () => {
    const bad = FieldTemplateSchema.safeParse({ first_name: { field: 'firstName', extra: 1 }, x: 42 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['first_name', 'x']));
  });

  it('reads a plain string as a template, the shorthand configuration files use', () => {
    const parsed = FieldTemplateSchema.parse({ customer: '{{firstName}} {{lastName}}' });
    expect(parsed).toEqual({ customer: { template: '{{firstName}} {{lastName}}' } });
    expect(applyFieldTemplate(parsed, { firstName: 'Ada', lastName: 'Lovelace' })).toEqual({ customer: 'Ada Lovelace' });
  });
});
