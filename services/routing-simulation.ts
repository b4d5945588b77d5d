import { z } from 'zod';
import type { AllocationDecision, AllocationLead } from '../domain/allocation/types.ts';
import { resolveGeography, type ResolvedGeography } from '../domain/geo/resolve-geography.ts';
import type { ZipDataset } from '../domain/geo/zip-dataset.ts';
import { IdSchema, ServiceLineSchema } from '../schema/common.ts';
import type { Allocator } from './allocator.ts';
import type { CommandError } from './lead-commands.ts';

/** The lead to simulate: where it is, what it is for, and where it comes from. */
export const SimulatedLeadSchema = z
  .strictObject({
    sourceId: IdSchema,
    serviceLine: ServiceLineSchema.optional(),
    zip: z
      .string()
      .trim()
      .regex(/^\d{5}(-\d{4})?$/, 'is not a ZIP code (5 digits)')
      .optional(),
    city: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    state: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'must be a two-letter state code')
      .optional(),
    assignTo: IdSchema.optional(),
    exclude: z.array(IdSchema).max(1000).default([]),
  })
  .refine((l) => l.zip || (l.city && l.state), { message: 'give a zip, or a city and state', path: ['zip'] });
export type SimulatedLeadInput = z.input<typeof SimulatedLeadSchema>;

export interface Simulation {
  decision: AllocationDecision;
  configVersion: number;
  geography: ResolvedGeography;
  serviceLine: string;
  /** The instant the lead was judged at. */
  at: number;
}

export type SimulationResult = { ok: true; value: Simulation } | { ok: false; error: CommandError };

const no = (code: string, message: string, field?: string): SimulationResult => ({ ok: false, error: { code, message, ...(field ? { field } : {}) } });

/**
 * Who would get this lead now (or at `at`), and why: the allocator's dry run
 * on the current configuration, with schedules judged at that instant and the
 * counters of the cap windows containing it as they stand now. Nothing is reserved, no turn is taken,
 * nothing is written; running it any number of times changes no real lead's
 * routing. `field` in errors is the input path (`lead.zip`).
 */
export function routingSimulator(deps: { allocator: Allocator; zips: () => Promise<ZipDataset>; now?: () => number }) {
  return async function simulate(tenantId: string, input: unknown, at?: number): Promise<SimulationResult> {
    const parsed = SimulatedLeadSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return no('invalid_input', `${issue.path.join('.') || 'lead'} ${issue.message}`, ['lead', ...issue.path].join('.'));
    }
    const l = parsed.data;
    const config = await deps.allocator.configs.latest(tenantId);
    if (!config) return no('no_configuration', 'This tenant has no routing configuration yet.');
    const source = config.document.sources.find((s) => s.id === l.sourceId);
    if (!source) return no('unknown_source', `"${l.sourceId}" is not a source of this tenant.`, 'lead.sourceId');
    const serviceLine = l.serviceLine ?? source.defaultServiceLine;
    if (!serviceLine) return no('invalid_input', `source "${source.id}" has no default service line: name one.`, 'lead.serviceLine');
    const endpoints = new Set(config.document.endpoints.map((e) => e.id));
    if (l.assignTo && !endpoints.has(l.assignTo)) return no('unknown_endpoint', `"${l.assignTo}" is not an endpoint of this tenant.`, 'lead.assignTo');
    const unknown = l.exclude.find((id) => !endpoints.has(id));
    if (unknown) return no('unknown_endpoint', `"${unknown}" is not an endpoint of this tenant.`, 'lead.exclude');

    const geo = resolveGeography(await deps.zips(), { zip: l.zip, city: l.city, state: l.state });
    if (!geo.ok) return no('unresolvable_address', `The address cannot be placed: ${geo.message}.`, 'lead.zip');
    const g = geo.value;
    // The same geography routeLead hands the allocator for a real lead.
    const lead: AllocationLead = {
      id: 'simulation',
      sourceId: source.id,
      serviceLine,
      geography: g,
      ...(l.assignTo ? { preassignedEndpointId: l.assignTo } : {}),
      exclude: l.exclude,
    };
    const r = await deps.allocator.simulate(tenantId, lead, at);
    if (!r.ok) return no(r.error.code, r.error.message);
    return { ok: true, value: { decision: r.decision, configVersion: r.configVersion, geography: g, serviceLine, at: at ?? (deps.now ?? Date.now)() } };
  };
}

export type RoutingSimulator = ReturnType<typeof routingSimulator>;
