import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** The Temporal SDK's Prometheus page, merged into ours. */
  sdkMetricsUrl?: string;
  /** Answers GET /health (the container's health check). */
  health?: () => { ok: boolean; detail: string };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** The worker's small HTTP server: GET /metrics (ours, then the SDK's) and GET /health. */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      void metricsPage(opts).then(
        (text) => {
          res.writeHead(200, { 'Content-Type': opts.registry.contentType });
          res.end(text);
        },
        (err: Error) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`metrics failed: ${err.message}\n`);
        },
      );
      return;
    }
    if (req.method === 'GET' && path === '/health' && opts.health) {
      const h = opts.health();
      res.writeHead(h.ok ? 200 : 503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(h));
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function metricsPage(opts: MetricsServerOptions): Promise<string> {
  const ours = await opts.registry.metrics();
  if (!opts.sdkMetricsUrl) return ours;
  // The SDK's exporter uses names of its own (temporal_*): the two pages never collide.
  const sdk = await fetch(opts.sdkMetricsUrl, { signal: AbortSignal.timeout(2000) })
    .then((r) => (r.ok ? r.text() : `# Temporal SDK metrics answered HTTP ${r.status}\n`))
    .catch((err: Error) => `# Temporal SDK metrics unavailable: ${err.message}\n`);
  return `${ours.trimEnd()}\n${sdk}`;
}
