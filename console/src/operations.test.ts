import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../api/schema.ts';
import * as operations from './operations.ts';

// Fragments of selections that only make sense inside another operation.
const FRAGMENTS = new Set(['MY_LEADS', 'STATEMENT_BODY']);

describe('the console’s GraphQL operations', () => {
  const schema = buildSchema();
  const documents = Object.entries(operations).filter(([name]) => !FRAGMENTS.has(name));

  it('are all here (one module the views import from)', () => {
    expect(documents.length).toBeGreaterThanOrEqual(25);
  });

  for (const [name, text] of documents) {
    it(`${name} validates against the API's schema`, () => {
      expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
    });
  }
});
