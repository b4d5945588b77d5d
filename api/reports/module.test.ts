import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema, MODULES } from '../schema.ts';
import type { ApiContext } from '../context.ts';
import { reportsContextOf, reportsModule } from './module.ts';

describe('reports API module', () => {
  it('composes with every other module of the API (no clashing types, every resolver matched)', () => {
    const schema = buildSchema([...MODULES, reportsModule]);
    const query = schema.getQueryType()!;
    for (const f of ['sourceReport', 'endpointReport', 'speedToLead', 'sourceStatement', 'buyerStatement']) expect(query.getFields()[f]).toBeDefined();
    const statement = schema.getType('Statement');
    expect(isObjectType(statement) && Object.keys(statement.getFields())).toContain('lines');
  });

  it('takes the signed-in user as the actor and refuses source API keys', () => {
    const actor = { userId: 'u', role: 'ops' as const, tenantId: 't1' };
    const base = { deps: { mongo: {} }, now: 1000 } as unknown as ApiContext;
    const ctx = reportsContextOf({ ...base, principal: { actor, via: 'user' } });
    expect(ctx.actor).toEqual(actor);
    expect(ctx.now!()).toBe(1000);
    expect(reportsContextOf(base).actor).toBeUndefined();
    expect(() => reportsContextOf({ ...base, principal: { actor: { ...actor, role: 'vendor', sourceId: 's1' }, via: 'api_key' } })).toThrow(/API key can only submit leads/);
  });
});
