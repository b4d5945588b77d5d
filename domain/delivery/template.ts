/**
 * `{{firstName}}`-style placeholders with dotted paths (`{{address.zip}}`).
 * Only own properties are read and nothing is evaluated, so a template written
 * by a tenant can never run code or reach into prototypes. A missing or
 * non-scalar value renders as the empty string.
 */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const PATH = /^[A-Za-z_$][\w$-]*(\.[A-Za-z_$\d][\w$-]*)*$/;

export type TemplateVars = Readonly<Record<string, unknown>>;

export function lookupPath(vars: TemplateVars, path: string): string | number | boolean | undefined {
  if (!PATH.test(path)) return undefined;
  let current: unknown = vars;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current === 'string' || typeof current === 'boolean') return current;
  if (typeof current === 'number') return Number.isFinite(current) ? current : undefined;
  return undefined;
}

export function renderTemplate(template: string, vars: TemplateVars): string {
  return template.replace(PLACEHOLDER, (_whole, path: string) => {
    const value = lookupPath(vars, path);
    return value === undefined ? '' : String(value);
  });
}

/** The placeholders a template uses, e.g. to warn ops about a misspelt field when they save it. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** Placeholders that are not plain field paths (typos such as `{{first name}}`); they always render empty. */
export function invalidPlaceholders(template: string): string[] {
  return templatePlaceholders(template).filter((p) => !PATH.test(p));
}
