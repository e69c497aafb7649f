import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SettingsRepository } from '../../src/db/catalog.repository.ts';
import { type Database, openPglite, openPostgres } from '../../src/db/client.ts';
import { JobRepository, type NewJob } from '../../src/db/job.repository.ts';
import { migrate } from '../../src/db/migrator.ts';
import { PublicationRepository } from '../../src/db/publication.repository.ts';
import { ShopifyRepository } from '../../src/db/shopify.repository.ts';
import { SlackRepository } from '../../src/db/slack.repository.ts';
import { SecretBox } from '../../src/services/integrations/secret-box.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

function job(overrides: Partial<NewJob> = {}): NewJob {
  const id = randomUUID();
  return {
    id,
    batch_id: null,
    api_key_id: null,
    prompt: 'a mug',
    negative_prompt: '',
    template: 'product_white',
    template_version: 1,
    brand: 'default',
    brand_version: 1,
    provider: 'studio',
    model: 'studio-layout-v1',
    n: 1,
    width: 1024,
    height: 1024,
    format: 'png',
    priority: 'normal',
    params: { title: 'Mug' },
    seed: 1,
    cache: 'miss',
    metadata: {},
    webhook_url: null,
    fallback: [],
    idempotency_key: null,
    request_hash: null,
    queue_job_id: id,
    ...overrides,
  };
}

for (const engine of engines) {
  describe(`integration repositories on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    const schema = engine.name === 'postgres' ? uniqueSchemaName() : null;
    let db: Database;
    const shopify = new ShopifyRepository();
    const publications = new PublicationRepository();
    const slack = new SlackRepository();
    const jobs = new JobRepository();

    before(async () => {
      db =
        engine.name === 'pglite'
          ? await openPglite(dirs.make('vitrine-integrations-'))
          : await openPostgres(postgresUrl(), { schema: schema! });
      await migrate(db);
    });
    after(async () => {
      await db?.close();
      if (schema) await dropSchemas(schema);
      dirs.cleanup();
    });

    test('a webhook is recorded once per delivery id and once per event id + topic', async () => {
      const event = (webhookId: string, eventKey: string | null) => ({
        webhook_id: webhookId,
        event_key: eventKey,
        topic: 'products/create',
        shop: 'x.myshopify.com',
        product_id: 'gid://shopify/Product/1',
        payload: { id: 1 },
        outcome: 'queued' as const,
        detail: null,
      });
      assert.equal(await shopify.insertEvent(db, event('w1', 'e1:products/create')), true);
      assert.equal(
        await shopify.insertEvent(db, event('w1', 'e1:products/create')),
        false,
        'the same delivery',
      );
      assert.equal(
        await shopify.insertEvent(db, event('w2', 'e1:products/create')),
        false,
        'the same event, redelivered',
      );
      assert.equal(
        await shopify.insertEvent(db, event('w3', 'e1:products/update')),
        true,
        'another topic of the event',
      );
      await shopify.finishEvent(db, 'w1', 'rendering', null, [randomUUID()]);
      assert.equal((await shopify.findEvent(db, 'w1'))!.outcome, 'rendering');
    });

    test('a product is claimed when its fingerprint changes; concurrent claims of one change win once; failures wait for a sync', async () => {
      const product = (fingerprint: string) => ({
        product_id: 'gid://shopify/Product/7',
        fingerprint,
        title: 'Mug',
        price: '9.00',
        product_type: 'Mugs',
        image_url: null,
        sync_id: null,
      });
      const claims = await Promise.all([
        shopify.claimProduct(db, product('a')),
        shopify.claimProduct(db, product('a')),
      ]);
      assert.deepEqual(claims.sort(), [false, true]);
      assert.equal(await shopify.claimProduct(db, product('a')), false, 'unchanged');
      assert.equal(await shopify.claimProduct(db, product('a'), { force: true }), true);
      await shopify.markFailed(db, 'gid://shopify/Product/7', 'shopify_media_failed: x');
      assert.equal(await shopify.claimProduct(db, product('a')), false, 'a webhook does not retry a failure');
      assert.equal(await shopify.claimProduct(db, product('a'), { retryFailed: true }), true, 'a sync does');
      assert.equal((await shopify.findProduct(db, 'gid://shopify/Product/7'))!.last_error, null);
      await shopify.addAttachedMedia(db, 'gid://shopify/Product/7', ['11', '12']);
      assert.deepEqual((await shopify.findProduct(db, 'gid://shopify/Product/7'))!.attached_media, [
        '11',
        '12',
      ]);
    });

    test('one publication per job and destination; replays are new rows counted once; missing Shopify ones are found', async () => {
      const rendered = job({ metadata: { shopify_product_id: 'gid://shopify/Product/9' } });
      await jobs.insertMany(db, [{ ...rendered, status: 'succeeded', cost_usd: 0 }]);
      await db.query(`UPDATE jobs SET finished_at = now() WHERE id = $1`, [rendered.id]);
      const found = await publications.insertMissingShopify(db);
      assert.equal(found.length, 1);
      assert.deepEqual(await publications.insertMissingShopify(db), [], 'found once');
      const again = await publications.insertMany(db, [
        {
          id: randomUUID(),
          job_id: rendered.id,
          batch_id: null,
          destination: 'shopify',
          kind: 'shopify',
          target: 'x',
          replay_of: null,
        },
      ]);
      assert.deepEqual(again, [], 'never a second publication of one job to one destination');
      const first = (await publications.find(db, found[0]!))!;
      assert.equal(first.target, 'gid://shopify/Product/9');
      const failed = await publications.recordAttempt(db, first.id, {
        ok: false,
        final: true,
        statusCode: 422,
        errorCode: 'cms_rejected',
        error: 'no',
        request: { method: 'PATCH' },
        responseExcerpt: '{"error":1}',
      });
      assert.equal(failed!.status, 'failed');
      assert.equal(
        await publications.recordAttempt(db, first.id, {
          ok: true,
          final: true,
          statusCode: 200,
          errorCode: null,
          error: null,
          request: {},
          responseExcerpt: null,
        }),
        null,
        'a finished publication takes no more attempts',
      );
      const replay = await publications.insertMany(db, [{ ...first, id: randomUUID(), replay_of: first.id }]);
      assert.equal(replay.length, 1);
      assert.equal(await publications.hasPendingFor(db, 'shopify', 'gid://shopify/Product/9'), true);
    });

    test('secrets are sealed with a key kept in settings, bound to their purpose', async () => {
      const box = await SecretBox.create({ db, settings: new SettingsRepository() });
      const sealed = box.seal('shpat_123', 'shopify.access_token');
      assert.doesNotMatch(sealed, /shpat/);
      assert.notEqual(sealed, box.seal('shpat_123', 'shopify.access_token'), 'a fresh IV each time');
      assert.equal(box.open(sealed, 'shopify.access_token'), 'shpat_123');
      assert.throws(() => box.open(sealed, 'slack.webhook_url'), 'another purpose cannot open it');
      const sameKey = await SecretBox.create({ db, settings: new SettingsRepository() });
      assert.equal(sameKey.open(sealed, 'shopify.access_token'), 'shpat_123', 'another node opens it');
    });

    test('budget warnings are claimed once per key and day', async () => {
      assert.equal(await slack.claimBudgetWarning(db, 'key_1', '2026-12-03'), true);
      assert.equal(await slack.claimBudgetWarning(db, 'key_1', '2026-12-03'), false);
      assert.equal(await slack.claimBudgetWarning(db, 'key_1', '2026-12-04'), true);
    });
  });
}
