import express, { type Express } from 'express';
import { createYoga } from 'graphql-yoga';
import { schema, type AppContext } from './graphql-schema.ts';
import { checkHealth } from './health.ts';

export function createApp(deps: AppContext): Express {
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    // Masking stays on: clients never see internal error messages.
    maskedErrors: true,
    context: (): AppContext => deps,
    logging: false,
  });
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    const health = await checkHealth(deps);
    res.status(health.ok ? 200 : 503).json(health);
  });
  // yoga is a plain (req, res) handler; express' overloads only want the cast.
  app.use(yoga.graphqlEndpoint, yoga as unknown as express.RequestHandler);
  return app;
}
