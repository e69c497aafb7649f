import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { FakeHttpServer, sendJson } from '../fakes/fake-http.ts';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { openStudioBrowser, signInWithKey, takeScreenshot } from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { startTestS3 } from '../support/s3-server.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

describe('publish destinations: a CMS call per row, its delivery log and replay (loopback CMS)', () => {
  const dirs = new TempDirs();
  /** SKUs the CMS refuses (422) or answers 503 to a number of times first. */
  const refused = new Set(['BAD-2']);
  const flaky = new Map([['FLAKY-3', 1]]);
  const cms = new FakeHttpServer(({ request, res }) => {
    const sku = decodeURIComponent(request.path.split('/').pop() ?? '');
    if (refused.has(sku))
      return sendJson(res, 422, { error: 'unknown_product', message: `No product with SKU ${sku}` });
    const left = flaky.get(sku) ?? 0;
    if (left > 0) {
      flaky.set(sku, left - 1);
      return sendJson(res, 503, { error: 'maintenance' }, { 'retry-after': '1' });
    }
    sendJson(res, 200, { ok: true, sku });
  });
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    await cms.listen();
    testConfig = buildConfig('pglite', dirs.make('vitrine-destinations-'), {
      VITRINE_ALLOW_PRIVATE_URLS: 'true',
    });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    await cms.close();
    dirs.cleanup();
  });

  const settled = (batchId: string, expected: number) =>
    pollUntil(
      async () => {
        const log = await api.get(`/v1/batches/${batchId}/publications?limit=500`);
        const counts = log.body.summary.cms as Loose;
        return counts && counts.pending === 0 && counts.succeeded + counts.failed === expected
          ? log.body
          : undefined;
      },
      { timeoutMs: 60_000, what: 'every publication settled' },
    );

  test('bad destinations and unknown names are refused, naming the field', async () => {
    const badUrl = await api.post('/v1/destinations', {
      name: 'bad',
      kind: 'http',
      http: { method: 'PATCH', url: 'ftp://x/{{sku}}' },
    });
    assertError(badUrl, 400, 'invalid_request');
    assert.deepEqual(issueFields(badUrl), ['http.url']);
    const noConfig = await api.post('/v1/destinations', { name: 'bad', kind: 'http' });
    assert.deepEqual(issueFields(noConfig), ['http']);
    const unknown = await api.post('/v1/batches', {
      template: 'product_white',
      destinations: ['nowhere'],
      rows: [{ sku: 'X', title: 'X' }],
    });
    assertError(unknown, 400, 'invalid_request');
    assert.deepEqual(issueFields(unknown), ['destinations.0']);
  });

  test('each succeeded row PATCHes the CMS with its image URL and the stored secret; 4xx fails with status and body; 503 is retried; replay', async () => {
    const created = await api.post('/v1/destinations', {
      name: 'cms',
      kind: 'http',
      http: {
        method: 'PATCH',
        url: `${cms.url}/api/products/{{sku}}`,
        body: { image_url: '{{images.0.url}}', title: '{{title}}', width: '{{images.0.width}}' },
      },
      secret: 'Bearer cms-secret-token',
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.has_secret, true);
    assert.doesNotMatch(JSON.stringify((await api.get('/v1/destinations')).body), /cms-secret-token/);

    const batch = await api.post('/v1/batches', {
      template: 'product_white',
      destinations: ['cms'],
      rows: [
        { sku: 'OK 1', title: 'Linen shirt "Sky"' },
        { sku: 'BAD-2', title: 'Wool coat' },
        { sku: 'FLAKY-3', title: 'Silk scarf' },
      ],
    });
    assert.equal(batch.status, 202, batch.text);
    assert.deepEqual(batch.body.destinations, [created.body.id]);
    const log = await settled(batch.body.id, 3);
    assert.deepEqual(log.summary.cms, { pending: 0, succeeded: 2, failed: 1 });

    const first = cms.requests.find((request) => request.path === '/api/products/OK%201')!;
    assert.equal(first.method, 'PATCH');
    assert.equal(first.headers.authorization, 'Bearer cms-secret-token');
    assert.equal(first.headers['content-type'], 'application/json');
    const body = first.json as Loose;
    assert.equal(body.title, 'Linen shirt "Sky"');
    assert.equal(body.width, 1024);
    const image = await fetch(body.image_url);
    assert.equal(image.status, 200, 'the image URL works without a key');
    assert.equal(image.headers.get('content-type'), 'image/png');

    const byKey = (key: string) => (log.data as Loose[]).find((entry) => entry.request.url.endsWith(key));
    const rejected = byKey('BAD-2');
    assert.equal(rejected.status, 'failed');
    assert.equal(rejected.error_code, 'cms_rejected');
    assert.equal(rejected.last_status_code, 422);
    assert.equal(rejected.attempts, 1, 'a 4xx is not retried');
    assert.match(rejected.response_excerpt, /No product with SKU BAD-2/);
    assert.match(rejected.last_error, /PATCH .*BAD-2 answered HTTP 422/);
    const retried = byKey('FLAKY-3');
    assert.equal(retried.status, 'succeeded');
    assert.equal(retried.attempts, 2);
    assert.equal(cms.requests.filter((request) => request.path.endsWith('FLAKY-3')).length, 2);

    const manifest = await api.get(`/v1/batches/${batch.body.id}/manifest.csv`);
    const lines = manifest.text.trim().split('\r\n');
    assert.equal(
      lines[0],
      'row,sku,job_id,status,image_urls,error,quality,warnings,files,background,published',
    );
    assert.match(lines[2]!, /cms: failed \(cms_rejected 422\)$/);
    assert.match(lines[1]!, /cms: succeeded$/);

    // The studio's batch view: counts per destination, the failure with its status, and a replay.
    const studio = await openStudioBrowser(server);
    try {
      await signInWithKey(studio.page, server);
      await studio.page.goto(`${server.url}/batches?batch=${batch.body.id}`);
      const failedCell = studio.page.getByTestId('publish-failed-cms');
      await failedCell.waitFor();
      assert.equal(await studio.page.getByTestId('published-cms').textContent(), '2');
      assert.equal(await failedCell.textContent(), '1');
      const failure = studio.page.getByRole('list', { name: 'Publications that failed' });
      assert.match(
        (await failure.textContent()) ?? '',
        /^cms · cms_rejected 422: PATCH .*BAD-2 answered HTTP 422/,
      );
      await takeScreenshot(studio.page, 'studio-batch-publish-en', dirs);
      refused.clear();
      await studio.page.getByRole('button', { name: 'Publish the 1 failed again' }).click();
      await studio.page.getByTestId('published-cms').filter({ hasText: '3' }).waitFor();
      assert.deepEqual(studio.errors, []);
    } finally {
      await studio.close();
    }
    const after = await settled(batch.body.id, 3);
    assert.deepEqual(
      after.summary.cms,
      { pending: 0, succeeded: 3, failed: 0 },
      'a replay replaces the failure',
    );
    const replayed = (after.data as Loose[]).find((entry) => entry.replay_of === rejected.id);
    assert.equal(replayed.status, 'succeeded');
    const again = await api.get(`/v1/batches/${batch.body.id}/manifest.csv`);
    assert.match(again.text.trim().split('\r\n')[2]!, /cms: succeeded$/);
  });

  test("a bucket destination copies each image under the key pattern, as the pattern's format", async () => {
    const s3 = await startTestS3();
    try {
      const created = await api.post('/v1/destinations', {
        name: 'customer-bucket',
        kind: 'bucket',
        bucket: {
          bucket: s3.bucket,
          key_pattern: 'shop/{{sku}}/{{template}}-{{n}}.jpg',
          endpoint: s3.endpoint,
          force_path_style: true,
          region: s3.settings.region,
          access_key_id: s3.settings.credentials!.accessKeyId,
        },
        secret: s3.settings.credentials!.secretAccessKey,
      });
      assert.equal(created.status, 201, created.text);
      const batch = await api.post('/v1/batches', {
        template: 'product_white',
        n: 2,
        destinations: ['customer-bucket'],
        rows: [{ sku: 'MUG-1', title: 'Blue mug' }],
      });
      assert.equal(batch.status, 202, batch.text);
      const log = await pollUntil(
        async () => {
          const answer = await api.get(`/v1/batches/${batch.body.id}/publications`);
          const counts = answer.body.summary['customer-bucket'];
          return counts && counts.pending === 0 && counts.succeeded + counts.failed === 1
            ? answer.body
            : undefined;
        },
        { timeoutMs: 60_000, what: 'the bucket copy' },
      );
      assert.equal(log.data[0].status, 'succeeded', JSON.stringify(log.data[0]));
      assert.deepEqual(log.data[0].request.keys, [
        'shop/MUG-1/product_white-1.jpg',
        'shop/MUG-1/product_white-2.jpg',
      ]);
      for (const key of log.data[0].request.keys) {
        const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
        assert.equal(object.ContentType, 'image/jpeg');
        const bytes = await object.Body!.transformToByteArray();
        assert.deepEqual([...bytes.slice(0, 3)], [0xff, 0xd8, 0xff], `${key} is a JPEG`);
      }
    } finally {
      await s3.stop();
    }
  });
});
