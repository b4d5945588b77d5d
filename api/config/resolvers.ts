import type { StoredConfig } from '../../db/config-store.ts';
import type { TenantConfigDocument } from '../../schema/tenant-config.ts';
import type { ConfigChangeResult, ConfigCollection } from '../../services/config-editor.ts';
import { authorize, type ApiContext, type UserError } from '../context.ts';
import type { GraphQLModule } from '../module.ts';
import { configTypeDefs } from './type-defs.ts';

const payload = (r: ConfigChangeResult) =>
  r.ok
    ? { ok: true, version: r.version, errors: [] }
    : {
        ok: false,
        errors: r.errors.map(
          (e): UserError => ({ code: r.code, message: e.message, ...(e.path ? { field: e.path } : {}), ...(e.line ? { line: e.line, column: e.column } : {}) }),
        ),
      };

/** upsertX / deleteX for one list of the document. */
function crud(collection: ConfigCollection, arg: string) {
  return {
    upsert: async (_: unknown, args: Record<string, unknown>, ctx: ApiContext) => {
      const actor = authorize(ctx, 'config.write');
      return payload(await ctx.services.configs.upsert(actor.tenantId, collection, args[arg], actor.userId, args.note as string | undefined));
    },
    remove: async (_: unknown, args: { id: string; note?: string }, ctx: ApiContext) => {
      const actor = authorize(ctx, 'config.write');
      return payload(await ctx.services.configs.remove(actor.tenantId, collection, args.id, actor.userId, args.note));
    },
  };
}

const sources = crud('sources', 'source');
const endpoints = crud('endpoints', 'endpoint');
const territories = crud('territories', 'territory');
const rotations = crud('rotations', 'rotation');
const plans = crud('routingPlans', 'routingPlan');

type Stored = StoredConfig<TenantConfigDocument>;

export const configModule: GraphQLModule = {
  typeDefs: configTypeDefs,
  resolvers: {
    Query: {
      config: async (_: unknown, { version }: { version?: number | null }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'config.read');
        return (version == null ? await ctx.loaders.config.load(actor.tenantId) : await ctx.services.configs.version(actor.tenantId, version)) ?? null;
      },
      configVersions: async (_: unknown, { first }: { first: number }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'config.history');
        return ctx.services.configs.history(actor.tenantId, Math.min(Math.max(first, 1), 200));
      },
      exportConfig: async (_: unknown, { format, version }: { format: 'yaml' | 'json'; version?: number | null }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'config.read');
        const out = await ctx.services.configs.exportText(actor.tenantId, format, version ?? undefined);
        return out ? { ...out, format } : null;
      },
    },
    TenantConfig: {
      document: (c: Stored) => c.document,
      sources: (c: Stored) => c.document.sources,
      endpoints: (c: Stored) => c.document.endpoints,
      territories: (c: Stored) => c.document.territories,
      rotations: (c: Stored) => c.document.rotations,
      routingPlans: (c: Stored) => c.document.routingPlans,
    },
    SourceConfig: { config: (x: unknown) => x },
    EndpointConfig: { config: (x: unknown) => x },
    TerritoryConfig: { config: (x: unknown) => x },
    RotationConfig: { config: (x: unknown) => x },
    RoutingPlanConfig: { config: (x: unknown) => x },
    Mutation: {
      upsertSource: sources.upsert,
      deleteSource: sources.remove,
      upsertEndpoint: endpoints.upsert,
      deleteEndpoint: endpoints.remove,
      upsertTerritory: territories.upsert,
      deleteTerritory: territories.remove,
      upsertRotation: rotations.upsert,
      deleteRotation: rotations.remove,
      upsertRoutingPlan: plans.upsert,
      deleteRoutingPlan: plans.remove,
      importConfig: async (_: unknown, args: { text: string; format?: 'yaml' | 'json' | null; note?: string | null }, ctx: ApiContext) => {
        const actor = authorize(ctx, 'config.import');
        return payload(await ctx.services.configs.importText(actor.tenantId, args.text, args.format ?? undefined, actor.userId, args.note ?? undefined));
      },
    },
  },
};
