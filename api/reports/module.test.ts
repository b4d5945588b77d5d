import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema, MODULES } from '../schema.ts';
import { reportsModule } from './resolvers.ts';

describe('reports API module', () => {
  it('is one of the API modules and composes with the others (no clashing types, every resolver matched)', () => {
    expect(MODULES).toContain(reportsModule);
    const schema = buildSchema();
    const query = schema.getQueryType()!;
    for (const f of ['sourceReport', 'endpointReport', 'speedToLead', 'sourceStatement', 'buyerStatement']) expect(query.getFields()[f]).toBeDefined();
    const statement = schema.getType('Statement');
    expect(isObjectType(statement) && Object.keys(statement.getFields())).toContain('lines');
  });
});
