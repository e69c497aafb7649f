import type { z } from 'zod';
import { AppError, isAppError } from '../domain/errors.ts';
import type { ImageFormat } from '../domain/template.ts';
import type { ProviderHealth } from './spec.ts';

/**
 * What the HTTP adapters share: one fetch wrapper that turns network failures and aborts into the
 * error taxonomy, the status → code mapping, minimal-schema response parsing and capped reads.
 */

export type FetchFunction = typeof fetch;

/** Options every HTTP adapter factory takes; `fetch` is injectable for tests and proxies. */
export interface ProviderHttpOptions {
  fetch?: FetchFunction;
}

/** Who is calling, for error messages and `details`. */
export interface ProviderLabel {
  providerId: string;
  /** Vendor name for messages: 'OpenAI', 'Stability AI', … */
  vendor: string;
}

/** The largest image body we accept from a backend (a 4096² PNG with alpha is ~50 MB at worst). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/**
 * The error an aborted call rejects with: the signal's reason when it is an `AppError` (the
 * caller's timeout says `provider_unavailable`), else `canceled`, never retried.
 */
export function abortError(signal: AbortSignal, what: string): AppError {
  if (isAppError(signal.reason)) return signal.reason;
  return new AppError('canceled', `${what} was canceled`, { retryable: false, cause: signal.reason });
}

/** Rejects right away when the signal already aborted. */
export function throwIfAborted(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw abortError(signal, what);
}

/** Resolves with `promise`, or rejects with `abortError` as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal, what));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal, what));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Network-level failure codes (undici puts them on `cause.code`). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** The network error code of a failed fetch, when there is one ('ECONNREFUSED', 'UND_ERR_SOCKET', …). */
export function connectionErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A network failure (refused, reset, dropped) as a retryable `provider_unavailable`. */
export function connectionError(label: ProviderLabel, error: unknown, url: string): AppError {
  const code = connectionErrorCode(error) ?? 'network error';
  return new AppError('provider_unavailable', `${label.vendor} could not be reached (${code})`, {
    retryable: true,
    cause: error,
    details: { provider: label.providerId, url: redactUrl(url), network: code },
  });
}

/**
 * `fetch` with the taxonomy: aborts reject with `abortError`, network failures with a retryable
 * `provider_unavailable`. HTTP error statuses are returned, for the adapter's vendor-aware mapping.
 */
export async function sendRequest(
  fetchFunction: FetchFunction,
  label: ProviderLabel,
  url: string,
  init: RequestInit & { signal: AbortSignal },
): Promise<Response> {
  throwIfAborted(init.signal, `The ${label.vendor} call`);
  try {
    return await fetchFunction(url, init);
  } catch (error) {
    if (init.signal.aborted) throw abortError(init.signal, `The ${label.vendor} call`);
    if (isAppError(error)) throw error;
    throw connectionError(label, error, url);
  }
}

/** Reads a body as text; a connection dropped mid-body is `provider_unavailable`. */
export async function readText(
  response: Response,
  label: ProviderLabel,
  signal: AbortSignal,
): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (signal.aborted) throw abortError(signal, `The ${label.vendor} call`);
    throw connectionError(label, error, response.url);
  }
}

/** Reads a body as bytes, refusing more than `maxBytes` (checked on the header and while reading). */
export async function readBytes(
  response: Response,
  label: ProviderLabel,
  signal: AbortSignal,
  maxBytes: number = MAX_IMAGE_BYTES,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(label, declared, maxBytes);
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        await response.body.cancel().catch(() => {});
        throw tooLarge(label, total, maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    if (signal.aborted) throw abortError(signal, `The ${label.vendor} call`);
    throw connectionError(label, error, response.url);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function tooLarge(label: ProviderLabel, bytes: number, maxBytes: number): AppError {
  return invalidResponse(label, `${label.vendor} sent ${bytes} bytes, more than the ${maxBytes} we accept`);
}

/**
 * A 2xx answer we cannot use (malformed JSON, schema mismatch, no image). Retryable: such answers
 * are usually a truncated or glitched response, and the queue caps the attempts.
 */
export function invalidResponse(
  label: ProviderLabel,
  message: string,
  details: Record<string, unknown> = {},
) {
  return new AppError('provider_response_invalid', message, {
    retryable: true,
    details: { provider: label.providerId, ...details },
  });
}

/** Parses JSON text against a deliberately minimal schema; anything else is `provider_response_invalid`. */
export function parseJsonBody<T>(
  label: ProviderLabel,
  text: string,
  schema: z.ZodType<T>,
  requestId?: string,
): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidResponse(label, `${label.vendor} answered with malformed JSON`, {
      requestId,
      body: text.slice(0, 200),
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidResponse(
      label,
      `${label.vendor} answered with an unexpected shape (${issue?.path.join('.') || 'body'}: ${issue?.message})`,
      { requestId },
    );
  }
  return parsed.data;
}

/** Parses JSON when it is JSON; error bodies of proxies are often HTML or plain text. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface HttpFailure {
  status: number;
  message: string;
  requestId?: string;
  retryAfterMs?: number;
  /** The vendor's own error code or name, kept in `details`. */
  vendorCode?: string;
}

/**
 * The generic status mapping; adapters handle their vendor-specific cases (content filters, quota)
 * first. Auth failures become a non-retryable `provider_unavailable`: the provider cannot serve
 * anyone until an operator fixes the key, and `unauthorized` is reserved for our own API callers.
 */
export function errorFromStatus(label: ProviderLabel, failure: HttpFailure): AppError {
  const { status } = failure;
  const details = {
    provider: label.providerId,
    status,
    requestId: failure.requestId,
    vendorCode: failure.vendorCode,
  };
  const said = `${label.vendor} (HTTP ${status}): ${failure.message}`;
  if (status === 429) {
    return new AppError('rate_limited', `${label.vendor} is rate limiting us: ${failure.message}`, {
      retryable: true,
      retryAfterMs: failure.retryAfterMs,
      details,
    });
  }
  if (status === 402) return new AppError('quota_exceeded', said, { retryable: false, details });
  if (status === 401 || status === 403) {
    return new AppError(
      'provider_unavailable',
      `${label.vendor} rejected our API key (HTTP ${status}): ${failure.message}`,
      {
        retryable: false,
        details,
      },
    );
  }
  if (status === 408 || status === 409 || status >= 500) {
    return new AppError('provider_unavailable', said, { retryable: true, details });
  }
  if (status >= 400) return new AppError('invalid_request', said, { retryable: false, details });
  return new AppError('provider_response_invalid', `${label.vendor} answered HTTP ${status}`, {
    retryable: true,
    details,
  });
}

/** The vendor's request id from the usual headers. */
export function requestIdOf(headers: Headers): string | undefined {
  return headers.get('x-request-id') ?? headers.get('x-amzn-requestid') ?? undefined;
}

/** The format of image bytes from their magic numbers; undefined when not PNG, JPEG or WebP. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return undefined;
}

/** Decodes a base64 image and checks it is one; an empty or non-image payload is `provider_response_invalid`. */
export function decodeBase64Image(label: ProviderLabel, base64: string, requestId?: string) {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const format = sniffImageFormat(bytes);
  if (!format) throw invalidResponse(label, `${label.vendor} sent an image we cannot read`, { requestId });
  return { bytes, format };
}

/** Drops credentials and query strings from URLs placed in error details. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

/** Joins a base URL and a path, tolerating trailing slashes on the base. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * A provider's health from one cheap GET: `ok` with `describe(body)` on a 2xx, else the message the
 * adapter's own error mapping gives that answer; a network failure is its message. Never throws.
 */
export async function checkHealthWithGet(
  request: {
    fetchFunction: FetchFunction;
    label: ProviderLabel;
    url: string;
    headers: Record<string, string>;
  },
  signal: AbortSignal,
  answer: {
    toError(label: ProviderLabel, status: number, headers: Headers, text: string): Error;
    describe(text: string): string;
  },
): Promise<ProviderHealth> {
  const checkedAt = () => new Date().toISOString();
  try {
    const response = await sendRequest(request.fetchFunction, request.label, request.url, {
      method: 'GET',
      headers: request.headers,
      signal,
    });
    const text = await readText(response, request.label, signal);
    if (!response.ok) {
      const message = answer.toError(request.label, response.status, response.headers, text).message;
      return { ok: false, message, checkedAt: checkedAt() };
    }
    return { ok: true, message: answer.describe(text), checkedAt: checkedAt() };
  } catch (error) {
    return { ok: false, message: (error as Error).message, checkedAt: checkedAt() };
  }
}
