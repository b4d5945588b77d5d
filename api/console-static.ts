import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';

/** Where `npm run console:build` (and `npm start`) put the console's production build. */
export const CONSOLE_DIST = join(import.meta.dirname, '..', 'console', 'dist');

/**
 * Serves the console at `/` from its production build: the page itself never
 * cached (a deploy shows at once), its hashed assets cached for a year. The
 * app routes by the URL's hash, so only `/` serves the page.
 */
export function mountConsole(app: Express, dir = CONSOLE_DIST): void {
  const index = join(dir, 'index.html');
  app.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  app.get('/', (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text').send('The console is not built yet: run `npm run console:build` (npm start does it).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
