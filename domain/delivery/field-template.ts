import { z } from 'zod';
import { lookupPath, renderTemplate, type TemplateVars } from './template.ts';

/**
 * How one receiver field is filled: from a lead field (dotted path, with an
 * optional default), a constant, or a text template mixing both.
 */
export const FieldSourceSchema = z.union([
  z.strictObject({ field: z.string().min(1), default: z.union([z.string(), z.number(), z.boolean()]).optional() }),
  z.strictObject({ const: z.union([z.string(), z.number(), z.boolean()]) }),
  z.strictObject({ template: z.string() }),
  // Shorthand in configuration files: a plain string is a template ("{{firstName}} {{lastName}}").
  z.string().transform((template) => ({ template })),
]);
export type FieldSource = z.infer<typeof FieldSourceSchema>;

/** Receiver field name → source. Order is kept, so form and query encodings are stable. */
export const FieldTemplateSchema = z.record(z.string().min(1).max(200), FieldSourceSchema);
export type FieldTemplate = z.infer<typeof FieldTemplateSchema>;

export type FieldValue = string | number | boolean;

/**
 * Fills a receiver's fields from the lead. A field whose lead value is missing
 * and has no default is left out rather than sent empty, because receivers
 * commonly reject empty strings in optional fields.
 */
export function applyFieldTemplate(template: FieldTemplate, vars: TemplateVars): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [name, source] of Object.entries(template)) {
    let value: FieldValue | undefined;
    if ('const' in source) value = source.const;
    else if ('template' in source) value = renderTemplate(source.template, vars);
    else value = lookupPath(vars, source.field) ?? source.default;
    if (value !== undefined) out[name] = value;
  }
  return out;
}
