import type { FieldError } from '../domain/intake/lead-payload.ts';
import { submitLead, type IntakeDeps } from './intake.ts';
import type { ConfigEditor } from './config-editor.ts';

export type SourceIntakeResult =
  { ok: true; leadId: string; duplicate: boolean } | { ok: false; code: 'UNKNOWN_SOURCE' | 'SOURCE_INACTIVE' | 'INVALID_LEAD'; errors: FieldError[] };

/**
 * A lead posted for a source: the source's contract (field mapping, required
 * fields, default service line) comes from the tenant's latest configuration;
 * a paused or retired source takes nothing.
 */
export async function submitForSource(
  deps: IntakeDeps & { configs: ConfigEditor },
  req: { tenantId: string; sourceId: string; payload: unknown; receivedAt: number },
): Promise<SourceIntakeResult> {
  const config = await deps.configs.latest(req.tenantId);
  const source = config?.document.sources.find((s) => s.id === req.sourceId);
  if (!source) return { ok: false, code: 'UNKNOWN_SOURCE', errors: [{ field: 'sourceId', message: `"${req.sourceId}" is not a source of this tenant` }] };
  if (source.status !== 'active')
    return { ok: false, code: 'SOURCE_INACTIVE', errors: [{ field: 'sourceId', message: `source "${source.id}" is ${source.status} and takes no leads` }] };
  const res = await submitLead(deps, {
    tenantId: req.tenantId,
    sourceId: source.id,
    contract: {
      fieldMapping: source.fieldMapping,
      requiredFields: source.requiredFields,
      ...(source.defaultServiceLine ? { defaultServiceLine: source.defaultServiceLine } : {}),
    },
    payload: req.payload,
    receivedAt: req.receivedAt,
  });
  return res.ok ? res : { ok: false, code: 'INVALID_LEAD', errors: res.errors };
}
