import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The console is served by the API process from console/dist (same origin).
// `npm run console:dev` serves it with hot reload on 5173 and passes the API's
// paths through to the API on 4000.
const api = process.env.SWITCHYARD_API ?? 'http://localhost:4000';
export default defineConfig({
  root: import.meta.dirname,
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { port: 5173, proxy: Object.fromEntries(['/graphql', '/session', '/claim', '/reports'].map((p) => [p, api])) },
});
