import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../generation/input-images.ts';

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
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
 * an outcome to record. Private and loopback addresses are refused unless allowed (SSRF guard).
 */
export async function sendWebhook(
  delivery: { id: string; url: string; event_type: string; body: string },
  secret: string,
  options: { allowPrivateUrls: boolean },
): Promise<SendOutcome> {
  try {
    if (!options.allowPrivateUrls) {
      const host = new URL(delivery.url).hostname.replace(/^\[|\]$/g, '');
      const addresses = isIP(host)
        ? [host]
        : (await lookup(host, { all: true })).map((entry) => entry.address);
      if (addresses.some(isPrivateAddress)) {
        return { ok: false, statusCode: null, error: `refused: ${host} is a private address` };
      }
    }
    const response = await fetch(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Vitrine-Webhooks/1',
        'vitrine-signature': signatureHeader(secret, delivery.body),
        'vitrine-event': delivery.event_type,
        'vitrine-delivery': delivery.id,
      },
      body: delivery.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    const ok = response.status >= 200 && response.status < 300;
    return { ok, statusCode: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: (error as Error).message.slice(0, 300) };
  }
}
