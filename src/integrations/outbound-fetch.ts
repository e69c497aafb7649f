import { sharedSafeFetch, UnsafeDestinationError } from '../net/safe-fetch.ts';
import { PublishError } from './publish-error.ts';

export interface OutboundOptions {
  allowPrivateUrls: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The code a refused or unreachable address is reported with (`cms_unavailable`, …). */
  errorPrefix: string;
}

export interface OutboundInit {
  method: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | FormData;
}

/**
 * Calls to URLs an operator configured (a CMS, a shop, a staged-upload target, Slack) through the
 * project's one safe fetch (src/net): private and loopback addresses refused unless allowed, the
 * address checked being the one connected to, no redirects followed, bounded in time. A refused
 * address is a PublishError that is not retried; a network failure one that is.
 */
export async function outboundFetch(
  url: string,
  init: OutboundInit,
  options: OutboundOptions,
): Promise<Response> {
  const signal = options.signal
    ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
    : AbortSignal.timeout(options.timeoutMs);
  const headers = { ...init.headers };
  let body: string | Uint8Array | undefined;
  if (init.body instanceof FormData) {
    // Encoded here (boundary and all), so the bytes sent are exactly the form's.
    const encoded = new Request('http://form.invalid/', { method: 'POST', body: init.body });
    body = new Uint8Array(await encoded.arrayBuffer());
    headers['content-type'] = encoded.headers.get('content-type')!;
  } else body = init.body;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {}
  try {
    return await sharedSafeFetch(options.allowPrivateUrls).fetch(url, {
      method: init.method,
      headers,
      body,
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof UnsafeDestinationError)
      throw new PublishError(`${options.errorPrefix}_refused`, error.message, {
        retryable: false,
        cause: error,
      });
    throw new PublishError(
      `${options.errorPrefix}_unavailable`,
      `Could not reach ${host}: ${(error as Error).message}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
}
