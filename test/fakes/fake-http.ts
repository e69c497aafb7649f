import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/**
 * The shared machinery of the fake backends: a loopback `node:http` server that records every
 * request (headers, parsed JSON or multipart fields) and lets a test script what the next calls get.
 */

/** Failure scripts every fake understands; each fake renders them in its vendor's wire format. */
export type FakeScenario =
  | 'rate_limit_with_hint'
  | 'rate_limit'
  | 'content_filter'
  | 'server_error'
  | 'drop'
  | 'malformed'
  | 'no_image'
  | 'hang'
  | 'unhealthy'
  /** Chat models: the model declines (`message.refusal`, or a stop reason naming a filter). */
  | 'refusal'
  /** Chat models: a well-formed answer whose text is not the JSON object asked for. */
  | 'not_json'
  /** Chat models: the stream breaks off after its first delta. */
  | 'drop_mid_stream'
  /** OpenAI: 429 `insufficient_quota`, which must not be retried. */
  | 'quota';

export interface RecordedFile {
  filename: string;
  type: string;
  bytes: Uint8Array;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Uint8Array;
  /** Parsed when the body is JSON. */
  json?: unknown;
  /** Parsed when the body is multipart/form-data. */
  form?: Record<string, string | RecordedFile>;
}

/** HTTP/2 compat requests and responses are handled through the HTTP/1 shapes they mirror. */
type FakeRequest = http.IncomingMessage;
type FakeResponse = http.ServerResponse;

export interface FakeContext {
  request: RecordedRequest;
  req: FakeRequest;
  res: FakeResponse;
  /** The scripted scenario for this request, when one was queued and the route consumes it. */
  takeScenario(): FakeScenario | undefined;
}

export type FakeHandler = (context: FakeContext) => unknown;

export class FakeHttpServer extends EventEmitter {
  readonly requests: RecordedRequest[] = [];
  readonly #server: http.Server | http2.Http2Server;
  readonly #scenarios: FakeScenario[] = [];
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  #handler: FakeHandler;

  /** `http2`: speak cleartext HTTP/2 (h2c), as the AWS SDK's default handler expects. */
  constructor(handler: FakeHandler, options: { http2?: boolean } = {}) {
    super();
    this.#handler = handler;
    const onRequest = (req: FakeRequest, res: FakeResponse) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
    };
    if (options.http2) {
      const server = http2.createServer((req, res) =>
        onRequest(req as unknown as FakeRequest, res as unknown as FakeResponse),
      );
      server.on('session', (session) => {
        this.#sessions.add(session);
        session.on('close', () => this.#sessions.delete(session));
      });
      this.#server = server;
    } else {
      this.#server = http.createServer(onRequest);
    }
  }

  get server(): http.Server | http2.Http2Server {
    return this.#server;
  }

  async listen(): Promise<string> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return this.url;
  }

  get url(): string {
    const address = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** The next requests that reach a scenario-aware route get these, in order. */
  script(...scenarios: FakeScenario[]): void {
    this.#scenarios.push(...scenarios);
  }

  /** Resolves with the first recorded request (past or future) that matches. */
  async waitForRequest(predicate: (request: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const seen = this.requests.find(predicate);
    if (seen) return seen;
    for (;;) {
      const [request] = (await once(this, 'request')) as [RecordedRequest];
      if (predicate(request)) return request;
    }
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    if ('closeAllConnections' in this.#server) this.#server.closeAllConnections();
    for (const session of this.#sessions) session.destroy();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #handle(req: FakeRequest, res: FakeResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = new Uint8Array(Buffer.concat(chunks));
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.includes('json') && body.length > 0)
      request.json = JSON.parse(Buffer.from(body).toString());
    if (contentType.startsWith('multipart/form-data')) request.form = await parseMultipart(contentType, body);
    this.requests.push(request);
    this.emit('request', request);
    await this.#handler({ request, req, res, takeScenario: () => this.#scenarios.shift() });
  }
}

/** Multipart parsing through the web-standard `Request.formData()`. */
async function parseMultipart(contentType: string, body: Uint8Array) {
  const form = await new Request('http://fake/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  }).formData();
  const fields: Record<string, string | RecordedFile> = {};
  for (const [name, value] of form.entries()) {
    fields[name] =
      typeof value === 'string'
        ? value
        : { filename: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) };
  }
  return fields;
}

export function sendJson(
  res: FakeResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(text);
}

/** Never answers; the client has to abort. Records the abort on `server` as an 'aborted' event. */
export function hang(server: FakeHttpServer, context: FakeContext): void {
  context.res.on('close', () => server.emit('aborted', context.request));
}

/** Drops the connection without an answer (as a crashed backend or a reset proxy does). */
export function drop(context: FakeContext): void {
  const stream = (context.req as unknown as Partial<http2.Http2ServerRequest>).stream;
  if (stream) stream.session?.destroy();
  else context.req.socket.destroy();
}

/**
 * A real PNG, built without sharp: `width`×`height` RGB pixels of one `shade`, zlib-compressed
 * (node:zlib), with correct CRCs. Different shades give different bytes, so tests can tell images apart.
 */
export function makePng(width: number, height: number, shade = 128): Uint8Array {
  const row = Buffer.alloc(1 + width * 3, shade);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk('IHDR', header),
      pngChunk('IDAT', zlib.deflateSync(raw)),
      pngChunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * How the fakes draw the images they answer (not preview frames). End-to-end tests swap in a
 * textured picture, as a real model answers, so the images pass Vitrine's blank/uniform checks.
 */
export const fakeImages: { make: (width: number, height: number, shade: number) => Uint8Array } = {
  make: makePng,
};

/** A minimal JPEG header for fakes that answer jpeg; format sniffing only looks at the magic bytes. */
export const FAKE_JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9,
]);
