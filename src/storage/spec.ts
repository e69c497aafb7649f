import type { Readable } from 'node:stream';

/**
 * Where image bytes live. Content-addressed: the key of a blob is the sha256 of its bytes, so the
 * same image is stored once and a write can be repeated safely (after a crash, a retry, a cache hit).
 * Implementations: the local file store (default) and S3-compatible object storage.
 *
 * Errors are `AppError('storage_failed')`: `retryable` when trying again may help (network, 5xx,
 * a full disk), not when it cannot (refused access, a missing bucket).
 */
export interface BlobStore {
  readonly kind: 'file' | 's3';
  /** Where the blobs live, for messages: a folder, or `s3://bucket/prefix`. */
  readonly location: string;
  /** Stores the bytes (if not yet stored) and returns their sha256 in hex. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of a blob, or null when no blob has that hash. */
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
  /** A derived blob (resized, converted) stored under a name derived from its source. */
  putDerived(name: string, bytes: Uint8Array): Promise<void>;
  getDerived(name: string): Promise<Uint8Array | null>;
  hasDerived(name: string): Promise<boolean>;
  /** Confirms the store is writable; used by /readyz and `vitrine doctor`. */
  checkWritable(): Promise<void>;
  /**
   * A URL that serves a blob (`sha256`) or a derived blob (`derived`) straight from the store for
   * `seconds`, without Vitrine in the way; only stores that can sign one (S3) have it.
   */
  presignedUrl?(ref: BlobRef, options: PresignOptions): Promise<string>;
  /**
   * An export (a finished batch's zip) streamed into the store under `name`, in parts; with
   * `hasExport`, what lets presigned downloads skip the API node. S3 only.
   */
  putExport?(name: string, body: Readable, contentType: string): Promise<void>;
  hasExport?(name: string): Promise<boolean>;
  /** Releases connections (the S3 client's sockets). */
  close?(): void;
}

export type BlobRef = { sha256: string } | { derived: string } | { export: string };

export interface PresignOptions {
  seconds: number;
  /** The file name a browser saves it as; `attachment` downloads instead of showing it. */
  fileName?: string;
  disposition?: 'inline' | 'attachment';
}

/** Export names: `<kind>/<file>`, e.g. `batches/<id>-<finished ms>.zip`. */
export const EXPORT_NAME_PATTERN = /^[a-z0-9-]+\/[\w.-]+$/;

/** The media type of stored bytes, read from their first bytes (stored images are PNG, JPEG, WebP or AVIF). */
export function sniffMediaType(bytes: Uint8Array): string {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  if (ascii(4, 8) === 'ftyp' && /^avi[fs]$/.test(ascii(8, 12))) return 'image/avif';
  if (ascii(0, 4) === 'PK\u0003\u0004') return 'application/zip';
  return 'application/octet-stream';
}

/** The media type of a derived blob from its name (`<sha256>.w512.webp`). */
export function derivedMediaType(name: string): string {
  const extension = name.slice(name.lastIndexOf('.') + 1);
  const types: Record<string, string> = {
    png: 'image/png',
    jpeg: 'image/jpeg',
    jpg: 'image/jpeg',
    webp: 'image/webp',
    avif: 'image/avif',
  };
  return types[extension] ?? 'application/octet-stream';
}

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;
export const DERIVED_NAME_PATTERN = /^[0-9a-f]{64}(?:\.[a-z0-9_-]+)+$/;
