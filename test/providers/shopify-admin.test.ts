import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PublishError } from '../../src/integrations/publish-error.ts';
import { ShopifyAdminClient } from '../../src/integrations/shopify/shopify-admin.client.ts';
import { type AttachProgress, attachImages } from '../../src/integrations/shopify/shopify-media.ts';
import { CostBucket } from '../../src/integrations/shopify/shopify-throttle.ts';
import { makePng } from '../fakes/fake-http.ts';
import { FakeShopifyServer } from '../fakes/shopify-server.ts';

const image = (alt: string) => ({ bytes: makePng(8, 8, 40), filename: 'a.png', mimeType: 'image/png', alt });

describe('Shopify Admin GraphQL client and media attach, against the fake shop', () => {
  let shop: FakeShopifyServer;
  const client = (options: { token?: string; bucket?: CostBucket } = {}) =>
    new ShopifyAdminClient(
      {
        shop: shop.shop,
        adminBaseUrl: shop.url,
        apiVersion: '2025-10',
        accessToken: options.token ?? shop.accessToken,
        allowPrivateUrls: true,
      },
      { bucket: options.bucket ?? new CostBucket() },
    );
  const attach = (productId: string, progress: AttachProgress = {}, knownMedia?: ReadonlySet<string>) => {
    const saved: AttachProgress[] = [];
    return {
      saved,
      run: () =>
        attachImages(client(), productId, [image('Mug — front')], {
          progress,
          knownMedia,
          allowPrivateUrls: true,
          pollDelaysMs: [5],
          saveProgress: async (next) => {
            saved.push(next);
          },
        }),
    };
  };

  before(async () => {
    shop = new FakeShopifyServer({ processingReads: 3 });
    await shop.listen();
  });
  after(() => shop.close());

  test('the fake validates queries against the schema, as Shopify does', async () => {
    await assert.rejects(
      client().graphql('query { shop { nmae } }', {}, { cost: 1 }),
      (error: unknown) =>
        error instanceof PublishError &&
        error.code === 'shopify_graphql_error' &&
        /Cannot query field "nmae"/.test(error.message),
    );
    const productUpdateWithOldArgument =
      'mutation { productUpdate(input: {id: "gid://shopify/Product/1"}) { userErrors { message } } }';
    await assert.rejects(
      client().graphql(productUpdateWithOldArgument, {}, { cost: 10 }),
      /Unknown argument "input"/,
    );
  });

  test('401, 5xx and THROTTLED become precise errors; a THROTTLED answer is waited out and sent again', async () => {
    await assert.rejects(
      client({ token: 'shpat_bad' }).graphql('query { shop { name } }', {}, { cost: 1 }),
      (error: unknown) =>
        error instanceof PublishError && error.code === 'shopify_unauthorized' && !error.retryable,
    );
    shop.fail('graphql_5xx');
    await assert.rejects(
      client().graphql('query { shop { name } }', {}, { cost: 1 }),
      (error: unknown) =>
        error instanceof PublishError &&
        error.code === 'shopify_unavailable' &&
        error.retryable &&
        error.statusCode === 502,
    );
    shop.fail('graphql_throttled');
    const before = shop.graphqlCalls.length;
    const answer = await client().graphql<{ shop: { currencyCode: string } }>(
      'query { shop { currencyCode } }',
      {},
      { cost: 1 },
    );
    assert.equal(answer.shop.currencyCode, 'USD');
    assert.deepEqual(
      shop.graphqlCalls.slice(before).map((call) => call.throttled),
      [true, false],
      'throttled once, then answered',
    );
  });

  test('the client waits for the bucket instead of being throttled', async () => {
    const tight = new FakeShopifyServer({ maximumAvailable: 30, restoreRate: 200 });
    await tight.listen();
    try {
      const bucket = new CostBucket();
      const tightClient = new ShopifyAdminClient(
        {
          shop: tight.shop,
          adminBaseUrl: tight.url,
          apiVersion: '2025-10',
          accessToken: tight.accessToken,
          allowPrivateUrls: true,
        },
        { bucket },
      );
      const query = 'mutation { stagedUploadsCreate(input: []) { userErrors { message } } }';
      for (let i = 0; i < 8; i++) await tightClient.graphql(query, {}, { cost: 10 });
      assert.equal(tight.graphqlCalls.length, 8);
      assert.equal(
        tight.graphqlCalls.filter((call) => call.throttled).length,
        0,
        'no call was answered THROTTLED',
      );
      assert.ok(bucket.available() < 30, 'the model tracks the spent points');
    } finally {
      await tight.close();
    }
  });

  test('attach: staged upload, productUpdate media, READY after processing; a retry with saved media ids only polls', async () => {
    const product = shop.addProduct({ title: 'Mug' });
    const gid = `gid://shopify/Product/${product.id}`;
    const first = attach(gid);
    const ids = await first.run();
    assert.equal(ids.length, 1);
    assert.equal(shop.media.get(ids[0]!)!.status, 'READY');
    assert.deepEqual(first.saved.at(-1)!.mediaIds, ids);
    const uploads = shop.uploads.size;
    const again = attach(gid, { mediaIds: ids });
    assert.deepEqual(await again.run(), ids);
    assert.equal(shop.uploads.size, uploads, 'nothing uploaded again');
    assert.equal(shop.mediaOf(product.id).length, 2);

    // Stopped before productUpdate (nothing of this attach exists yet): the retry attaches once. Stopped
    // after it, before saving the ids: the retry finds them (new, with its alt) instead of attaching again.
    const known = new Set(shop.mediaOf(product.id).map((media) => media.id));
    const interrupted = attach(gid, { attaching: true }, known);
    const created = await interrupted.run();
    assert.equal(
      shop.mediaOf(product.id).length,
      3,
      'no media of this attach existed to find, so it attached once',
    );
    assert.ok(!known.has(created[0]!));
    const resumed = attach(gid, { attaching: true }, known);
    assert.deepEqual(await resumed.run(), created, 'the same media are found again, none added');
    assert.equal(shop.mediaOf(product.id).length, 3);
  });

  test('attach failures: the staged upload 503 (retryable), Shopify failing to process the image (not retryable), an unknown product', async () => {
    const product = shop.addProduct({ title: 'Plate' });
    const gid = `gid://shopify/Product/${product.id}`;
    shop.fail('upload_503');
    await assert.rejects(
      attach(gid).run(),
      (error: unknown) =>
        error instanceof PublishError &&
        error.code === 'shopify_upload_failed' &&
        error.retryable &&
        error.statusCode === 503 &&
        /ServiceUnavailable/.test(error.bodyExcerpt ?? ''),
    );
    shop.fail('media_failed');
    await assert.rejects(
      attach(gid).run(),
      (error: unknown) =>
        error instanceof PublishError &&
        error.code === 'shopify_media_failed' &&
        !error.retryable &&
        /IMAGE_DOWNLOAD_FAILURE/.test(error.message),
    );
    await assert.rejects(
      attach('gid://shopify/Product/1').run(),
      (error: unknown) => error instanceof PublishError && error.code === 'shopify_product_missing',
    );
  });
});
