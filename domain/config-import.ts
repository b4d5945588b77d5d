import { parseDocument, stringify } from 'yaml';
import type { z } from 'zod';
import { TenantConfigDocumentSchema, type TenantConfigDocument } from '../schema/tenant-config.ts';

export interface ConfigError {
  /** e.g. "endpoints[12].territories[3].zips"; empty for a syntax error */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type ConfigImportResult = { ok: true; value: TenantConfigDocument } | { ok: false; errors: ConfigError[] };

export type ConfigFormat = 'yaml' | 'json';

const MAX_ERRORS = 200;

/** endpoints[12].territories[3].zips — brackets for list positions, dots for fields. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      out += /^[A-Za-z_$][\w$]*$/.test(key) ? (out ? `.${key}` : key) : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function toErrors(issues: readonly z.core.$ZodIssue[], data: unknown): ConfigError[] {
  const seen = new Set<string>();
  const out: ConfigError[] = [];
  for (const issue of issues) {
    let path = issue.path;
    // A bad value in a list of values is named by the value itself
    // (`zips: "7520" is not a ZIP`), the way an ops person searches the file.
    const last = path[path.length - 1];
    if (typeof last === 'number') {
      const v = valueAt(data, path);
      if ((typeof v === 'string' || typeof v === 'number') && issue.message.includes(JSON.stringify(v))) path = path.slice(0, -1);
    }
    const err = { path: formatPath(path), message: issue.message };
    const key = `${err.path}\u0000${err.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(err);
    if (out.length >= MAX_ERRORS) break;
  }
  return out;
}

function parseJson(text: string): { ok: true; data: unknown } | { ok: false; error: ConfigError } {
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message)?.[1];
    if (pos === undefined) return { ok: false, error: { path: '', message: `not valid JSON: ${message}` } };
    const before = text.slice(0, Number(pos));
    const line = before.split('\n').length;
    const column = Number(pos) - before.lastIndexOf('\n');
    return {
      ok: false,
      error: { path: '', message: `not valid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}`, line, column },
    };
  }
}

function parseYaml(text: string): { ok: true; data: unknown } | { ok: false; errors: ConfigError[] } {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, MAX_ERRORS).map((e) => {
        const at = e.linePos?.[0];
        const firstLine = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return at
          ? { path: '', message: `not valid YAML at line ${at.line}, column ${at.col}: ${firstLine}`, line: at.line, column: at.col }
          : { path: '', message: `not valid YAML: ${firstLine}` };
      }),
    };
  }
  return { ok: true, data: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

/**
 * Reads a whole tenant configuration from YAML or JSON text and validates it.
 * Never throws on bad input: every problem comes back with its path.
 */
export function importConfig(text: string, format?: ConfigFormat): ConfigImportResult {
  const fmt = format ?? (/^\s*[{[]/.test(text) ? 'json' : 'yaml');
  let data: unknown;
  try {
    if (fmt === 'json') {
      const r = parseJson(text);
      if (!r.ok) return { ok: false, errors: [r.error] };
      data = r.data;
    } else {
      const r = parseYaml(text);
      if (!r.ok) return { ok: false, errors: r.errors };
      data = r.data;
    }
  } catch (err) {
    // The YAML library throws on pathological input (alias bombs): still an answer, not a crash.
    return { ok: false, errors: [{ path: '', message: `could not be read: ${(err as Error).message}` }] };
  }
  return validateConfigDocument(data);
}

/** Validates an already-parsed document (an API change applied to the latest version); errors carry their paths. */
export function validateConfigDocument(data: unknown): ConfigImportResult {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: [{ path: '', message: 'must be a document with tenant, sources, endpoints, rotations, territories and routingPlans' }] };
  }
  const parsed = TenantConfigDocumentSchema.safeParse(data);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: toErrors(parsed.error.issues, data) };
}

/** "endpoints[12].territories[3].zips: "7520" is not a ZIP" */
export const describeConfigError = (e: ConfigError) => (e.path ? `${e.path}: ${e.message}` : e.message);

/** Writes a configuration that importConfig reads back to the same value. */
export function exportConfig(doc: TenantConfigDocument, format: ConfigFormat): string {
  return format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
}
