import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { makePng, startImageServer } from '../support/image-server.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/**
 * The SSRF guard at every door a URL comes in by, on a server with the default policy (private
 * addresses refused). An image server on loopback stands for the internal service an attacker
 * aims at: it must never be asked anything.
 */
describe('SSRF: private addresses are refused at request time, in every notation, at every door', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  let internal: Awaited<ReturnType<typeof startImageServer>>;
  let port: string;

  before(async () => {
    const png = await makePng();
    internal = await startImageServer({
      '/a.png': (_request, response) => response.writeHead(200, { 'content-type': 'image/png' }).end(png),
    });
    port = new URL(internal.url).port;
    testConfig = buildConfig('pglite', dirs.make('vitrine-ssrf-'));
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    await internal?.close();
    dirs.cleanup();
  });

  const privateUrls = () => [
    `http://[::ffff:127.0.0.1]:${port}/a.png`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port}/a.png`,
    `http://[::ffff:a9fe:a9fe]/latest/meta-data/`,
    `http://[::127.0.0.1]:${port}/a.png`,
    `http://[64:ff9b::7f00:1]:${port}/a.png`,
    `http://[2002:7f00:1::1]:${port}/a.png`,
    `http://[fe80::1]:${port}/a.png`,
    `http://[fd00::1]:${port}/a.png`,
    `http://127.0.0.1:${port}/a.png`,
    `http://0x7f.1:${port}/a.png`,
    `http://localhost:${port}/a.png`,
    'http://169.254.169.254/latest/meta-data/',
  ];

  test('a product image param (POST /v1/generations): 400 naming the param', async () => {
    for (const url of privateUrls()) {
      const answer = await api.post('/v1/generations', {
        template: 'product_hero',
        params: { title: 'Shirt', price: '$9', product_image: url },
      });
      assertError(answer, 400, 'invalid_request');
      assert.deepEqual(issueFields(answer), ['params.product_image'], url);
      assert.match(answer.body.error.message, /not a public address/);
    }
  });

  test("a poster's product_image_url and any webhook_url: 400 naming the field", async () => {
    const url = privateUrls()[0]!;
    const poster = await api.post('/v1/posters', { brief: '夏季清仓促销,满200减50', product_image_url: url });
    assertError(poster, 400, 'invalid_request');
    assert.deepEqual(issueFields(poster), ['product_image_url']);

    const hooked = [
      ['/v1/generations', { template: 'product_hero', params: { title: 'Shirt' }, webhook_url: url }],
      ['/v1/posters', { brief: 'Summer sale', webhook_url: url }],
      ['/v1/batches', { template: 'product_hero', rows: [{ title: 'Shirt' }], webhook_url: url }],
    ] as const;
    for (const [path, body] of hooked) {
      const answer = await api.post(path, body);
      assertError(answer, 400, 'invalid_request');
      assert.deepEqual(issueFields(answer), ['webhook_url'], path);
    }
  });

  test('a brand logo given as a URL: 400 naming logo_asset_id, on create and on update', async () => {
    const url = privateUrls()[1]!;
    const palette = {
      primary: '#111111',
      secondary: '#222222',
      accent: '#ff0000',
      background: '#ffffff',
      text: '#000000',
    };
    const created = await api.post('/v1/brands', {
      slug: 'ssrf-brand',
      name: 'SSRF',
      palette,
      logo_asset_id: url,
    });
    assertError(created, 400, 'invalid_request');
    assert.deepEqual(issueFields(created), ['logo_asset_id']);
    assert.equal((await api.post('/v1/brands', { slug: 'ssrf-brand', name: 'SSRF', palette })).status, 201);
    const updated = await api.patch('/v1/brands/ssrf-brand', { logo_asset_id: url });
    assertError(updated, 400, 'invalid_request');
    assert.deepEqual(issueFields(updated), ['logo_asset_id']);
  });

  test('batch rows: a row with a private image URL is an invalid row named by its line', async () => {
    const batch = await api.post('/v1/batches', {
      template: 'product_hero',
      rows: [
        { sku: 'OK-1', title: 'Fine' },
        { sku: 'BAD-1', title: 'Bad', product_image: privateUrls()[0] },
      ],
    });
    assert.equal(batch.status, 202, batch.text);
    assert.equal(batch.body.error_count, 1);
    assert.equal(batch.body.errors[0].row, 2);
    assert.match(batch.body.errors[0].message, /product_image.*not a public address/);
  });

  test('POST /v1/images/generations (OpenAI-compatible): 400 in OpenAI shape naming the param', async () => {
    const answer = await api.post('/v1/images/generations', {
      model: 'product_hero',
      prompt: 'Shirt',
      params: { product_image: privateUrls()[0] },
    });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.error.type, 'invalid_request_error');
    assert.equal(answer.body.error.param, 'params.product_image');
  });

  test('a registered webhook endpoint on a private address is refused at registration', async () => {
    for (const url of [privateUrls()[0]!, privateUrls()[10]!]) {
      const created = await api.post('/v1/webhooks', { url, events: ['job.succeeded'] });
      assertError(created, 400, 'invalid_request');
      assert.deepEqual(issueFields(created), ['url']);
    }
    assert.deepEqual((await api.get('/v1/webhooks')).body.data, []);
  });

  test('catalog product images: 400 naming images.N on create and update; an import reports the row', async () => {
    const url = privateUrls()[0]!;
    const created = await api.post('/v1/products', { sku: 'SSRF-1', name: 'Shirt', images: [url] });
    assertError(created, 400, 'invalid_request');
    assert.deepEqual(issueFields(created), ['images.0']);
    assert.equal((await api.post('/v1/products', { sku: 'SSRF-1', name: 'Shirt' })).status, 201);
    const patched = await api.patch('/v1/products/SSRF-1', {
      images: ['https://shop.example.com/a.jpg', privateUrls()[11]!],
    });
    assertError(patched, 400, 'invalid_request');
    assert.deepEqual(issueFields(patched), ['images.1']);
    const imported = await api.post('/v1/products/import', {
      products: [
        { sku: 'SSRF-2', name: 'Scarf', images: [privateUrls()[6]!] },
        { sku: 'SSRF-3', name: 'Hat' },
      ],
    });
    assert.equal(imported.status, 200, imported.text);
    assert.equal(imported.body.total, 1);
    assert.deepEqual(
      imported.body.errors.map((error: { row: number; field: string }) => [error.row, error.field]),
      [[1, 'images.0']],
    );
  });

  test("a script's product photos and its render's webhook_url: 400 naming the field", async () => {
    const text = '【第一款】亚麻衬衫\n100%亚麻,透气显瘦。到手价199元。';
    const analyzed = await api.post('/v1/scripts/analyze', {
      text,
      product_images: { 亚麻衬衫: privateUrls()[2]! },
    });
    assertError(analyzed, 400, 'invalid_request');
    assert.deepEqual(issueFields(analyzed), ['product_images.亚麻衬衫']);
    const rendered = await api.post('/v1/scripts/render', { text, webhook_url: privateUrls()[0]! });
    assertError(rendered, 400, 'invalid_request');
    assert.deepEqual(issueFields(rendered), ['webhook_url']);
  });

  test('publishing destinations and the Slack webhook on a private address: refused when configured', async () => {
    const http = await api.post('/v1/destinations', {
      name: 'cms',
      kind: 'http',
      http: { method: 'PATCH', url: `http://[::ffff:127.0.0.1]:${port}/api/{{sku}}` },
    });
    assertError(http, 400, 'invalid_request');
    assert.deepEqual(issueFields(http), ['http.url']);
    const bucket = await api.post('/v1/destinations', {
      name: 'bucket',
      kind: 'bucket',
      bucket: { bucket: 'shop-images', key_pattern: '{{key}}.png', endpoint: 'http://169.254.169.254' },
    });
    assertError(bucket, 400, 'invalid_request');
    assert.deepEqual(issueFields(bucket), ['bucket.endpoint']);
    const slack = await api.put('/v1/integrations/slack', {
      webhook_url: 'https://[::ffff:a9fe:a9fe]/services/T/B/x',
      events: ['batch.finished'],
    });
    assertError(slack, 400, 'invalid_request');
    assert.deepEqual(issueFields(slack), ['webhook_url']);
  });

  test('the internal server was never asked anything', () => {
    assert.deepEqual(internal.hits, []);
  });
});
