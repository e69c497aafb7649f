import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { StartupError } from '../../src/app/startup-error.ts';
import { AppError } from '../../src/domain/errors.ts';
import { openBlobStore } from '../../src/storage/open-store.ts';
import { createS3BlobStore, IMMUTABLE_CACHE_CONTROL, type S3BlobStore } from '../../src/storage/s3.store.ts';
import { createS3Client } from '../../src/storage/s3-client.ts';
import { makePng } from '../fakes/fake-http.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';

describe('S3 blob store (against fauxqs in this process)', () => {
  let s3: TestS3;
  let store: S3BlobStore;
  before(async () => {
    s3 = await startTestS3({ prefix: 'shop-a/assets/' });
    store = createS3BlobStore(createS3Client(s3.settings), {
      ...s3.settings,
      multipartThresholdBytes: 6 * 2 ** 20,
    });
  });
  after(async () => {
    store.close?.();
    await s3.stop();
  });

  const head = (key: string) => s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));

  test('a blob goes under its sha256, with its type, a year of immutable caching and Content-MD5', async () => {
    const png = makePng(3, 2, 40);
    const before = s3.requests.length;
    const sha256 = await store.put(png);
    assert.equal(sha256, createHash('sha256').update(png).digest('hex'));
    const key = `shop-a/assets/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
    assert.equal(store.keyOf({ sha256 }), key);

    const puts = s3.requests.slice(before).filter((request) => request.method === 'PUT');
    assert.equal(puts.length, 1);
    const put = puts[0]!;
    assert.equal(put.path, `/${s3.bucket}/${key}`);
    assert.equal(put.headers['content-type'], 'image/png');
    assert.equal(put.headers['cache-control'], IMMUTABLE_CACHE_CONTROL);
    assert.equal(put.headers['content-md5'], createHash('md5').update(png).digest('base64'));
    assert.equal(put.headers['if-none-match'], '*', 'a new blob never overwrites one stored meanwhile');
    assert.match(String(put.headers.authorization), /^AWS4-HMAC-SHA256 Credential=test-access-key\//);

    const stored = await head(key);
    assert.equal(stored.ContentType, 'image/png');
    assert.equal(stored.CacheControl, IMMUTABLE_CACHE_CONTROL);
    assert.deepEqual(await store.get(sha256), new Uint8Array(png));
    assert.equal(await store.has(sha256), true);
  });

  test('a missing blob reads as null; malformed names never reach the bucket', async () => {
    const missing = 'f'.repeat(64);
    assert.equal(await store.get(missing), null);
    assert.equal(await store.has(missing), false);
    const before = s3.requests.length;
    assert.equal(await store.get('../../etc/passwd'), null);
    assert.equal(await store.getDerived('nope'), null);
    assert.equal(s3.requests.length, before);
  });

  test('derived sizes are stored beside their original, typed by their name', async () => {
    const png = makePng(4, 4, 90);
    const sha256 = await store.put(png);
    const name = `${sha256}.w2.webp`;
    const bytes = randomBytes(64);
    await store.putDerived(name, bytes);
    const key = store.keyOf({ derived: name });
    assert.equal(key, `${store.keyOf({ sha256 })}.w2.webp`);
    assert.equal((await head(key)).ContentType, 'image/webp');
    assert.deepEqual(await store.getDerived(name), new Uint8Array(bytes));
    assert.equal(await store.hasDerived(name), true);
    assert.equal(await store.hasDerived(`${sha256}.w3.webp`), false);
    await assert.rejects(store.putDerived('not-a-hash.webp', bytes), /invalid derived blob name/);
  });

  test('a large object goes up in parts (multipart) and reads back whole', async () => {
    const large = randomBytes(13 * 2 ** 20);
    const before = s3.requests.length;
    const sha256 = await store.put(large);
    const sent = s3.requests.slice(before);
    assert.ok(
      sent.some((request) => request.method === 'POST' && request.query.has('uploads')),
      'CreateMultipartUpload',
    );
    const parts = sent.filter((request) => request.method === 'PUT' && request.query.has('partNumber'));
    assert.equal(parts.length, 2, '13 MiB in 8 MiB parts');
    assert.ok(
      sent.some((request) => request.method === 'POST' && request.query.has('uploadId')),
      'Complete',
    );
    const stored = await head(store.keyOf({ sha256 }));
    assert.match(String(stored.ETag), /-2"$/, 'a multipart ETag');
    assert.equal(stored.CacheControl, IMMUTABLE_CACHE_CONTROL);
    assert.equal(stored.ContentLength, large.byteLength);
    const back = await store.get(sha256);
    assert.equal(createHash('sha256').update(back!).digest('hex'), sha256);
  });

  test('a presigned URL serves the object without credentials, for a limited time', async () => {
    const png = makePng(2, 2, 7);
    const sha256 = await store.put(png);
    const url = await store.presignedUrl({ sha256 }, { seconds: 600, fileName: 'hero 1.png' });
    const parsed = new URL(url);
    assert.equal(parsed.searchParams.get('X-Amz-Expires'), '600');
    assert.ok(parsed.searchParams.get('X-Amz-Signature'));
    assert.equal(parsed.searchParams.get('response-content-disposition'), 'inline; filename="hero_1.png"');
    const answer = await fetch(url);
    assert.equal(answer.status, 200);
    assert.deepEqual(new Uint8Array(await answer.arrayBuffer()), new Uint8Array(png));
  });

  test('a blob stored meanwhile by another worker (412) counts as stored', async () => {
    s3.fault('precondition_failed', { count: 1, match: (request) => request.method === 'PUT' });
    const sha256 = await store.put(makePng(5, 5, 1));
    assert.equal(s3.faulted() > 0, true);
    assert.match(sha256, /^[0-9a-f]{64}$/);
  });

  test('a service without conditional writes (501) gets plain puts from then on', async () => {
    const own = createS3BlobStore(createS3Client(s3.settings), s3.settings);
    try {
      s3.fault('not_implemented', { count: 1, match: (request) => request.method === 'PUT' });
      const before = s3.requests.length;
      const sha256 = await own.put(makePng(6, 6, 2));
      const puts = s3.requests.slice(before).filter((request) => request.method === 'PUT');
      assert.deepEqual(
        puts.map((request) => request.headers['if-none-match'] ?? null),
        ['*', null],
      );
      assert.equal(await own.has(sha256), true);
      await own.put(makePng(7, 7, 3));
      assert.equal(s3.requests.at(-1)!.headers['if-none-match'], undefined);
    } finally {
      own.close?.();
    }
  });

  test('a brief outage is ridden out by the client; a long one is a retryable storage_failed', async () => {
    s3.fault('unavailable', { count: 1 });
    const sha256 = await store.put(makePng(8, 8, 4));
    assert.equal(await store.has(sha256), true);

    s3.fault('unavailable');
    try {
      await assert.rejects(store.put(makePng(9, 9, 5)), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.code, 'storage_failed');
        assert.equal(error.retryable, true);
        assert.match(error.message, /ServiceUnavailable, HTTP 503/);
        return true;
      });
      s3.fault('reset');
      await assert.rejects(store.get(sha256), (error: unknown) => {
        assert.ok(error instanceof AppError && error.retryable);
        return true;
      });
    } finally {
      s3.clearFault();
    }
  });

  test('refused access is not retried: the job would fail the same way again', async () => {
    s3.fault('denied');
    try {
      await assert.rejects(store.put(makePng(10, 10, 6)), (error: unknown) => {
        assert.ok(error instanceof AppError);
        assert.equal(error.retryable, false);
        assert.match(error.message, /AccessDenied, HTTP 403\) — access denied: check the AWS credentials/);
        return true;
      });
    } finally {
      s3.clearFault();
    }
  });

  test('objects the store wrote are whole: what GET returns hashes to the key', async () => {
    const sha256 = await store.put(makePng(11, 3, 8));
    const answer = await s3.client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: store.keyOf({ sha256 }) }),
    );
    const bytes = await answer.Body!.transformToByteArray();
    assert.equal(createHash('sha256').update(bytes).digest('hex'), sha256);
  });
});

describe('opening S3 storage at start', () => {
  test('an endpoint nobody listens on stops the start with the reason and what to check', async () => {
    await assert.rejects(
      openBlobStore({
        kind: 's3',
        urls: 'signed',
        s3: {
          bucket: 'images',
          prefix: '',
          region: 'us-east-1',
          endpoint: 'http://127.0.0.1:1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
          multipartThresholdBytes: 16 * 2 ** 20,
        },
      }),
      (error: unknown) => {
        assert.ok(error instanceof StartupError);
        assert.match(error.message, /s3:\/\/images\/ at http:\/\/127\.0\.0\.1:1\) is not usable/);
        assert.match(error.message, /ECONNREFUSED/);
        assert.match(error.message, /Check S3_ENDPOINT, S3_BUCKET, AWS_REGION and the AWS credentials/);
        return true;
      },
    );
  });

  test('a bucket that does not exist is named', async () => {
    const s3 = await startTestS3();
    try {
      await assert.rejects(
        openBlobStore({ kind: 's3', urls: 'signed', s3: { ...s3.settings, bucket: 'no-such-bucket' } }),
        /The S3 bucket 'no-such-bucket' does not exist/,
      );
      const store = await openBlobStore({ kind: 's3', urls: 'signed', s3: s3.settings });
      store.close?.();
      assert.ok(
        s3.requests.some(
          (request) => request.method === 'PUT' && request.path.endsWith('/.vitrine-write-check'),
        ),
        'the start checks that the bucket takes a write',
      );
    } finally {
      await s3.stop();
    }
  });
});
