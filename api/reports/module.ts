import { createGraphQLError } from 'graphql-yoga';
import type { ApiContext } from '../context.ts';
import type { GraphQLModule } from '../module.ts';
import { reportQueries, reportResolvers, type ReportsContext } from './resolvers.ts';
import { reportTypeDefs } from './type-defs.ts';

/** The API's context as the report resolvers want it: who asks (a signed-in user), the database, the request's clock. */
export function reportsContextOf(ctx: ApiContext): ReportsContext {
  if (ctx.principal?.via === 'api_key') {
    throw createGraphQLError('An API key can only submit leads; sign in as a user to read reports.', { extensions: { code: 'FORBIDDEN' } });
  }
  return { mongo: ctx.deps.mongo, now: () => ctx.now, ...(ctx.principal ? { actor: ctx.principal.actor } : {}) };
}

type Args = Record<string, unknown>;
const adapt = (fn: (args: Args, ctx: ReportsContext) => Promise<unknown>) => (_root: unknown, args: Args, ctx: ApiContext) => fn(args, reportsContextOf(ctx));

/** Reports and statements as one API module: add it to MODULES in api/schema.ts. */
export const reportsModule: GraphQLModule = {
  typeDefs: reportTypeDefs,
  resolvers: {
    Query: {
      sourceReport: adapt(reportQueries.sourceReport),
      endpointReport: adapt(reportQueries.endpointReport),
      speedToLead: adapt(reportQueries.speedToLead),
      sourceStatement: adapt(reportQueries.sourceStatement),
      buyerStatement: adapt(reportQueries.buyerStatement),
    },
    Statement: reportResolvers.Statement,
  },
};
