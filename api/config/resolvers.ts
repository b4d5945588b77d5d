import type { ConfigChangeResult, ConfigCollection } from '../../services/config-editor.ts';
import { authorize, type ApiContext } from '../context.ts';
import { problemsOf, refused, succeeded, userError } from '../core/payload.ts';
import type {
  MutationDeleteSourceArgs,
  MutationUpsertEndpointArgs,
  MutationUpsertRotationArgs,
  MutationUpsertRoutingPlanArgs,
  MutationUpsertSourceArgs,
  MutationUpsertTerritoryArgs,
} from '../generated/graphql.ts';
import type { GraphQLModule } from '../module.ts';
import { configTypeDefs } from './type-defs.ts';

const payload = (r: ConfigChangeResult) => (r.ok ? succeeded({ version: r.version }) : refused(problemsOf(r.code, r.errors)));

type UpsertArgs =
  MutationUpsertSourceArgs | MutationUpsertEndpointArgs | MutationUpsertTerritoryArgs | MutationUpsertRotationArgs | MutationUpsertRoutingPlanArgs;
// Every deleteX takes the same arguments.
type DeleteArgs = MutationDeleteSourceArgs;

/** upsertX / deleteX for one list of the document; `arg` names the item's argument (source, endpoint, ...). */
function crud(collection: ConfigCollection, arg: string) {
  return {
    upsert: async (_: unknown, args: UpsertArgs, ctx: ApiContext) => {
      const actor = authorize(ctx, 'config.write');
      const item = (args as Record<string, unknown>)[arg];
      return payload(await ctx.services.configs.upsert(actor.tenantId, collection, item, actor.userId, args.note ?? undefined));
    },
    remove: async (_: unknown, args: DeleteArgs, ctx: ApiContext) => {
      const actor = authorize(ctx, 'config.write');
      return payload(await ctx.services.configs.remove(actor.tenantId, collection, args.id, actor.userId, args.note ?? undefined));
    },
  };
}

const sources = crud('sources', 'source');
const endpoints = crud('endpoints', 'endpoint');
const territories = crud('territories', 'territory');
const rotations = crud('rotations', 'rotation');
const plans = crud('routingPlans', 'routingPlan');

export const configModule: GraphQLModule = {
  typeDefs: configTypeDefs,
  resolvers: {
    Query: {
      config: async (_, { version }, ctx) => {
        const actor = authorize(ctx, 'config.read');
        return (version == null ? await ctx.loaders.config.load(actor.tenantId) : await ctx.services.configs.version(actor.tenantId, version)) ?? null;
      },
      configVersions: async (_, { first }, ctx) => {
        const actor = authorize(ctx, 'config.history');
        return ctx.services.configs.history(actor.tenantId, Math.min(Math.max(first, 1), 200));
      },
      configDiff: async (_, { from, to }, ctx) => {
        const actor = authorize(ctx, 'config.history');
        const diff = await ctx.services.configs.diff(actor.tenantId, from, to);
        return diff
          ? succeeded(diff)
          : refused(userError('NOT_FOUND', `version ${from} or ${to} does not exist`, 'from'), { from: null, to: null, changes: [] });
      },
      exportConfig: async (_, { format, version }, ctx) => {
        const actor = authorize(ctx, 'config.read');
        const out = await ctx.services.configs.exportText(actor.tenantId, format, version ?? undefined);
        return out ? { ...out, format } : null;
      },
    },
    TenantConfig: {
      document: (c) => c.document,
      sources: (c) => c.document.sources,
      endpoints: (c) => c.document.endpoints,
      territories: (c) => c.document.territories,
      rotations: (c) => c.document.rotations,
      routingPlans: (c) => c.document.routingPlans,
    },
    SourceConfig: { config: (x) => x },
    EndpointConfig: { config: (x) => x },
    TerritoryConfig: { config: (x) => x },
    RotationConfig: { config: (x) => x },
    RoutingPlanConfig: { config: (x) => x },
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
      rollbackConfig: async (_, args, ctx) => {
        const actor = authorize(ctx, 'config.write');
        return payload(await ctx.services.configs.rollback(actor.tenantId, args.version, actor.userId, args.note ?? undefined));
      },
      importConfig: async (_, args, ctx) => {
        const actor = authorize(ctx, 'config.import');
        return payload(await ctx.services.configs.importText(actor.tenantId, args.text, args.format ?? undefined, actor.userId, args.note ?? undefined));
      },
    },
  },
};
