import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Settings } from '../../src/config/env.ts';
import { AppError } from '../../src/domain/errors.ts';
import { createS3BlobStore, IMMUTABLE_CACHE_CONTROL, type S3BlobStore } from '../../src/storage/s3.store.ts';
import { createS3Client } from '../../src/storage/s3-client.ts';
import { makePng } from '../fakes/fake-http.ts';

/**
 * What the in-process S3 stand-in (fauxqs) cannot check — SigV4 signatures, presigned-URL
 * tampering and expiry, conditional writes, Content-MD5 — against a real S3-compatible endpoint
 * (AWS, MinIO, R2, …). Runs only when one is configured:
 *
 *   S3_CONFORMANCE_ENDPOINT=https://s3.eu-central-1.amazonaws.com  (or http://127.0.0.1:9000 for MinIO)
 *   S3_CONFORMANCE_BUCKET=…  S3_CONFORMANCE_ACCESS_KEY_ID=…  S3_CONFORMANCE_SECRET_ACCESS_KEY=…
 *   S3_CONFORMANCE_REGION=…  (default us-east-1)   S3_CONFORMANCE_PATH_STYLE=false  (default true)
 *
 * Everything it writes is under a fresh `vitrine-conformance/<random>/` prefix, deleted at the end.
 */
const env = process.env;
const missing = [
  'S3_CONFORMANCE_ENDPOINT',
  'S3_CONFORMANCE_BUCKET',
  'S3_CONFORMANCE_ACCESS_KEY_ID',
  'S3_CONFORMANCE_SECRET_ACCESS_KEY',
].filter((name) => !env[name]);
const skip =
  missing.length > 0
    ? `S3 conformance skipped: ${missing.join(', ')} not set (set them to check SigV4, presigned URLs, conditional writes and Content-MD5 against a real endpoint)`
    : false;

describe('S3 conformance against a real endpoint', { skip }, () => {
  let settings: S3Settings;
  let store: S3BlobStore;
  const written: string[] = [];

  before(() => {
    settings = {
      bucket: env.S3_CONFORMANCE_BUCKET!,
      prefix: `vitrine-conformance/${randomBytes(6).toString('hex')}/`,
      region: env.S3_CONFORMANCE_REGION ?? 'us-east-1',
      endpoint: env.S3_CONFORMANCE_ENDPOINT!.replace(/\/+$/, ''),
      forcePathStyle: (env.S3_CONFORMANCE_PATH_STYLE ?? 'true') !== 'false',
      credentials: {
        accessKeyId: env.S3_CONFORMANCE_ACCESS_KEY_ID!,
        secretAccessKey: env.S3_CONFORMANCE_SECRET_ACCESS_KEY!,
      },
      multipartThresholdBytes: 6 * 2 ** 20,
    };
    store = createS3BlobStore(createS3Client(settings), settings);
  });
  after(async () => {
    if (!store) return;
    const listed = await store.client.send(
      new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix }),
    );
    const keys = [...new Set([...written, ...(listed.Contents ?? []).map((object) => object.Key!)])];
    if (keys.length > 0) {
      await store.client.send(
        new DeleteObjectsCommand({
          Bucket: settings.bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })) },
        }),
      );
    }
    store.close?.();
  });

  const put = async (bytes: Uint8Array) => {
    const sha256 = await store.put(bytes);
    written.push(store.keyOf({ sha256 }));
    return sha256;
  };

  test('the store writes, reads and types objects; derived sizes sit beside them', async () => {
    const png = makePng(4, 3, 77);
    const sha256 = await put(png);
    assert.deepEqual(await store.get(sha256), new Uint8Array(png));
    const head = await store.client.send(
      new HeadObjectCommand({ Bucket: settings.bucket, Key: store.keyOf({ sha256 }) }),
    );
    assert.equal(head.ContentType, 'image/png');
    assert.equal(head.CacheControl, IMMUTABLE_CACHE_CONTROL);
    await store.putDerived(`${sha256}.w2.webp`, randomBytes(100));
    written.push(store.keyOf({ derived: `${sha256}.w2.webp` }));
    assert.equal(await store.hasDerived(`${sha256}.w2.webp`), true);
    assert.equal(await store.get('0'.repeat(64)), null);
  });

  test('SigV4: a request signed with the wrong secret is refused, and not retried', async () => {
    const wrong = createS3BlobStore(
      createS3Client({
        ...settings,
        credentials: { ...settings.credentials!, secretAccessKey: 'wrong-secret' },
      }),
      settings,
    );
    try {
      await assert.rejects(wrong.put(makePng(2, 2, 1)), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.retryable, false);
        assert.match(error.message, /SignatureDoesNotMatch|InvalidAccessKeyId|AccessDenied/);
        return true;
      });
    } finally {
      wrong.close?.();
    }
  });

  test('a presigned URL works as signed, and not once its key, expiry or signature is changed', async () => {
    const sha256 = await put(makePng(5, 5, 9));
    const url = new URL(await store.presignedUrl({ sha256 }, { seconds: 300 }));
    assert.equal((await fetch(url)).status, 200);

    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace(sha256, '0'.repeat(64));
    assert.equal((await fetch(otherKey)).status, 403, 'another key under the same signature');
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    assert.equal((await fetch(longer)).status, 403, 'a longer expiry under the same signature');
    const forged = new URL(url);
    forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    assert.equal((await fetch(forged)).status, 403, 'a forged signature');

    const expired = await getSignedUrl(
      store.client,
      new GetObjectCommand({ Bucket: settings.bucket, Key: store.keyOf({ sha256 }) }),
      { expiresIn: 1, signingDate: new Date(Date.now() - 10 * 60_000) },
    );
    assert.equal((await fetch(expired)).status, 403, 'an expired URL');
  });

  test('conditional writes: If-None-Match * keeps the first object; the store treats that as stored', async () => {
    const png = makePng(6, 6, 12);
    const sha256 = await put(png);
    const key = store.keyOf({ sha256 });
    await assert.rejects(
      store.client.send(
        new PutObjectCommand({ Bucket: settings.bucket, Key: key, Body: 'other bytes', IfNoneMatch: '*' }),
      ),
      (error: unknown) => {
        assert.equal((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 412);
        return true;
      },
    );
    assert.equal(await put(png), sha256, 'a second put of the same image succeeds');
    assert.deepEqual(await store.get(sha256), new Uint8Array(png), 'the first bytes are kept');
  });

  test('Content-MD5: bytes that do not match their digest are refused (BadDigest)', async () => {
    const key = `${settings.prefix}bad-digest`;
    written.push(key);
    await assert.rejects(
      store.client.send(
        new PutObjectCommand({
          Bucket: settings.bucket,
          Key: key,
          Body: 'these bytes',
          ContentMD5: createHash('md5').update('other bytes').digest('base64'),
        }),
      ),
      (error: unknown) => {
        assert.equal((error as { name?: string }).name, 'BadDigest');
        return true;
      },
    );
  });

  test('a large object goes up in parts and reads back whole', async () => {
    const large = randomBytes(13 * 2 ** 20);
    const sha256 = await put(large);
    const head = await store.client.send(
      new HeadObjectCommand({ Bucket: settings.bucket, Key: store.keyOf({ sha256 }) }),
    );
    assert.match(String(head.ETag), /-2"$/);
    assert.equal(head.ContentLength, large.byteLength);
    const back = await store.get(sha256);
    assert.equal(createHash('sha256').update(back!).digest('hex'), sha256);
  });
});
