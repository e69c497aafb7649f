import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

/** A small real PNG (a colored square), as a product photo for image params. */
export function makePng(size = 64, color = { r: 200, g: 60, b: 40, alpha: 1 }): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 4, background: color } })
    .png()
    .toBuffer();
}

export interface Hit {
  path: string;
  at: number;
  status: number;
}

export type Route = (request: IncomingMessage, response: ServerResponse, hitNumber: number) => void;

/**
 * An HTTP server on 127.0.0.1 that answers each path with its route and records every hit (path,
 * time, status), so tests see how often and when a download was tried.
 */
export async function startImageServer(routes: Record<string, Route>) {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes[path];
    const hitNumber = hits.filter((hit) => hit.path === path).length + 1;
    if (route) route(request, response, hitNumber);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    hits.push({ path, at: performance.now(), status: response.statusCode });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    hitsOf: (path: string) => hits.filter((hit) => hit.path === path),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A route that fails with `status` for the first `failures` hits, then serves `body` as a PNG. */
export function failThenServe(failures: number, status: number, body: Uint8Array): Route {
  return (_request, response, hitNumber) => {
    if (hitNumber <= failures) {
      response.writeHead(status, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': body.byteLength }).end(body);
  };
}
