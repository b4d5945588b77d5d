import { z } from 'zod';
import { EndpointSchema } from './endpoint.ts';
import { RotationSchema } from './rotation.ts';
import { RoutingPlanSchema } from './routing-plan.ts';
import { SourceSchema } from './source.ts';
import { TenantSchema } from './tenant.ts';
import { TerritorySchema } from './territory.ts';

type Path = Array<string | number>;
type Ctx = z.core.$RefinementCtx<TenantConfigShape>;

const TenantConfigBase = z.strictObject({
  tenant: TenantSchema,
  sources: z.array(SourceSchema).default([]),
  endpoints: z.array(EndpointSchema).default([]),
  rotations: z.array(RotationSchema).default([]),
  territories: z.array(TerritorySchema).default([]),
  routingPlans: z.array(RoutingPlanSchema).default([]),
});
type TenantConfigShape = z.output<typeof TenantConfigBase>;

function checkUnique(ctx: Ctx, what: string, items: Array<{ id?: string | undefined; path: Path }>): Set<string> {
  const seen = new Map<string, Path>();
  for (const { id, path } of items) {
    if (id === undefined) continue;
    if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `${what} id "${id}" is used twice` });
    else seen.set(id, path);
  }
  return new Set(seen.keys());
}

/** Endpoints form a tree through teamId, locationId and parentId: a loop would make a cap count itself. */
function checkHierarchy(doc: TenantConfigShape, ctx: Ctx) {
  const byId = new Map(doc.endpoints.map((e) => [e.id, e]));
  doc.endpoints.forEach((e, i) => {
    const seen = new Set<string>();
    const stack = [e.teamId, e.locationId, e.parentId];
    while (stack.length > 0) {
      const id = stack.pop();
      if (id === undefined || seen.has(id)) continue;
      if (id === e.id) {
        ctx.addIssue({
          code: 'custom',
          path: ['endpoints', i],
          message: `endpoint "${e.id}" is above itself: its teamId, locationId and parentId links lead back to it`,
        });
        return;
      }
      seen.add(id);
      const up = byId.get(id);
      if (up) stack.push(up.teamId, up.locationId, up.parentId);
    }
  });
}

function checkReferences(doc: TenantConfigShape, ctx: Ctx) {
  const sourceIds = checkUnique(
    ctx,
    'source',
    doc.sources.map((s, i) => ({ id: s.id, path: ['sources', i] })),
  );
  const endpointIds = checkUnique(
    ctx,
    'endpoint',
    doc.endpoints.map((e, i) => ({ id: e.id, path: ['endpoints', i] })),
  );
  const rotationIds = checkUnique(
    ctx,
    'rotation',
    doc.rotations.map((r, i) => ({ id: r.id, path: ['rotations', i] })),
  );
  checkUnique(
    ctx,
    'routing plan',
    doc.routingPlans.map((p, i) => ({ id: p.id, path: ['routingPlans', i] })),
  );
  checkUnique(ctx, 'territory', [
    ...doc.territories.map((t, i) => ({ id: t.id, path: ['territories', i] as Path })),
    ...doc.endpoints.flatMap((e, i) => e.territories.map((t, j) => ({ id: t.id, path: ['endpoints', i, 'territories', j] as Path }))),
  ]);
  const missing = (path: Path, what: string, id: string) =>
    ctx.addIssue({ code: 'custom', path, message: `names ${what} "${id}", which is not in this configuration` });
  const teamIds = new Set(doc.endpoints.filter((e) => e.kind === 'team' || e.kind === 'location' || e.kind === 'call_center').map((e) => e.id));

  doc.endpoints.forEach((e, i) => {
    if (e.teamId !== undefined && !teamIds.has(e.teamId)) missing(['endpoints', i, 'teamId'], 'team', e.teamId);
    if (e.locationId !== undefined && !endpointIds.has(e.locationId)) missing(['endpoints', i, 'locationId'], 'location', e.locationId);
    if (e.parentId !== undefined && !endpointIds.has(e.parentId)) missing(['endpoints', i, 'parentId'], 'endpoint', e.parentId);
  });
  checkHierarchy(doc, ctx);
  doc.territories.forEach((t, i) => {
    if (t.endpointId !== undefined && !endpointIds.has(t.endpointId)) missing(['territories', i, 'endpointId'], 'endpoint', t.endpointId);
  });
  doc.rotations.forEach((r, i) =>
    r.members.forEach((m, j) => {
      if (!endpointIds.has(m)) missing(['rotations', i, 'members', j], 'endpoint', m);
    }),
  );

  const planKeys = new Map<string, number>();
  let defaults = 0;
  doc.routingPlans.forEach((p, i) => {
    if (p.sourceId !== undefined && !sourceIds.has(p.sourceId)) missing(['routingPlans', i, 'sourceId'], 'source', p.sourceId);
    if (p.isDefault) {
      defaults++;
      if (defaults > 1) ctx.addIssue({ code: 'custom', path: ['routingPlans', i, 'isDefault'], message: 'only one routing plan may be the default' });
    } else {
      const key = `${p.sourceId ?? '*'}|${p.serviceLine ?? '*'}`;
      const prev = planKeys.get(key);
      if (prev !== undefined)
        ctx.addIssue({ code: 'custom', path: ['routingPlans', i], message: `covers the same source and service line as routingPlans[${prev}]` });
      else planKeys.set(key, i);
    }
    p.tiers.forEach((t, j) => {
      const at = (...rest: Path): Path => ['routingPlans', i, 'tiers', j, 'selector', ...rest];
      const s = t.selector ?? {};
      if (s.rotationId !== undefined && !rotationIds.has(s.rotationId)) missing(at('rotationId'), 'rotation', s.rotationId);
      s.endpointIds?.forEach((id, k) => {
        if (!endpointIds.has(id)) missing(at('endpointIds', k), 'endpoint', id);
      });
      s.teamIds?.forEach((id, k) => {
        if (!teamIds.has(id)) missing(at('teamIds', k), 'team', id);
      });
      for (const id of Object.keys(t.percentages ?? {})) {
        if (!endpointIds.has(id)) missing(['routingPlans', i, 'tiers', j, 'percentages', id], 'endpoint', id);
      }
    });
  });
}

/** A whole tenant's configuration: what import reads and export writes. */
export const TenantConfigDocumentSchema = TenantConfigBase.superRefine((doc, ctx) => {
  checkReferences(doc, ctx);
  // Exclusive grants are checked against each other where the ZIP dataset is at hand (domain/allocation/exclusive-conflicts.ts).
});
export type TenantConfigDocument = z.output<typeof TenantConfigDocumentSchema>;
export type TenantConfigInput = z.input<typeof TenantConfigDocumentSchema>;
