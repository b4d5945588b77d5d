/**
 * The API's SDL as the server builds it (every module of api/schema.ts),
 * printed. `npx tsx scripts/print-schema.ts` writes it to stdout; codegen
 * (scripts/codegen.ts) reads it from here.
 */
import { printSchema } from 'graphql';
import { fileURLToPath } from 'node:url';

export async function printSchemaSdl(): Promise<string> {
  // Imported late: the modules pull in the services, which a plain import of this file should not.
  const { buildSchema } = await import('../api/schema.ts');
  return printSchema(buildSchema());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${await printSchemaSdl()}\n`);
