import { createHmac } from 'node:crypto';
import { sharedSafeFetch, UnsafeDestinationError } from '../../net/safe-fetch.ts';

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** The destination is not allowed (a private address): retrying cannot help. */
  refused: boolean;
}

const TIMEOUT_MS = 10_000;

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`: what a receiver checks. */
export function signatureHeader(
  secret: string,
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const signature = createHmac('sha256', secret).update(`${nowSeconds}.${body}`).digest('hex');
  return `t=${nowSeconds},v1=${signature}`;
}

/**
 * POSTs one delivery, signed. Never throws: a refusal, a timeout or a non-2xx answer comes back as
 * an outcome to record. Private and loopback addresses are refused unless allowed (the SSRF guard
 * of safe-fetch: checked on the address actually connected to). Redirects are not followed.
 */
export async function sendWebhook(
  delivery: { id: string; url: string; event_type: string; body: string },
  secret: string,
  options: { allowPrivateUrls: boolean },
): Promise<SendOutcome> {
  try {
    const response = await sharedSafeFetch(options.allowPrivateUrls).fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Vitrine-Webhooks/1',
        'vitrine-signature': signatureHeader(secret, delivery.body),
        'vitrine-event': delivery.event_type,
        'vitrine-delivery': delivery.id,
      },
      body: delivery.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}`, refused: false };
  } catch (error) {
    const refused = error instanceof UnsafeDestinationError;
    return { ok: false, statusCode: null, error: (error as Error).message.slice(0, 300), refused };
  }
}
