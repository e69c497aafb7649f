import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Settings } from '../config/env.ts';
import { AppError } from '../domain/errors.ts';
import { describeS3Location, s3ErrorName, s3Failure, s3Status } from './s3-client.ts';
import {
  type BlobRef,
  type BlobStore,
  DERIVED_NAME_PATTERN,
  derivedMediaType,
  EXPORT_NAME_PATTERN,
  type PresignOptions,
  SHA256_PATTERN,
  sniffMediaType,
} from './spec.ts';

/** Stored objects never change (their key is their content's hash): caches may keep them for a year. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
const MULTIPART_PART_BYTES = 8 * 1024 * 1024;

export interface S3BlobStore extends BlobStore {
  readonly kind: 's3';
  readonly client: S3Client;
  readonly settings: S3Settings;
  /** The object key of a blob or a derived blob. */
  keyOf(ref: BlobRef): string;
  /**
   * Stores bytes under an exact key (a migration keeps the local store's names). New objects only,
   * unless `overwrite` (a migration replacing a damaged copy).
   */
  putObject(
    key: string,
    bytes: Uint8Array,
    contentType: string,
    options?: { overwrite?: boolean },
  ): Promise<void>;
  presignedUrl(ref: BlobRef, options: PresignOptions): Promise<string>;
  /** Every key under `keyPrefix` with its size, page by page (ListObjectsV2). */
  listSizes(keyPrefix: string): Promise<Map<string, number>>;
  /** Answers when the bucket can be reached with these credentials (HeadBucket). */
  checkReachable(signal?: AbortSignal): Promise<void>;
}

/**
 * Blobs in an S3-compatible bucket, under `<prefix><aa>/<bb>/<sha256>` — the same layout as the
 * local store, so a migration is a copy — and derived sizes beside their original
 * (`<prefix><aa>/<bb>/<sha256>.w512.webp`). Every object carries its Content-Type and a year-long
 * immutable Cache-Control; puts carry Content-MD5, so the service refuses bytes damaged on the
 * way. Objects above the multipart threshold go up in parts.
 */
export function createS3BlobStore(client: S3Client, settings: S3Settings): S3BlobStore {
  const { bucket, prefix } = settings;
  const shard = (sha256: string) => `${prefix}${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/`;
  const keyOf = (ref: BlobRef) => {
    if ('sha256' in ref) return `${shard(ref.sha256)}${ref.sha256}`;
    if ('derived' in ref) return `${shard(ref.derived.slice(0, 64))}${ref.derived}`;
    return `${prefix}exports/${ref.export}`;
  };
  // Until a service says it cannot, writes of new blobs are conditional (If-None-Match: *): a blob
  // another worker stored meanwhile is left as it is.
  let conditionalWrites = true;

  async function putObject(
    key: string,
    bytes: Uint8Array,
    contentType: string,
    options: { overwrite?: boolean } = {},
  ): Promise<void> {
    const conditional = conditionalWrites && !options.overwrite;
    if (bytes.byteLength > settings.multipartThresholdBytes) {
      await putMultipart(key, bytes, contentType);
      return;
    }
    const input: PutObjectCommandInput = {
      Bucket: bucket,
      Key: key,
      Body: bytes,
      ContentLength: bytes.byteLength,
      ContentType: contentType,
      CacheControl: IMMUTABLE_CACHE_CONTROL,
      ContentMD5: createHash('md5').update(bytes).digest('base64'),
    };
    try {
      await client.send(new PutObjectCommand(conditional ? { ...input, IfNoneMatch: '*' } : input));
    } catch (error) {
      const status = s3Status(error);
      // 412: the object exists already (same key, same bytes); 409: a concurrent conditional write.
      if (
        conditional &&
        (status === 412 || (status === 409 && s3ErrorName(error) === 'ConditionalRequestConflict'))
      )
        return;
      if (conditional && (status === 501 || s3ErrorName(error) === 'NotImplemented')) {
        conditionalWrites = false;
        await putObject(key, bytes, contentType);
        return;
      }
      throw s3Failure('write to', bucket, error);
    }
  }

  async function putMultipart(
    key: string,
    body: Uint8Array | Readable,
    contentType: string,
    cacheControl = IMMUTABLE_CACHE_CONTROL,
  ): Promise<void> {
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType, CacheControl: cacheControl },
      partSize: MULTIPART_PART_BYTES,
      queueSize: 4,
      // A failed upload removes its parts, so nothing half-written is billed or listed.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      throw s3Failure('write to', bucket, error);
    }
  }

  async function getObject(key: string): Promise<Uint8Array | null> {
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (s3Status(error) === 404 && s3ErrorName(error) !== 'NoSuchBucket') return null;
      throw s3Failure('read from', bucket, error);
    }
  }

  async function headObject(key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      // A HEAD answer has no body: a missing bucket is also a plain 404 here.
      if (s3Status(error) === 404) return false;
      throw s3Failure('read from', bucket, error);
    }
  }

  return {
    kind: 's3',
    location: describeS3Location(settings),
    client,
    settings,
    keyOf,
    putObject,
    async put(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await putObject(keyOf({ sha256 }), bytes, sniffMediaType(bytes));
      return sha256;
    },
    async get(sha256) {
      if (!SHA256_PATTERN.test(sha256)) return null;
      return getObject(keyOf({ sha256 }));
    },
    async has(sha256) {
      return SHA256_PATTERN.test(sha256) && headObject(keyOf({ sha256 }));
    },
    async putDerived(name, bytes) {
      if (!DERIVED_NAME_PATTERN.test(name)) throw new Error(`invalid derived blob name: ${name}`);
      await putObject(keyOf({ derived: name }), bytes, derivedMediaType(name));
    },
    async getDerived(name) {
      if (!DERIVED_NAME_PATTERN.test(name)) return null;
      return getObject(keyOf({ derived: name }));
    },
    async hasDerived(name) {
      return DERIVED_NAME_PATTERN.test(name) && headObject(keyOf({ derived: name }));
    },
    async checkWritable() {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: `${prefix}.vitrine-write-check`,
            Body: String(Date.now()),
            ContentType: 'text/plain',
            CacheControl: 'no-store',
          }),
        );
      } catch (error) {
        throw s3Failure('write to', bucket, error);
      }
    },
    close() {
      client.destroy();
    },
    async listSizes(keyPrefix) {
      const sizes = new Map<string, number>();
      let token: string | undefined;
      do {
        let page: ListObjectsV2CommandOutput;
        try {
          page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: keyPrefix, ContinuationToken: token }),
          );
        } catch (error) {
          throw s3Failure('list', bucket, error);
        }
        for (const object of page.Contents ?? []) if (object.Key) sizes.set(object.Key, object.Size ?? 0);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return sizes;
    },
    async checkReachable(signal) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal });
      } catch (error) {
        if (s3Status(error) === 404)
          throw new AppError('storage_failed', `The S3 bucket '${bucket}' does not exist`, {
            cause: error,
            retryable: false,
          });
        throw s3Failure('reach', bucket, error);
      }
    },
    async presignedUrl(ref, options) {
      const fileName = options.fileName?.replace(/[^\w.-]/g, '_');
      const disposition = options.disposition ?? 'inline';
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket: bucket,
          Key: keyOf(ref),
          ...(fileName ? { ResponseContentDisposition: `${disposition}; filename="${fileName}"` } : {}),
        }),
        { expiresIn: options.seconds },
      );
    },
    async putExport(name, body, contentType) {
      if (!EXPORT_NAME_PATTERN.test(name)) throw new Error(`invalid export name: ${name}`);
      // An export's name holds what it was made from: a newer one gets a new name.
      await putMultipart(keyOf({ export: name }), body, contentType, 'private, max-age=86400');
    },
    async hasExport(name) {
      return EXPORT_NAME_PATTERN.test(name) && headObject(keyOf({ export: name }));
    },
  };
}
