import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const toMillis = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v.getTime();
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
};

/** Instants travel as ISO 8601 text and reach resolvers as epoch milliseconds, the domain's unit. */
export const DateTimeScalar = new GraphQLScalarType<number, string>({
  name: 'DateTime',
  description: 'An instant as ISO 8601 text, e.g. "2026-11-23T15:00:00Z". Inputs may be a date ("2026-11-23", midnight UTC).',
  serialize(v) {
    const t = toMillis(v);
    if (t === undefined) throw new GraphQLError('DateTime cannot represent this value');
    return new Date(t).toISOString();
  },
  parseValue(v) {
    const t = typeof v === 'string' ? toMillis(v) : undefined;
    if (t === undefined) throw new GraphQLError(`${JSON.stringify(v)} is not an ISO 8601 date-time`);
    return t;
  },
  parseLiteral(ast) {
    const t = ast.kind === Kind.STRING ? toMillis(ast.value) : undefined;
    if (t === undefined) throw new GraphQLError('DateTime must be an ISO 8601 string', { nodes: ast });
    return t;
  },
});

function literal(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.ENUM:
      return ast.value;
    case Kind.LIST:
      return ast.values.map((v) => literal(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
  }
}

/** Configuration items and posted lead payloads: their own zod schemas check them and name every bad path. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value. Configuration items and lead payloads are checked by their own schemas, which name the path of every problem.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => literal(ast, variables),
});
