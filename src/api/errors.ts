import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorCode, isAppError } from '../domain/errors.ts';

/** The one mapping from error code to HTTP status. */
const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  image_invalid: 422,
  rate_limited: 429,
  budget_exceeded: 402,
  quota_exceeded: 402,
  provider_rejected: 422,
  provider_unavailable: 503,
  provider_response_invalid: 502,
  storage_failed: 503,
  canceled: 409,
  unavailable: 503,
  internal: 500,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; request_id?: string };
}

export function errorResponse(c: Context, error: AppError) {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  const status = STATUS_BY_CODE[error.code];
  // The refused body may still be arriving; the connection cannot be reused for another request.
  if (error.code === 'payload_too_large') c.header('Connection', 'close');
  if (error.code === 'rate_limited' && error.retryAfterMs) {
    c.header('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
  }
  return c.json(body, status);
}

/** Converts anything thrown into the contract's error body; unknown errors leak nothing. */
export function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 413) return new AppError('payload_too_large', 'The request body is larger than 1 MB');
    if (status === 400) return new AppError('invalid_request', error.message || 'Malformed request');
    if (status === 401) return new AppError('unauthorized', error.message || 'Unauthorized');
    if (status === 404) return new AppError('not_found', 'Not found');
    if (status === 415) return new AppError('unsupported_media_type', error.message);
  }
  return null;
}

export function internalErrorBody(requestId: string): ErrorBody {
  return {
    error: {
      code: 'internal',
      message: `Internal error; quote request id ${requestId} when reporting it`,
      request_id: requestId,
    },
  };
}
