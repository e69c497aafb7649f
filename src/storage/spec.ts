/**
 * Where image bytes live. Content-addressed: the key of a blob is the sha256 of its bytes, so the
 * same image is stored once and a write can be repeated safely (after a crash, a retry, a cache hit).
 * Implementations: the local file store (default) and, later, S3-compatible object storage.
 */
export interface BlobStore {
  readonly kind: string;
  /** Stores the bytes (if not yet stored) and returns their sha256 in hex. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of a blob, or null when no blob has that hash. */
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
  /** A derived blob (resized, converted) stored under a name derived from its source. */
  putDerived(name: string, bytes: Uint8Array): Promise<void>;
  getDerived(name: string): Promise<Uint8Array | null>;
  /** Confirms the store is writable; used by /readyz and `vitrine doctor`. */
  checkWritable(): Promise<void>;
}
