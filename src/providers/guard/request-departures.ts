import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';

/**
 * When a request really leaves: the moment fetch (undici, bundled in Node or the package) writes
 * its headers to the socket. Between `fetch()` and that write there may be a connection to open
 * and a busy event loop to wait for — long enough, on a loaded machine, for requests paced a
 * window apart to reach the vendor together. undici announces each write on the
 * `undici:client:sendHeaders` diagnostics channel; a request is recognized by the
 * `x-client-request-id` header given to it here (OpenAI's own header for a client's request id).
 */
const CLIENT_ID_HEADER = 'x-client-request-id';
const ID_IN_HEAD = /\r\nx-client-request-id: ([^\r]+)\r\n/i;
const waiting = new Map<string, () => void>();
let subscribed = false;

function onHeadersSent(message: unknown): void {
  if (waiting.size === 0) return;
  const head = (message as { headers?: unknown }).headers;
  if (typeof head !== 'string') return;
  const id = ID_IN_HEAD.exec(head)?.[1];
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

/** Calls `departed` when the request sent with the returned options writes its headers. */
export function watchDeparture(init: RequestInit | undefined, departed: () => void): WatchedRequest {
  if (!subscribed) {
    subscribe('undici:client:sendHeaders', onHeadersSent);
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
