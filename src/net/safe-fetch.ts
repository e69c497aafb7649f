import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent, fetch as undiciFetch } from 'undici';
import {
  addressProblem as defaultAddressProblem,
  isAddressLiteral,
  literalHostProblem,
} from './address-policy.ts';

/** Resolves a host name to its addresses (all families); injectable for tests. */
export type HostResolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface SafeFetchOptions {
  /** `VITRINE_ALLOW_PRIVATE_URLS`: reach private and loopback addresses too (tests, trusted LANs). */
  allowPrivate: boolean;
  resolve?: HostResolver;
  /** Null when an address may be connected to; the reason otherwise. Default: public unicast only. */
  addressProblem?: (address: string) => string | null;
}

export interface SafeRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal: AbortSignal;
  /** Redirects to follow, each hop checked like the first; 0 (default) returns the 3xx itself. */
  maxRedirects?: number;
}

/** The destination is not allowed: a private address, given literally or by what a name resolves to. */
export class UnsafeDestinationError extends Error {
  readonly code = 'EUNSAFEDESTINATION';
}

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * The one way Vitrine fetches a URL a user gave it (product images, brand logos, batch rows,
 * webhooks). Literal addresses are checked before anything is sent; a name is resolved by the
 * connection's own `lookup`, which refuses the connection when any answer is not public — so the
 * address checked is the address connected to, and a second DNS answer cannot rebind it.
 * Redirects are followed only when asked, each hop through the same checks.
 */
export class SafeFetch {
  readonly #allowPrivate: boolean;
  readonly #resolve: HostResolver;
  readonly #addressProblem: (address: string) => string | null;
  readonly #agent: Agent;

  constructor(options: SafeFetchOptions) {
    this.#allowPrivate = options.allowPrivate;
    this.#resolve = options.resolve ?? systemResolver;
    this.#addressProblem = options.addressProblem ?? defaultAddressProblem;
    this.#agent = new Agent({
      connect: { lookup: this.#lookup },
      keepAliveTimeout: 4_000,
    });
  }

  async fetch(url: string, init: SafeRequestInit): Promise<Response> {
    let current = url;
    for (let hop = 0; ; hop++) {
      const problem = this.#literalProblem(current);
      if (problem) throw new UnsafeDestinationError(`refused: ${problem}`);
      let response: Awaited<ReturnType<typeof undiciFetch>>;
      try {
        response = await undiciFetch(current, {
          method: init.method ?? 'GET',
          headers: init.headers,
          body: init.body,
          signal: init.signal,
          redirect: 'manual',
          dispatcher: this.#agent,
        });
      } catch (error) {
        throw unsafeCause(error) ?? error;
      }
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location)
        return response as unknown as Response;
      if (hop >= (init.maxRedirects ?? 0)) return response as unknown as Response;
      await response.body?.cancel();
      current = new URL(location, current).toString();
    }
  }

  /**
   * Null when `url` may be fetched; otherwise why not. Resolves names (without connecting), for
   * checks at registration time such as a webhook endpoint.
   */
  async checkDestination(url: string): Promise<string | null> {
    const literal = this.#literalProblem(url);
    if (literal || this.#allowPrivate) return literal;
    const host = new URL(url).hostname;
    if (isAddressLiteral(host)) return null;
    const addresses = await this.#resolve(host).catch(() => []);
    return this.#answersProblem(host, addresses);
  }

  /** Only the scheme (and `localhost`-ness) matters when private addresses are allowed. */
  #literalProblem(url: string): string | null {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `${url} is not a valid URL`;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `${url} is not an http(s) URL`;
    if (this.#allowPrivate) return null;
    const host = parsed.hostname;
    if (isAddressLiteral(host)) return this.#addressProblem(host.replace(/^\[|\]$/g, ''));
    return literalHostProblem(url);
  }

  #answersProblem(host: string, addresses: ReadonlyArray<{ address: string }>): string | null {
    for (const { address } of addresses) {
      const problem = this.#addressProblem(address);
      if (problem) return `${host} resolves to ${problem}`;
    }
    return null;
  }

  /** `net.connect`'s lookup: the answer is checked here, and the socket connects to it. */
  readonly #lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    this.#resolve(hostname).then(
      (answers) => {
        const usable = answers.filter(({ family }) => !options.family || family === options.family);
        if (usable.length === 0) {
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
          return;
        }
        const problem = this.#allowPrivate ? null : this.#answersProblem(hostname, usable);
        if (problem) {
          callback(new UnsafeDestinationError(`refused: ${problem}`), '');
          return;
        }
        if (options.all)
          callback(
            null,
            usable.map(({ address, family }) => ({ address, family })),
          );
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: Error) => callback(error, ''),
    );
  };
}

/** The refusal inside a failed fetch (undici wraps connect errors as `cause`). */
function unsafeCause(error: unknown): UnsafeDestinationError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof UnsafeDestinationError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

const shared = new Map<boolean, SafeFetch>();

/** One SafeFetch (and connection pool) per policy for the whole process. */
export function sharedSafeFetch(allowPrivate: boolean): SafeFetch {
  let fetcher = shared.get(allowPrivate);
  if (!fetcher) {
    fetcher = new SafeFetch({ allowPrivate });
    shared.set(allowPrivate, fetcher);
  }
  return fetcher;
}
