/**
 * A failure talking to a shop, a CMS or a bucket. `code` is what a publication (a row's delivery)
 * records — `shopify_throttled`, `cms_rejected`, … — and `retryable` decides whether the queue
 * tries again with backoff or the publication fails at once (and waits for a replay).
 */
export class PublishError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly statusCode: number | null;
  readonly retryAfterMs: number | undefined;
  /** The start of what the other side answered, for the delivery log. */
  readonly bodyExcerpt: string | null;
  /** What the failed attempt sent (method, URL, body excerpt — never a secret), for the log. */
  request: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: {
      retryable: boolean;
      statusCode?: number | null;
      retryAfterMs?: number;
      bodyExcerpt?: string | null;
      cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.name = 'PublishError';
    this.code = code;
    this.retryable = options.retryable;
    this.statusCode = options.statusCode ?? null;
    this.retryAfterMs = options.retryAfterMs;
    this.bodyExcerpt = options.bodyExcerpt ?? null;
  }
}

export function isPublishError(error: unknown): error is PublishError {
  return error instanceof PublishError;
}

const EXCERPT_CHARS = 500;

export function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

/** Seconds or an HTTP date, as `Retry-After` may be; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
