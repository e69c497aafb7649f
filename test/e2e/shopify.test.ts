import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeShopifyServer, signShopifyWebhook } from '../fakes/shopify-server.ts';
import { assertError } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const SECRET = 'shpss_app_client_secret';

describe('Shopify: a new product gets its images attached, exactly once (fake shop, in-process server)', () => {
  const dirs = new TempDirs();
  const shop = new FakeShopifyServer({ processingReads: 2 });
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  let webhookUrl: string;

  const eventOf = async (webhookId: string) =>
    ((await api.get('/v1/integrations/shopify/events?limit=500')).body.data as Loose[]).find(
      (event) => event.webhook_id === webhookId,
    );
  const handled = (webhookId: string) =>
    pollUntil(
      async () => {
        const event = await eventOf(webhookId);
        return event && event.outcome !== 'queued' ? event : undefined;
      },
      { timeoutMs: 30_000, what: `webhook ${webhookId} handled` },
    );
  const vitrineMedia = (productId: number) =>
    shop.mediaOf(productId).filter((media) => media.alt?.includes('product white'));

  before(async () => {
    await shop.listen();
    testConfig = buildConfig('pglite', dirs.make('vitrine-shopify-'), { VITRINE_ALLOW_PRIVATE_URLS: 'true' });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
    server.running.container.integrations.shopifyPublisher.pollDelaysMs = [20];
    webhookUrl = `${server.url}/v1/integrations/shopify/webhooks`;
  });
  after(async () => {
    await shop.settled();
    await server?.stop();
    await testConfig?.dispose();
    await shop.close();
    dirs.cleanup();
  });

  test('before a shop is connected, a webhook is refused and nothing is queued', async () => {
    const body = JSON.stringify({ id: 1, title: 'x' });
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'x-shopify-hmac-sha256': signShopifyWebhook(SECRET, body),
        'x-shopify-topic': 'products/create',
        'x-shopify-webhook-id': 'w-0',
      },
      body,
    });
    assert.equal(response.status, 401);
  });

  test('the OpenAPI document lists the integration routes', async () => {
    const paths = Object.keys((await api.get('/openapi.json')).body.paths);
    for (const path of [
      '/v1/integrations/shopify',
      '/v1/integrations/shopify/webhooks',
      '/v1/integrations/shopify/sync',
      '/v1/integrations/slack',
      '/v1/destinations',
      '/v1/batches/{id}/publications',
    ]) {
      assert.ok(paths.includes(path), `${path} in ${paths.filter((p) => p.includes('integr')).join(', ')}`);
    }
  });

  test('PUT checks the token against the shop and never shows secrets', async () => {
    const bad = await api.put('/v1/integrations/shopify', {
      shop: shop.shop,
      access_token: 'shpat_wrong',
      webhook_secret: SECRET,
      templates: ['product_white'],
      admin_base_url: shop.url,
    });
    assertError(bad, 422, 'unprocessable');
    assert.equal(bad.body.error.details.issues[0].field, 'access_token');
    const missing = await api.put('/v1/integrations/shopify', {
      shop: 'Not A Shop',
      access_token: shop.accessToken,
      webhook_secret: SECRET,
      templates: ['no_such_template'],
    });
    assertError(missing, 400, 'invalid_request');

    const saved = await api.put('/v1/integrations/shopify', {
      shop: shop.shop,
      access_token: shop.accessToken,
      webhook_secret: SECRET,
      templates: ['product_white'],
      admin_base_url: shop.url,
    });
    assert.equal(saved.status, 200, saved.text);
    assert.equal(saved.body.api_version, '2025-10');
    assert.equal(saved.body.currency_code, 'USD');
    const shown = await api.get('/v1/integrations/shopify');
    assert.equal(shown.status, 200);
    assert.doesNotMatch(shown.text, /shpat_|shpss_/, 'GET shows no secret');
    const stored = await server.running.container.db.query<{ access_token: string; webhook_secret: string }>(
      'SELECT access_token, webhook_secret FROM shopify_connections',
    );
    assert.doesNotMatch(
      JSON.stringify(stored),
      /shpat_test_token|shpss_app/,
      'secrets are encrypted at rest',
    );
    shop.connectApp({ url: webhookUrl, secret: SECRET });
  });

  test('products/create (followed by Shopify’s own products/update) → one set of images, READY, with alt text; the echo is skipped', async () => {
    const callsBefore = shop.graphqlCalls.length;
    const product = await shop.createProduct({
      title: 'Blue Mug',
      price: '19.99',
      productType: 'Mugs',
      sendUpdateToo: true,
    });
    const [create, update] = shop.deliveries.slice(-2);
    assert.equal(create!.status, 200);
    assert.equal(update!.status, 200);

    await pollUntil(() => vitrineMedia(product.id).some((media) => media.status === 'READY'), {
      timeoutMs: 60_000,
      what: 'the rendered image attached and READY',
    });
    assert.equal((await handled(create!.webhookId)).outcome, 'rendering');
    assert.equal(
      (await handled(update!.webhookId)).outcome,
      'unchanged',
      'the update right after create renders nothing more',
    );
    await shop.settled();
    const echo = shop.deliveries.at(-1)!;
    assert.notEqual(
      echo.webhookId,
      update!.webhookId,
      'the shop sent products/update after the media change',
    );
    const echoEvent = await handled(echo.webhookId);
    assert.equal(echoEvent.outcome, 'unchanged', 'Vitrine skips the update its own media caused');

    const attached = vitrineMedia(product.id);
    assert.equal(attached.length, 1, 'exactly one image attached');
    assert.equal(attached[0]!.alt, 'Blue Mug — product white');
    assert.equal(shop.mediaOf(product.id).length, 2, 'the product keeps its own photo');

    const calls = shop.graphqlCalls.slice(callsBefore).filter((call) => !call.throttled);
    const staged = calls.filter((call) => call.query.includes('stagedUploadsCreate'));
    const updates = calls.filter((call) => call.query.includes('productUpdate'));
    assert.equal(staged.length, 1);
    assert.equal(updates.length, 1);
    assert.deepEqual(staged[0]!.variables, {
      input: [
        {
          resource: 'IMAGE',
          filename: `${product.id}-product_white-1.png`,
          mimeType: 'image/png',
          httpMethod: 'POST',
          fileSize: String(attached[0]!.bytes!.length),
        },
      ],
    });
    const key = [...shop.uploads.keys()].at(-1)!;
    assert.deepEqual(updates[0]!.variables, {
      product: { id: `gid://shopify/Product/${product.id}` },
      media: [
        {
          originalSource: `${shop.url}/staged-uploads/${key}`,
          mediaContentType: 'IMAGE',
          alt: 'Blue Mug — product white',
        },
      ],
      count: 1,
    });
    const graphqlRequest = shop.requests
      .filter((request) => request.path === '/admin/api/2025-10/graphql.json')
      .at(-1)!;
    assert.equal(graphqlRequest.headers['x-shopify-access-token'], shop.accessToken);
    assert.equal(graphqlRequest.headers['content-type'], 'application/json');
    const upload = shop.requests.filter((request) => request.path === '/staged-uploads/').at(-1)!;
    assert.deepEqual(Object.keys(upload.form!), [
      'Content-Type',
      'success_action_status',
      'acl',
      'key',
      'x-goog-date',
      'x-goog-credential',
      'x-goog-algorithm',
      'x-goog-signature',
      'policy',
      'file',
    ]);
    assert.deepEqual(
      [...shop.uploads.values()].at(-1)!.bytes.slice(0, 4),
      new Uint8Array([0x89, 0x50, 0x4e, 0x47]),
    );
  });

  test('a replayed delivery is answered 200 and does nothing twice; a wrong or missing HMAC is 401 and queues nothing', async () => {
    const product = shop.addProduct({ title: 'Green Bowl', price: '12.00' });
    const first = await shop.deliver('products/create', product, {
      webhookId: 'replayed-1',
      eventId: 'evt-1',
    });
    assert.equal(first!.status, 200);
    const again = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'x-shopify-hmac-sha256': signShopifyWebhook(SECRET, first!.body),
        'x-shopify-topic': 'products/create',
        'x-shopify-webhook-id': 'replayed-1',
        'x-shopify-event-id': 'evt-1',
        'x-shopify-shop-domain': shop.shop,
      },
      body: first!.body,
    });
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as Loose).duplicate, true);
    // The same event delivered under a new webhook id (Shopify's retry of one event) is a duplicate too.
    const sameEvent = await shop.deliver('products/create', product, {
      webhookId: 'replayed-2',
      eventId: 'evt-1',
    });
    assert.equal(sameEvent!.status, 200);
    assert.equal(await eventOf('replayed-2'), undefined, 'the second delivery of the event was not recorded');

    await pollUntil(() => vitrineMedia(product.id).some((media) => media.status === 'READY'), {
      timeoutMs: 60_000,
      what: 'Green Bowl attached',
    });
    await shop.settled();
    await handled(shop.deliveries.at(-1)!.webhookId);
    assert.equal(vitrineMedia(product.id).length, 1, 'one attach for three deliveries of one event');

    // Topics Vitrine does not handle, and another shop's events, are recorded as ignored and do nothing.
    const deleted = await shop.deliver('products/delete', product);
    assert.equal(deleted!.status, 200);
    const ignored = await eventOf(deleted!.webhookId);
    assert.equal(ignored.outcome, 'ignored');
    assert.match(ignored.detail, /products\/delete is not handled/);
    const foreignBody = JSON.stringify({
      id: 5,
      title: 'Elsewhere',
      admin_graphql_api_id: 'gid://shopify/Product/5',
    });
    const foreign = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'x-shopify-hmac-sha256': signShopifyWebhook(SECRET, foreignBody),
        'x-shopify-topic': 'products/create',
        'x-shopify-webhook-id': 'foreign-1',
        'x-shopify-shop-domain': 'other-shop.myshopify.com',
      },
      body: foreignBody,
    });
    assert.equal(foreign.status, 200);
    assert.match((await eventOf('foreign-1')).detail, /other-shop.myshopify.com, not the connected shop/);

    const count = async () => (await api.get('/v1/integrations/shopify/events?limit=500')).body.data.length;
    const before = await count();
    const body = JSON.stringify({
      id: product.id,
      title: 'Tampered',
      admin_graphql_api_id: `gid://shopify/Product/${product.id}`,
    });
    for (const hmac of [
      signShopifyWebhook('not-the-secret', body),
      signShopifyWebhook(SECRET, `${body} `),
      undefined,
    ]) {
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          ...(hmac ? { 'x-shopify-hmac-sha256': hmac } : {}),
          'x-shopify-topic': 'products/update',
          'x-shopify-webhook-id': `bad-${hmac}`,
          'content-type': 'application/json',
        },
        body,
      });
      assert.equal(response.status, 401);
      assert.equal(((await response.json()) as Loose).error.code, 'unauthorized');
    }
    assert.equal(await count(), before, 'nothing recorded or queued');
  });

  test('a real change (a new title) renders and attaches again', async () => {
    const product = [...shop.products.values()].find((candidate) => candidate.title === 'Blue Mug')!;
    await shop.updateProduct(product.id, { title: 'Blue Mug XL' });
    await pollUntil(() => vitrineMedia(product.id).filter((media) => media.status === 'READY').length === 2, {
      timeoutMs: 60_000,
      what: 'the new title’s image attached',
    });
    assert.equal(vitrineMedia(product.id).at(-1)!.alt, 'Blue Mug XL — product white');
  });

  test('vitrine shopify sync backfills the catalog as a batch: unchanged products are skipped; a second sync does nothing', async () => {
    const added = ['Tea Cup', 'Tea Pot', 'Saucer'].map((title, index) =>
      shop.addProduct({ title, price: `${10 + index}.50`, image: index !== 2 }),
    );
    const sync = await runCli(
      ['shopify', 'sync', '--server', server.url, '--key', server.adminKey!, '--json'],
      {},
    );
    assert.equal(sync.code, 0, sync.stderr);
    const report = JSON.parse(sync.stdout);
    assert.equal(report.status, 'succeeded');
    assert.equal(report.listed, shop.products.size);
    assert.equal(report.claimed, 3, 'only the products never rendered');
    assert.equal(report.batches.length, 1);
    assert.equal(report.batches[0].template, 'product_white');
    assert.equal(report.published.succeeded, 3);
    for (const product of added) {
      const mine = vitrineMedia(product.id);
      assert.equal(mine.length, 1, `${product.title}: one image`);
      assert.equal(mine[0]!.status, 'READY');
    }
    const batch = await api.get(`/v1/batches/${report.batches[0].id}`);
    assert.deepEqual(batch.body.destinations, ['shopify']);
    assert.equal(batch.body.key_column, 'product_id');

    await shop.settled();
    const again = await runCli(
      ['shopify', 'sync', '--server', server.url, '--key', server.adminKey!, '--json'],
      {},
    );
    assert.equal(again.code, 0, again.stderr);
    const second = JSON.parse(again.stdout);
    assert.equal(second.claimed, 0, 'nothing changed, nothing rendered');
    assert.deepEqual(second.batches, []);
    for (const product of added) assert.equal(vitrineMedia(product.id).length, 1);
  });

  test('faults: a staged upload answering 503 is retried with backoff; Shopify failing to process the image fails the attach with its code, no loop on the echo, the next change tries again', async () => {
    shop.fail('upload_503');
    const flaky = await shop.createProduct({ title: 'Oak Board', price: '30.00' });
    await pollUntil(() => vitrineMedia(flaky.id).some((media) => media.status === 'READY'), {
      timeoutMs: 60_000,
      what: 'attached after the retry',
    });
    const create = shop.deliveries.find((delivery) => delivery.productId === flaky.id)!;
    const [jobId] = (await handled(create.webhookId)).job_ids;
    const [publication] = (await api.get(`/v1/jobs/${jobId}/publications`)).body.data;
    assert.equal(publication.destination, 'shopify');
    assert.equal(publication.target, `gid://shopify/Product/${flaky.id}`);
    assert.equal(publication.status, 'succeeded');
    assert.equal(publication.attempts, 2, 'the 503, then the attach');
    assert.equal(vitrineMedia(flaky.id).length, 1);

    shop.fail('media_failed');
    const broken = await shop.createProduct({ title: 'Slate Tray', price: '22.00' });
    const brokenCreate = shop.deliveries.find((delivery) => delivery.productId === broken.id)!;
    const [brokenJob] = (await handled(brokenCreate.webhookId)).job_ids;
    const failed = await pollUntil(
      async () => {
        const [entry] = (await api.get(`/v1/jobs/${brokenJob}/publications`)).body.data;
        return entry?.status === 'failed' ? entry : undefined;
      },
      { timeoutMs: 60_000, what: 'the attach failed' },
    );
    assert.equal(failed.error_code, 'shopify_media_failed');
    assert.equal(failed.attempts, 1, 'not retried: Shopify cannot process it');
    assert.match(failed.last_error, /IMAGE_DOWNLOAD_FAILURE/);
    // The update Shopify sends after the failed media does not start the same failure again…
    await shop.settled();
    const echo = shop.deliveries.filter((delivery) => delivery.productId === broken.id).at(-1)!;
    assert.notEqual(echo.webhookId, brokenCreate.webhookId);
    assert.equal((await handled(echo.webhookId)).outcome, 'unchanged', 'no retry loop on the echo');
    // …a real change renders and attaches again (as would the next `vitrine shopify sync`).
    await shop.updateProduct(broken.id, { title: 'Slate Tray II' });
    await pollUntil(() => vitrineMedia(broken.id).some((media) => media.status === 'READY'), {
      timeoutMs: 60_000,
      what: 'attached on the next event',
    });
  });
});
