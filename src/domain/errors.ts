/**
 * The one error taxonomy of Vitrine. Every layer throws `AppError`; the API maps `code` to an HTTP
 * status in one place (api/errors.ts) and the worker decides retries from `retryable`.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'provider_unavailable'
  | 'provider_rejected'
  | 'provider_response_invalid'
  | 'quota_exceeded'
  | 'budget_exceeded'
  | 'image_invalid'
  | 'storage_failed'
  | 'canceled'
  /** A part of the server that this feature needs is not installed (ffmpeg for videos). */
  | 'unavailable'
  | 'internal';

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set([
  'rate_limited',
  'provider_unavailable',
  'storage_failed',
]);

export interface AppErrorOptions {
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A field-level validation problem, as reported in `details` of an `invalid_request` error. */
export interface FieldIssue {
  field: string;
  message: string;
}

export function invalidRequest(message: string, issues: FieldIssue[] = []): AppError {
  return new AppError('invalid_request', message, issues.length > 0 ? { details: { issues } } : {});
}

export function notFound(what: string, id: string): AppError {
  return new AppError('not_found', `${what} '${id}' was not found`);
}

/** The `{code, message}` recorded on a failed job; never carries a stack trace. */
export function toJobError(error: unknown): { code: ErrorCode; message: string } {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: 'Internal error while running the job' };
}
