import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainHttpServer } from './shutdown.ts';

// A loopback server in this process: draining is about sockets, so it is tested on real ones.
let server: Server | undefined;
afterEach(() => server?.closeAllConnections());

function get(port: number, path: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function start(handlerDelayMs: number): Promise<number> {
  server = createServer((req, res) => setTimeout(() => res.end(`done ${req.url}`), req.url === '/slow' ? handlerDelayMs : 0));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

describe('drainHttpServer', () => {
  it('lets an in-flight request finish, closes idle keep-alive connections, and refuses new connections', async () => {
    const port = await start(300);
    const agent = new Agent({ keepAlive: true });
    await get(port, '/warm', agent); // leaves an idle keep-alive socket
    const slow = get(port, '/slow', new Agent({ keepAlive: true }));
    await new Promise((r) => setTimeout(r, 50));
    const drained = drainHttpServer(server!, 5000);
    await expect(get(port, '/new', new Agent())).rejects.toThrow(/ECONNREFUSED/);
    expect(await slow).toEqual({ status: 200, body: 'done /slow' });
    // Not forced: the server closed because its idle keep-alive sockets were
    // closed, not because the grace time ran out and cut them.
    expect(await drained).toEqual({ forced: false });
    agent.destroy();
  });

  it('cuts what is still open when the grace time runs out', async () => {
    const port = await start(10_000);
    const slow = get(port, '/slow', new Agent()).catch((err: Error) => err.message);
    await new Promise((r) => setTimeout(r, 50));
    expect(await drainHttpServer(server!, 200)).toEqual({ forced: true });
    // Cut, not answered: the handler would have replied 'done /slow' after 10 s.
    expect(await slow).toMatch(/socket hang up|ECONNRESET/);
  });
});
