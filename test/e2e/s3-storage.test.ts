import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { IMMUTABLE_CACHE_CONTROL } from '../../src/storage/s3.store.ts';
import { makePng } from '../fakes/fake-http.ts';
import { bannerTemplate } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { isPng, isWebp } from '../support/images.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';
import { readStoredZip } from '../support/zip.ts';

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const keyOf = (prefix: string, sha: string) => `${prefix}${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
const assetPath = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

describe('assets in S3 (in-process server, fauxqs)', () => {
  const dirs = new TempDirs();
  let s3: TestS3;
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    s3 = await startTestS3({ prefix: 'vitrine/' });
    testConfig = buildConfig('pglite', dirs.make('vitrine-s3-'), {
      ...s3.env,
      VITRINE_JOB_MAX_ATTEMPTS: '4',
    });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
    assert.equal((await api.post('/v1/templates', bannerTemplate)).status, 201);
  });
  after(async () => {
    await server?.stop();
    await s3?.stop();
    dirs.cleanup();
  });

  const objectExists = (key: string) =>
    s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key })).then(
      () => true,
      () => false,
    );

  test('a generated image lives in the bucket under its hash, typed and cached; nothing on local disk', async () => {
    const created = await api.post('/v1/generations?wait=30', {
      template: 'test_banner',
      params: { title: 'S3 hero' },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.status, 'succeeded');
    const image = created.body.images[0];
    const download = await api.bytes(assetPath(image.url), { key: null });
    assert.equal(download.status, 200);
    assert.ok(isPng(download.bytes));
    const key = keyOf('vitrine/', sha256Of(download.bytes));
    const stored = await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    assert.equal(stored.ContentType, 'image/png');
    assert.equal(stored.CacheControl, IMMUTABLE_CACHE_CONTROL);
    assert.equal(stored.ContentLength, image.bytes);
    assert.equal(existsSync(path.join(testConfig.config.dataDir, 'assets')), false, 'no local asset folder');

    const webp = await api.bytes(`${assetPath(image.url)}&w=200&format=webp`, { key: null });
    assert.equal(webp.status, 200);
    assert.ok(isWebp(webp.bytes));
    assert.equal(
      await objectExists(`${key}.w200.webp`),
      true,
      'the derived size is stored beside its original',
    );
  });

  test('an uploaded product photo goes to the bucket too', async () => {
    const photo = (
      await api.bytes(
        assetPath(
          (
            await api.post('/v1/generations?wait=30', {
              template: 'test_banner',
              params: { title: 'Upload' },
            })
          ).body.images[0].url,
        ),
        { key: null },
      )
    ).bytes;
    const uploaded = await fetch(`${server.url}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'image/png' },
      body: Buffer.from(photo),
    });
    assert.equal(uploaded.status, 201);
    assert.equal(await objectExists(keyOf('vitrine/', sha256Of(photo))), true);
  });

  test('S3 failing mid-batch: the jobs hit are retried, every succeeded job has its objects', async () => {
    const rows = Array.from({ length: 12 }, (_, index) => ({
      sku: `S3-${index + 1}`,
      title: `Row ${index + 1}`,
    }));
    const events = server.running.container.deps.events;
    // The outage starts once the batch is under way: the first finished job turns it on.
    let outageStarted = false;
    const stop = events.subscribe('*', (event) => {
      if (event.type !== 'done' || outageStarted) return;
      outageStarted = true;
      s3.fault('unavailable', { count: 12, match: (request) => request.method === 'PUT' });
    });
    try {
      const created = await api.post('/v1/batches', { template: 'test_banner', rows });
      assert.equal(created.status, 202, created.text);
      const done = await pollUntil(
        async () => {
          const { body } = await api.get(`/v1/batches/${created.body.id}`);
          return ['succeeded', 'failed', 'canceled'].includes(body.status) ? body : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 200, what: 'the batch finished' },
      );
      assert.equal(done.status, 'succeeded', JSON.stringify(done));
      assert.equal(done.counts.succeeded, rows.length);
      assert.ok(s3.faulted() >= 12, `the outage refused ${s3.faulted()} writes`);

      const jobs = (await api.get(`/v1/jobs?batch_id=${created.body.id}&limit=100`)).body.data as Loose[];
      assert.equal(jobs.length, rows.length);
      assert.ok(
        jobs.some((job) => job.attempts > 1),
        'at least one job went back to the queue because of the outage',
      );
      for (const job of jobs) {
        assert.equal(job.status, 'succeeded');
        assert.equal(job.images.length, 1);
        const bytes = (await api.bytes(assetPath(job.images[0].url), { key: null })).bytes;
        assert.equal(
          await objectExists(keyOf('vitrine/', sha256Of(bytes))),
          true,
          `job ${job.id} has its object`,
        );
      }
    } finally {
      stop();
      s3.clearFault();
    }
  });

  test('S3 down for good: the job fails with storage_failed after its attempts and has no images', async () => {
    s3.fault('unavailable', { match: (request) => request.method === 'PUT' });
    try {
      const created = await api.post('/v1/generations', {
        template: 'test_banner',
        params: { title: 'Never stored' },
        cache: 'off',
      });
      assert.equal(created.status, 202, created.text);
      const finished = await pollUntil(
        async () => {
          const { body } = await api.get(`/v1/jobs/${created.body.id}`);
          return ['succeeded', 'failed'].includes(body.status) ? body : undefined;
        },
        { timeoutMs: 90_000, intervalMs: 250, what: 'the job finished' },
      );
      assert.equal(finished.status, 'failed');
      assert.equal(finished.error.code, 'storage_failed');
      assert.match(finished.error.message, /ServiceUnavailable/);
      assert.equal(finished.attempts, 4);
      assert.deepEqual(finished.images, []);

      // An upload while the bucket refuses writes: 503 with the reason, nothing recorded.
      const upload = await fetch(`${server.url}/v1/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'image/png' },
        body: Buffer.from(makePng(32, 32, 90)),
      });
      assert.equal(upload.status, 503);
      const body = (await upload.json()) as Loose;
      assert.equal(body.error.code, 'storage_failed');
      assert.match(body.error.message, /Could not write to S3 bucket .* \(ServiceUnavailable, HTTP 503\)/);
    } finally {
      s3.clearFault();
    }
  });
});

describe('presigned asset URLs (VITRINE_ASSET_URLS=presigned)', () => {
  const dirs = new TempDirs();
  let s3: TestS3;
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    s3 = await startTestS3();
    testConfig = buildConfig('pglite', dirs.make('vitrine-s3-presigned-'), {
      ...s3.env,
      VITRINE_ASSET_URLS: 'presigned',
    });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await s3?.stop();
    dirs.cleanup();
  });

  test('an asset URL redirects to a presigned URL of the object; the bytes come from the bucket', async () => {
    const created = await api.post('/v1/generations?wait=30', {
      template: 'product_hero',
      params: { title: 'Presigned' },
    });
    assert.equal(created.status, 200, created.text);
    const url = created.body.images[0].url as string;
    assert.ok(url.startsWith(`${server.url}/v1/assets/`), 'the handed-out URL is still Vitrine-signed');

    const answer = await fetch(url, { redirect: 'manual' });
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.get('cache-control'), 'private, max-age=300');
    const target = new URL(answer.headers.get('location')!);
    assert.equal(target.origin, s3.endpoint);
    assert.match(target.pathname, new RegExp(`^/${s3.bucket}/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$`));
    assert.equal(target.searchParams.get('X-Amz-Expires'), '3600');
    const bytes = new Uint8Array(await (await fetch(target)).arrayBuffer());
    assert.ok(isPng(bytes));
    assert.equal(target.pathname.split('/').at(-1), sha256Of(bytes));

    const derived = await fetch(`${url}&w=256&format=webp`, { redirect: 'manual' });
    assert.equal(derived.status, 302);
    const derivedTarget = new URL(derived.headers.get('location')!);
    assert.match(derivedTarget.pathname, /\/[0-9a-f]{64}\.w256\.webp$/);
    assert.ok(isWebp(new Uint8Array(await (await fetch(derivedTarget)).arrayBuffer())));
  });

  test("a finished batch's zip is built once into the bucket and handed out presigned", async () => {
    const rows = ['Zip one', 'Zip two', 'Zip three'].map((title, index) => ({
      sku: `Z-${index + 1}`,
      title,
    }));
    const created = await api.post('/v1/batches', { template: 'product_hero', rows });
    assert.equal(created.status, 202, created.text);
    const id = created.body.id as string;
    await pollUntil(
      async () => ((await api.get(`/v1/batches/${id}`)).body.status === 'succeeded' ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 200, what: 'the batch finished' },
    );
    const zipUrl = `${server.url}/v1/batches/${id}/images.zip`;
    const headers = { authorization: `Bearer ${server.adminKey}` };
    const first = await fetch(zipUrl, { headers, redirect: 'manual' });
    assert.equal(first.status, 302);
    const target = new URL(first.headers.get('location')!);
    assert.match(target.pathname, new RegExp(`^/${s3.bucket}/exports/batches/${id}-\\d+\\.zip$`));
    assert.equal(
      target.searchParams.get('response-content-disposition'),
      `attachment; filename="batch-${id}-images.zip"`,
    );
    const zip = new Uint8Array(await (await fetch(target)).arrayBuffer());
    assert.deepEqual(
      readStoredZip(zip).map((entry) => entry.name),
      ['Z-1.png', 'Z-2.png', 'Z-3.png'],
    );
    for (const entry of readStoredZip(zip)) assert.ok(isPng(entry.bytes));

    const writesBefore = s3.requests.filter(
      (request) => request.method === 'PUT' || request.method === 'POST',
    ).length;
    const second = await fetch(zipUrl, { headers, redirect: 'manual' });
    assert.equal(second.status, 302);
    assert.equal(new URL(second.headers.get('location')!).pathname, target.pathname);
    assert.equal(
      s3.requests.filter((request) => request.method === 'PUT' || request.method === 'POST').length,
      writesBefore,
      'the stored zip is reused',
    );
  });

  test('a tampered Vitrine signature gets 403, not a redirect', async () => {
    const created = await api.post('/v1/generations?wait=30', {
      template: 'product_hero',
      params: { title: 'Tamper' },
    });
    const url = new URL(created.body.images[0].url);
    url.searchParams.set('sig', `${url.searchParams.get('sig')!.slice(0, -2)}AA`);
    const answer = await fetch(url, { redirect: 'manual' });
    assert.equal(answer.status, 403);
  });
});

describe('S3 unreachable at start (the CLI, as a user runs it)', () => {
  const dirs = new TempDirs();
  after(() => dirs.cleanup());

  for (const command of [['serve'], ['worker']]) {
    test(`vitrine ${command[0]} says what is wrong, exits 1 at once, no stack trace`, async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
      await new Promise((resolve) => closed.close(resolve));
      const result = await runCli(command, {
        env: {
          VITRINE_DATA_DIR: dirs.make('vitrine-s3-down-'),
          PORT: '0',
          VITRINE_STORAGE: 's3',
          S3_BUCKET: 'images',
          S3_ENDPOINT: endpoint,
          S3_FORCE_PATH_STYLE: 'true',
          AWS_ACCESS_KEY_ID: 'key',
          AWS_SECRET_ACCESS_KEY: 'secret',
          // A worker needs a shared database (never reached here: storage is checked first).
          ...(command[0] === 'worker' ? { DATABASE_URL: 'postgres://vitrine@127.0.0.1:9/never' } : {}),
        },
        // A process kept alive by something left running would be killed here, with code null.
        timeoutMs: 60_000,
      });
      assert.equal(result.code, 1, result.stderr);
      assert.equal(
        result.stderr.trim(),
        `vitrine: S3 storage (s3://images/ at ${endpoint}) is not usable: Could not reach S3 bucket 'images' (ECONNREFUSED).\n` +
          'Check S3_ENDPOINT, S3_BUCKET, AWS_REGION and the AWS credentials (see docs/configuration.md#s3).',
      );
    });
  }

  test('VITRINE_STORAGE=s3 without a bucket names it among the configuration problems', async () => {
    const result = await runCli(['serve'], {
      env: { VITRINE_DATA_DIR: dirs.make('vitrine-s3-nobucket-'), VITRINE_STORAGE: 's3' },
      timeoutMs: 60_000,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /S3_BUCKET: required when VITRINE_STORAGE=s3/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
