import { AppError, isAppError } from '../../domain/errors.ts';
import { connectionError, connectionErrorCode, type ProviderLabel } from '../http.ts';
import { retryAfterMsFrom } from '../retry-hints.ts';

/**
 * AWS SDK exceptions → the taxonomy, by exception `name` first and HTTP status second (the SDK
 * names errors from the `X-Amzn-ErrorType` header; unknown names keep the status).
 */

const UNAVAILABLE = new Set([
  'ModelTimeoutException',
  'ModelErrorException',
  'ModelNotReadyException',
  'InternalServerException',
  'ServiceUnavailableException',
]);

/** Text of Titan/Nova ValidationExceptions raised by their content filters. */
const CONTENT_FILTER_TEXT = /blocked by our content filters|content filters/i;

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $retryable?: unknown;
  $response?: { headers?: Record<string, string | undefined> };
}

/** Bedrock documents no retry header on throttles; honor `retry-after` when a proxy or AWS sends one. */
function retryAfterOf(error: SdkError): number | undefined {
  const headers = new Headers();
  for (const [name, value] of Object.entries(error.$response?.headers ?? {})) {
    // HTTP/2 pseudo-headers (":status") are not valid Headers names.
    if (value !== undefined && !name.startsWith(':')) headers.set(name, value);
  }
  return retryAfterMsFrom(headers);
}

export function bedrockError(label: ProviderLabel, error: unknown): AppError {
  if (isAppError(error)) return error;
  const sdkError = (error ?? {}) as SdkError;
  const name = sdkError.name ?? 'Error';
  const status = sdkError.$metadata?.httpStatusCode;
  const message = sdkError.message ?? String(error);
  const requestId = sdkError.$metadata?.requestId;
  const details = { provider: label.providerId, status, requestId, vendorCode: name };
  const said = `Amazon Bedrock ${name}: ${message}`;

  // No HTTP status: the request never got an answer (refused, reset, DNS).
  if (status === undefined && (connectionErrorCode(error) || name === 'TimeoutError' || name === 'Error')) {
    return connectionError(label, error, '(bedrock endpoint)');
  }
  if (name === 'ThrottlingException' || status === 429) {
    return new AppError('rate_limited', said, {
      retryable: true,
      retryAfterMs: retryAfterOf(sdkError),
      details,
    });
  }
  // A per-account quota such as images per minute: it refills, so it behaves like a throttle.
  if (name === 'ServiceQuotaExceededException') {
    return new AppError('rate_limited', said, { retryable: true, details });
  }
  if (name === 'ValidationException' && CONTENT_FILTER_TEXT.test(message)) {
    return new AppError(
      'provider_rejected',
      `Amazon Bedrock's content filter refused the request: ${message}`,
      {
        retryable: false,
        details,
      },
    );
  }
  if (
    name === 'AccessDeniedException' ||
    name === 'UnrecognizedClientException' ||
    name.includes('Signature') ||
    status === 401 ||
    status === 403
  ) {
    return new AppError(
      'provider_unavailable',
      `Amazon Bedrock rejected our credentials (${name}): ${message}`,
      {
        retryable: false,
        details,
      },
    );
  }
  if (
    name === 'ValidationException' ||
    name === 'ResourceNotFoundException' ||
    (status !== undefined && status >= 400 && status < 500)
  ) {
    return new AppError('invalid_request', said, { retryable: false, details });
  }
  if (UNAVAILABLE.has(name) || status === undefined || status >= 500) {
    return new AppError('provider_unavailable', said, { retryable: true, details });
  }
  return new AppError('provider_response_invalid', said, { retryable: true, details });
}
