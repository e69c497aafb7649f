import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../services/generation/input-images.ts';
import { PublishError } from './publish-error.ts';

export interface OutboundOptions {
  allowPrivateUrls: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The code a refused or unreachable address is reported with (`cms_unavailable`, …). */
  errorPrefix: string;
}

/**
 * `fetch` for URLs an operator configured (a CMS, a shop, a staged-upload target): refuses private
 * and loopback addresses unless allowed (SSRF), never follows redirects, and is bounded in time.
 * A network failure becomes a retryable PublishError; the caller reads the status.
 */
export async function outboundFetch(
  url: string,
  init: RequestInit,
  options: OutboundOptions,
): Promise<Response> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PublishError(
      `${options.errorPrefix}_refused`,
      `Only http(s) URLs are called, not ${parsed.protocol}`,
      {
        retryable: false,
      },
    );
  }
  if (!options.allowPrivateUrls) await refusePrivate(parsed.hostname, options.errorPrefix);
  try {
    return await fetch(parsed, {
      ...init,
      redirect: 'manual',
      signal: options.signal
        ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
        : AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new PublishError(
      `${options.errorPrefix}_unavailable`,
      `Could not reach ${parsed.host}: ${(error as Error).message}`,
      {
        retryable: true,
        cause: error,
      },
    );
  }
}

async function refusePrivate(hostname: string, prefix: string): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
  if (addresses.length === 0)
    throw new PublishError(`${prefix}_unavailable`, `Cannot resolve ${hostname}`, { retryable: true });
  if (addresses.some(isPrivateAddress))
    throw new PublishError(`${prefix}_refused`, `Refusing to call a private address (${hostname})`, {
      retryable: false,
    });
}
