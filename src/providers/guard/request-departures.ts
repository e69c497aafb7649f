import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';

/**
 * When a request really leaves: the moment fetch (undici, bundled in Node or the package) has
 * written its body — a vendor counts a request once it has arrived whole. Between `fetch()` and
 * that write there may be a connection to open and a busy event loop to wait for (the body is
 * written after the headers, in later turns of the loop) — long enough, on a loaded machine, for
 * requests paced a window apart to reach the vendor together. undici announces each finished body
 * on the `undici:request:bodySent` diagnostics channel; a request is recognized by the
 * `x-client-request-id` header given to it here (OpenAI's own header for a client's request id).
 */
const CLIENT_ID_HEADER = 'x-client-request-id';
const ID_IN_HEAD = /(?:^|\r\n)x-client-request-id: ([^\r]+)\r\n/i;
const waiting = new Map<string, () => void>();
let subscribed = false;

/** The id header of an undici request: its headers are a flat [name, value, …] list or raw text. */
function clientIdOf(headers: unknown): string | undefined {
  if (typeof headers === 'string') return ID_IN_HEAD.exec(headers)?.[1];
  if (!Array.isArray(headers)) return undefined;
  for (let index = 0; index + 1 < headers.length; index += 2) {
    if (String(headers[index]).toLowerCase() === CLIENT_ID_HEADER) return String(headers[index + 1]);
  }
  return undefined;
}

function onBodySent(message: unknown): void {
  if (waiting.size === 0) return;
  const id = clientIdOf((message as { request?: { headers?: unknown } }).request?.headers);
  const departed = id === undefined ? undefined : waiting.get(id);
  if (!id || !departed) return;
  waiting.delete(id);
  departed();
}

export interface WatchedRequest {
  /** The request's options with its id header added. */
  init: RequestInit;
  /** Stops watching (the request settled); safe to call twice. */
  forget(): void;
}

/** Calls `departed` when the request sent with the returned options has written its body. */
export function watchDeparture(init: RequestInit | undefined, departed: () => void): WatchedRequest {
  if (!subscribed) {
    subscribe('undici:request:bodySent', onBodySent);
    subscribed = true;
  }
  const headers = new Headers(init?.headers);
  let id = headers.get(CLIENT_ID_HEADER);
  if (!id) {
    id = randomUUID();
    headers.set(CLIENT_ID_HEADER, id);
  }
  const key = id;
  waiting.set(key, departed);
  return { init: { ...init, headers }, forget: () => waiting.delete(key) };
}
