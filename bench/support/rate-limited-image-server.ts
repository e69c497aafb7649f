import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRgbaAsPng } from '../../src/imaging/image.processor.ts';

export interface RateLimitedServerStats {
  accepted: number;
  rateLimited: number;
  /** Milliseconds from the first accepted call to each 429. */
  rateLimitedAt: number[];
  /** Milliseconds from the first accepted call to the last. */
  lastAcceptedAt: number;
  /** The most calls that arrived (accepted or refused) in any one-second window. */
  maxArrivalsPerSecond: number;
  /**
   * The shortest time in which `perSecond + 1` calls arrived (accepted or refused): at least
   * 1,000 ms means no call ever exceeded the limit; how far above says how much room was left.
   */
  tightestSpanMs: number | null;
}

/** One call as the vendor saw it, for `--trace`: its wall-clock arrival and the answer it got. */
export interface VendorArrival {
  /** The client's `x-client-request-id`, when it sent one. */
  id: string | null;
  /** Milliseconds since the epoch (`performance.timeOrigin + performance.now()`), sub-millisecond. */
  at: number;
  status: 200 | 429;
}

export interface RateLimitedImageServer {
  url: string;
  stats: RateLimitedServerStats;
  /** Brings `stats` up to date (they live in the stand-in's process). */
  refreshStats(): Promise<void>;
  /** Every call since the last reset, in order of arrival. */
  arrivals(): Promise<VendorArrival[]>;
  resetStats(): void;
  close(): Promise<void>;
}

/**
 * An OpenAI-Images-shaped server that behaves like a busy GPU vendor: each call takes `callMs`,
 * and at most `perSecond` calls may start in any one-second window — beyond that it answers 429
 * with `retry-after` (whole seconds, as most vendors send it). Every answer carries OpenAI's
 * `x-ratelimit-*-requests` headers for that window, as of the call's arrival. A call is stamped
 * when its body has arrived whole.
 */
export async function startRateLimitedImageServer(options: {
  callMs: number;
  perSecond: number;
  size: number;
}): Promise<RateLimitedImageServer> {
  const image = await texturedPng(options.size);
  const body = JSON.stringify({ created: 0, data: [{ b64_json: Buffer.from(image).toString('base64') }] });
  const stats: RateLimitedServerStats = {
    accepted: 0,
    rateLimited: 0,
    rateLimitedAt: [],
    lastAcceptedAt: 0,
    maxArrivalsPerSecond: 0,
    tightestSpanMs: null,
  };
  let firstAcceptedAt: number | null = null;
  const log: VendorArrival[] = [];
  const starts: number[] = [];
  // Every arrival of the last second, refused ones too: what a client sent, as the vendor saw it.
  const arrivals: number[] = [];
  /** OpenAI's quota headers, for the window this server counts in. */
  const quotaHeaders = (now: number) => ({
    'x-ratelimit-limit-requests': String(options.perSecond),
    'x-ratelimit-remaining-requests': String(Math.max(0, options.perSecond - starts.length)),
    'x-ratelimit-reset-requests': `${Math.max(0, Math.ceil(1000 - (now - (starts[0] ?? now))))}ms`,
  });
  const server: Server = createServer((request, response) => {
    request.resume();
    // The health check (`GET /v1/models`) is answered at once and not counted: the vendor's limit
    // here is on image calls, and a 2 s "image" answer to it would start the clock early.
    if (request.method === 'GET') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-image-1', object: 'model' }] }));
      return;
    }
    request.on('end', () => {
      const now = performance.now();
      while (starts.length > 0 && now - (starts[0] ?? 0) >= 1000) starts.shift();
      while (arrivals.length > 0 && now - (arrivals[0] ?? 0) >= 1000) arrivals.shift();
      arrivals.push(now);
      stats.maxArrivalsPerSecond = Math.max(stats.maxArrivalsPerSecond, arrivals.length);
      const id = request.headers['x-client-request-id'];
      const entry: VendorArrival = {
        id: typeof id === 'string' ? id : null,
        at: performance.timeOrigin + now,
        status: 200,
      };
      log.push(entry);
      const tenthBefore = log.at(-1 - options.perSecond);
      if (tenthBefore) {
        const span = entry.at - tenthBefore.at;
        stats.tightestSpanMs = Math.min(stats.tightestSpanMs ?? span, span);
      }
      if (starts.length >= options.perSecond) {
        entry.status = 429;
        stats.rateLimited += 1;
        stats.rateLimitedAt.push(Math.round(now - (firstAcceptedAt ?? now)));
        const waitSeconds = Math.max(1, Math.ceil((1000 - (now - (starts[0] ?? now))) / 1000));
        response.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(waitSeconds),
          ...quotaHeaders(now),
        });
        response.end(
          JSON.stringify({
            error: {
              message: 'Rate limit reached',
              type: 'requests',
              param: null,
              code: 'rate_limit_exceeded',
            },
          }),
        );
        return;
      }
      starts.push(now);
      firstAcceptedAt ??= now;
      stats.lastAcceptedAt = Math.round(now - firstAcceptedAt);
      stats.accepted += 1;
      const headers = { 'x-request-id': `req_${stats.accepted}`, ...quotaHeaders(now) };
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json', ...headers });
        response.end(body);
      }, options.callMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    refreshStats: async () => {},
    arrivals: async () => [...log],
    resetStats() {
      stats.accepted = 0;
      stats.rateLimited = 0;
      stats.rateLimitedAt = [];
      stats.lastAcceptedAt = 0;
      stats.maxArrivalsPerSecond = 0;
      stats.tightestSpanMs = null;
      firstAcceptedAt = null;
      starts.length = 0;
      arrivals.length = 0;
      log.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A picture with gradients and stripes: passes the blank/uniform checks like a real render. */
async function texturedPng(size: number): Promise<Uint8Array> {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const offset = (y * size + x) * 4;
      rgba[offset] = (x * 255) / size;
      rgba[offset + 1] = (y * 255) / size;
      rgba[offset + 2] = ((x >> 5) + (y >> 5)) % 2 === 0 ? 200 : 60;
      rgba[offset + 3] = 255;
    }
  }
  return encodeRgbaAsPng(rgba, size, size);
}

/**
 * A vendor runs on another machine; here it runs in its own process, so the stand-in's clock and
 * event loop are not the ones Vitrine keeps busy. The parent talks to it over IPC.
 */
export async function startRateLimitedImageServerProcess(options: {
  callMs: number;
  perSecond: number;
  size: number;
}): Promise<RateLimitedImageServer> {
  const { fork } = await import('node:child_process');
  const child = fork(new URL(import.meta.url), ['--serve', JSON.stringify(options)], { stdio: 'inherit' });
  const request = <T>(type: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (message: { type: string; value: T }) => resolve(message.value));
      child.send({ type });
    });
  const url = await new Promise<string>((resolve) =>
    child.once('message', (message: { type: string; value: string }) => resolve(message.value)),
  );
  const stats: RateLimitedServerStats = {
    accepted: 0,
    rateLimited: 0,
    rateLimitedAt: [],
    lastAcceptedAt: 0,
    maxArrivalsPerSecond: 0,
    tightestSpanMs: null,
  };
  return {
    url,
    stats,
    async refreshStats() {
      Object.assign(stats, await request<RateLimitedServerStats>('stats'));
    },
    arrivals: () => request<VendorArrival[]>('arrivals'),
    resetStats() {
      child.send({ type: 'reset' });
    },
    async close() {
      child.kill();
    },
  };
}

if (process.argv[2] === '--serve' && process.send) {
  const server = await startRateLimitedImageServer(JSON.parse(process.argv[3] ?? '{}'));
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') process.send?.({ type: 'stats', value: server.stats });
    if (message.type === 'arrivals')
      void server.arrivals().then((value) => process.send?.({ type: 'arrivals', value }));
    if (message.type === 'reset') server.resetStats();
  });
  // The benchmark that started this stand-in is gone (finished or crashed): so is the stand-in.
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'url', value: server.url });
}
