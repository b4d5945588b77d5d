import { decodeJwt } from 'jose';
import { tenantModel } from '../../db/models/tenant.ts';
import type { Principal } from '../../domain/access/policy.ts';
import { authorize, userError, type ApiContext } from '../context.ts';
import { checkHealth } from '../health.ts';
import type { GraphQLModule } from '../module.ts';
import { DateTimeScalar, JsonScalar } from './scalars.ts';
import { coreTypeDefs } from './type-defs.ts';

export const meOf = (p: Principal) => ({ ...p.actor, via: p.via });

export const coreModule: GraphQLModule = {
  typeDefs: coreTypeDefs,
  resolvers: {
    DateTime: DateTimeScalar,
    JSON: JsonScalar,
    Query: {
      me: (_: unknown, __: unknown, ctx: ApiContext) => (ctx.principal ? meOf(ctx.principal) : null),
      tenant: async (_: unknown, __: unknown, ctx: ApiContext) => {
        const actor = authorize(ctx, 'tenant.read');
        const doc = await tenantModel(ctx.deps.mongo).findById(actor.tenantId).lean();
        return { id: actor.tenantId, name: doc?.name ?? actor.tenantId };
      },
      health: (_: unknown, __: unknown, ctx: ApiContext) => {
        authorize(ctx, 'health.read');
        return checkHealth(ctx.deps);
      },
    },
    Mutation: {
      signIn: async (_: unknown, args: { tenantId: string; email: string; password: string }, ctx: ApiContext) => {
        const res = await ctx.deps.auth.signIn(args.tenantId, args.email, args.password);
        if (!res.ok) return { ok: false, errors: [userError('INVALID_CREDENTIALS', 'The tenant, email or password is wrong, or the user is disabled.')] };
        const exp = decodeJwt(res.token).exp;
        return { ok: true, token: res.token, expiresAt: exp ? exp * 1000 : null, me: meOf({ actor: res.actor, via: 'user' }), errors: [] };
      },
    },
  },
};
