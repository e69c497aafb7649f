import { S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { S3Settings } from '../config/env.ts';
import { AppError } from '../domain/errors.ts';

/** What a client needs to reach an S3-compatible service (the bucket is per call). */
export type S3ClientSettings = Pick<S3Settings, 'region' | 'endpoint' | 'forcePathStyle' | 'credentials'>;

/**
 * One S3 client for Vitrine's asset store and for publishing to a customer's bucket: AWS or any
 * S3-compatible service (MinIO, R2, OSS, COS) through `endpoint` and path-style addressing.
 *
 * Checksums are computed only where an operation requires one: the SDK's default CRC32 trailers
 * (aws-chunked uploads) are refused by several S3-compatible services. Puts carry Content-MD5
 * instead, which every one of them verifies.
 */
export function createS3Client(settings: S3ClientSettings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    // A host that does not answer fails the call in seconds, not at the OS's TCP timeout.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  });
}

/** `s3://bucket/prefix` (with the endpoint for S3-compatible services), for messages and logs. */
export function describeS3Location(settings: Pick<S3Settings, 'bucket' | 'prefix' | 'endpoint'>): string {
  return `s3://${settings.bucket}/${settings.prefix}${settings.endpoint ? ` at ${settings.endpoint}` : ''}`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** The HTTP status S3 answered with, or undefined when no answer came (network, timeout). */
export function s3Status(error: unknown): number | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A short name for what went wrong: the S3 error code, the socket error code, or the error's name. */
export function s3ErrorName(error: unknown): string {
  const err = error as { name?: string; code?: string; cause?: { code?: string } };
  if (err?.code && NETWORK_CODES.has(err.code)) return err.code;
  if (err?.cause?.code && NETWORK_CODES.has(err.cause.code)) return err.cause.code;
  if (error instanceof S3ServiceException) return error.name;
  return err?.name && err.name !== 'Error' ? err.name : (err?.code ?? 'error');
}

/**
 * An S3 failure as a `storage_failed` AppError. Network trouble, timeouts, throttling and 5xx are
 * retryable (the job goes back to the queue); refused access, a missing bucket or a bad request
 * are not: retrying cannot fix them. Never carries credentials.
 */
export function s3Failure(action: string, bucket: string, error: unknown): AppError {
  const status = s3Status(error);
  const name = s3ErrorName(error);
  const retryable =
    name !== 'CredentialsProviderError' &&
    (status === undefined || status >= 500 || status === 429 || status === 408);
  const hint =
    name === 'NoSuchBucket'
      ? ` — the bucket '${bucket}' does not exist`
      : status === 403
        ? ' — access denied: check the AWS credentials and the bucket policy'
        : name === 'CredentialsProviderError'
          ? ' — no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the machine a role'
          : '';
  return new AppError(
    'storage_failed',
    `Could not ${action} S3 bucket '${bucket}' (${name}${status ? `, HTTP ${status}` : ''})${hint}`,
    { cause: error, retryable },
  );
}
