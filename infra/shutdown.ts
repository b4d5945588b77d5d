import type { Server } from 'node:http';

/**
 * Stops accepting connections, lets in-flight requests finish, and closes
 * keep-alive connections as they fall idle; whatever is still open after
 * `graceMs` (a stalled client, a subscription stream) is cut. Resolves when
 * the server is closed.
 */
export function drainHttpServer(server: Server, graceMs: number): Promise<{ forced: boolean }> {
  return new Promise((resolve) => {
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, graceMs);
    // A keep-alive connection whose request finishes stays open: close it as soon as it is idle.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(idle);
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
}

/**
 * The first SIGTERM or SIGINT starts `stop` (when given; the Temporal Runtime
 * starts the worker's own drain) and arms a hard limit. While stopping, a
 * further SIGTERM is ignored (a supervisor repeating itself, or `npm start`
 * passing on the terminal's Ctrl-C) instead of killing the process mid-drain;
 * a second SIGINT (Ctrl-C pressed again) exits at once with code 1.
 */
export function onShutdownSignal(stop: ((signal: NodeJS.Signals) => Promise<void>) | undefined, hardLimitMs: number, log?: (msg: string) => void): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (signal === 'SIGINT') {
        log?.('second SIGINT: exiting now');
        process.exit(1);
      }
      log?.(`${signal} while draining: already stopping`);
      return;
    }
    stopping = true;
    setTimeout(() => {
      log?.(`shutdown overran ${hardLimitMs} ms: exiting`);
      process.exit(1);
    }, hardLimitMs).unref();
    stop?.(signal).then(
      () => process.exit(0),
      (err) => {
        log?.(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
