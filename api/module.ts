import type { GraphQLScalarType } from 'graphql';

/**
 * One slice of the GraphQL API: its SDL (root fields added with `extend type
 * Query` / `extend type Mutation`) and its resolvers. `api/schema.ts` lists the
 * modules; adding one is an import and a line in that list.
 */
export interface GraphQLModule {
  typeDefs: string;
  // Resolver maps are keyed by type and field name; the schema build rejects any that match nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: Record<string, GraphQLScalarType | Record<string, any>>;
}
