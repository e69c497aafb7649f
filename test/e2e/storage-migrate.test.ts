import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { IMMUTABLE_CACHE_CONTROL } from '../../src/storage/s3.store.ts';
import { buildConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';
import { runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

describe('vitrine storage migrate --to s3', () => {
  const dirs = new TempDirs();
  let s3: TestS3;
  let dataDir: string;
  const imageUrls: string[] = [];
  let adminKey: string;

  before(async () => {
    s3 = await startTestS3({ prefix: 'moved/' });
    dataDir = dirs.make('vitrine-migrate-');
    // A store on local files: three images, one derived size.
    const server = await startInProcessServer(buildConfig('pglite', dataDir).config);
    try {
      adminKey = server.adminKey!;
      const api = new HttpClient(server.url, adminKey);
      for (const title of ['One', 'Two', 'Three']) {
        const created = await api.post('/v1/generations?wait=30', {
          template: 'product_hero',
          params: { title },
        });
        assert.equal(created.body.status, 'succeeded', created.text);
        imageUrls.push(created.body.images[0].url);
      }
      const url = new URL(imageUrls[0]!);
      assert.equal(
        (await api.bytes(`${url.pathname}${url.search}&w=100&format=webp`, { key: null })).status,
        200,
      );
    } finally {
      await server.stop();
    }
  });
  after(async () => {
    await s3?.stop();
    dirs.cleanup();
  });

  const env = () => ({ VITRINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...s3.env, VITRINE_STORAGE: 'file' });
  const migrate = (extra: string[] = []) =>
    runCli(['storage', 'migrate', '--to', 's3', '--json', ...extra], { env: env() });

  test('without a bucket it says what to set, and exits 1', async () => {
    const result = await runCli(['storage', 'migrate', '--to', 's3'], {
      env: { VITRINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Say which bucket to copy to: set S3_BUCKET/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });

  test('a copy cut short by S3 failing resumes on the next run, skipping what is there', async () => {
    // The first uploads fail past the client's own retries (3 tries each); the rest go through.
    s3.fault('unavailable', {
      count: 6,
      match: (request) => request.method === 'PUT' && !request.path.endsWith('.vitrine-write-check'),
    });
    const first = await migrate(['--concurrency', '1']);
    s3.clearFault();
    assert.equal(first.code, 2, first.stderr);
    const one = JSON.parse(first.stdout);
    assert.equal(one.totalFiles, 4, 'three images and one derived size');
    assert.equal(one.failed, 2);
    assert.equal(one.copied, 2);
    assert.equal(one.stoppedEarly, null);
    assert.match(one.problems[0].message, /ServiceUnavailable/);

    const second = await migrate();
    assert.equal(second.code, 0, second.stderr);
    const two = JSON.parse(second.stdout);
    assert.deepEqual(
      { copied: two.copied, skipped: two.skipped, failed: two.failed, corrupt: two.corrupt },
      { copied: 2, skipped: 2, failed: 0, corrupt: 0 },
    );
    assert.equal(two.to, `s3://${s3.bucket}/moved/ at ${s3.endpoint}`);

    const listed = await migrate();
    assert.equal(JSON.parse(listed.stdout).skipped, 4, 'a third run has nothing left to do');
  });

  test('a damaged local file is reported and never uploaded', async () => {
    const fake = 'ab'.padEnd(64, 'c');
    mkdirSync(path.join(dataDir, 'assets', 'ab', 'cc'), { recursive: true });
    const file = path.join(dataDir, 'assets', 'ab', 'cc', fake);
    writeFileSync(file, 'not what the name says');
    writeFileSync(path.join(dataDir, 'assets', 'ab', 'cc', `${fake}.1a2b3c.tmp`), 'an interrupted write');
    try {
      const result = await migrate();
      assert.equal(result.code, 2);
      const report = JSON.parse(result.stdout);
      assert.equal(report.corrupt, 1);
      assert.equal(report.totalFiles, 5, 'the temporary file is not a blob');
      assert.deepEqual(report.problems, [
        { file, message: 'its bytes do not match its name (damaged on disk); not copied' },
      ]);
      await assert.rejects(
        s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: `moved/ab/cc/${fake}` })),
      );
    } finally {
      rmSync(path.join(dataDir, 'assets', 'ab'), { recursive: true, force: true });
    }
  });

  test('after the copy, a server on S3 serves the old images with the local store gone', async () => {
    rmSync(path.join(dataDir, 'assets'), { recursive: true, force: true });
    const server = await startInProcessServer(buildConfig('pglite', dataDir, s3.env).config);
    try {
      for (const url of imageUrls) {
        const parsed = new URL(url);
        const answer = await fetch(`${server.url}${parsed.pathname}${parsed.search}`);
        assert.equal(answer.status, 200);
        const bytes = new Uint8Array(await answer.arrayBuffer());
        const sha = createHash('sha256').update(bytes).digest('hex');
        const head = await s3.client.send(
          new HeadObjectCommand({
            Bucket: s3.bucket,
            Key: `moved/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`,
          }),
        );
        assert.equal(head.ContentType, 'image/png');
        assert.equal(head.CacheControl, IMMUTABLE_CACHE_CONTROL);
      }
      const first = new URL(imageUrls[0]!);
      const derived = await fetch(`${server.url}${first.pathname}${first.search}&w=100&format=webp`);
      assert.equal(derived.status, 200);
      assert.equal(derived.headers.get('content-type'), 'image/webp');
    } finally {
      await server.stop();
    }
  });
});
