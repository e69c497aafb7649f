/**
 * Retry hints the vendors send with a 429, turned into milliseconds. Pure functions: the adapters
 * pass headers and message text; `undefined` means "no hint", and the queue's backoff applies.
 */

const GO_DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Go-style durations as in OpenAI's `x-ratelimit-reset-*` headers: "20ms", "1.8s", "6m0s", "1h2m3.5s". */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(GO_DURATION_PART)) {
    if (match.index !== consumed) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    consumed += match[0].length;
  }
  if (consumed !== trimmed.length || !Number.isFinite(total)) return undefined;
  return Math.ceil(total);
}

/** `retry-after`: delta seconds ("2", "2.0") or an HTTP date; past dates mean "now" (0). */
export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** OpenAI puts the wait in the message: "… Please try again in 10.666s." or "in 6m0s" or "in 20ms". */
export function parseRetryHintFromMessage(message: string): number | undefined {
  const match = /try again in\s+([\d.]+(?:ns|us|µs|ms|s|m|h)(?:[\d.]+(?:ns|us|µs|ms|s|m|h))*)/i.exec(message);
  return match?.[1] ? parseGoDuration(match[1]) : undefined;
}

/**
 * The wait a 429 asks for, in the official OpenAI SDK's order: `retry-after-ms`, `retry-after`,
 * then the message text, then the reset header of the exhausted limit (`x-ratelimit-reset-*`).
 */
export function retryAfterMsFrom(
  headers: Headers,
  message = '',
  now: number = Date.now(),
): number | undefined {
  const retryAfterMs = headers.get('retry-after-ms');
  if (retryAfterMs !== null && /^\d+(\.\d+)?$/.test(retryAfterMs.trim())) {
    return Math.ceil(Number(retryAfterMs));
  }
  const retryAfter = headers.get('retry-after');
  const fromRetryAfter = retryAfter === null ? undefined : parseRetryAfter(retryAfter, now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const fromMessage = parseRetryHintFromMessage(message);
  if (fromMessage !== undefined) return fromMessage;
  return resetOfExhaustedLimit(headers);
}

function resetOfExhaustedLimit(headers: Headers): number | undefined {
  const resets: number[] = [];
  for (const limit of ['requests', 'tokens']) {
    const reset = headers.get(`x-ratelimit-reset-${limit}`);
    const waitMs = reset === null ? undefined : parseGoDuration(reset);
    if (waitMs === undefined) continue;
    // The exhausted limit is the one to wait for; when none says 0 remaining, the longer wait is safe.
    if (headers.get(`x-ratelimit-remaining-${limit}`)?.trim() === '0') return waitMs;
    resets.push(waitMs);
  }
  return resets.length > 0 ? Math.max(...resets) : undefined;
}

export interface VendorQuota {
  /** Requests the vendor will still take in its current window. */
  remaining?: number;
  /** Milliseconds from the request until that window resets. */
  resetMs?: number;
}

/**
 * The request quota a vendor reports on any answer: OpenAI's `x-ratelimit-remaining-requests` /
 * `x-ratelimit-reset-requests` (a Go duration), the IETF draft's `ratelimit-remaining` /
 * `ratelimit-reset` (delta seconds), or the common `x-ratelimit-remaining` / `x-ratelimit-reset`
 * (delta seconds, or a Unix time in seconds when it is that large). Empty when none is sent.
 */
export function vendorQuotaFrom(headers: Headers, now: number = Date.now()): VendorQuota {
  const openaiRemaining = headers.get('x-ratelimit-remaining-requests');
  if (openaiRemaining !== null) {
    const reset = headers.get('x-ratelimit-reset-requests');
    return {
      remaining: wholeNumber(openaiRemaining),
      resetMs: reset === null ? undefined : parseGoDuration(reset),
    };
  }
  for (const prefix of ['ratelimit', 'x-ratelimit']) {
    const remaining = headers.get(`${prefix}-remaining`);
    if (remaining === null) continue;
    return {
      remaining: wholeNumber(remaining),
      resetMs: secondsOrUnixTime(headers.get(`${prefix}-reset`), now),
    };
  }
  return {};
}

function wholeNumber(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** Unix times in seconds are past 10^9; a window is never that many seconds long. */
function secondsOrUnixTime(text: string | null, now: number): number | undefined {
  if (text === null || !/^\d+(\.\d+)?$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return value > 1e9 ? Math.max(0, value * 1000 - now) : Math.ceil(value * 1000);
}
