import type { Resolvers } from './generated/graphql.ts';

/**
 * One slice of the GraphQL API: its SDL (root fields added with `extend type
 * Query` / `extend type Mutation`) and its resolvers, typed by the types
 * GraphQL Code Generator makes from the whole SDL (api/generated/graphql.ts,
 * `npm run codegen`). `api/schema.ts` lists the modules; adding one is an
 * import and a line in that list.
 */
export interface GraphQLModule {
  typeDefs: string;
  resolvers: Resolvers;
}
