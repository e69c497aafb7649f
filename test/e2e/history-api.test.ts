import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/** The API behind the studio's Brands and History screens: fonts, job filters, usage with cache figures. */
for (const engine of engines) {
  describe(`fonts, job filters and usage on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;
    let reader: HttpClient;
    let readerKeyId: string;
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

    const generate = async (client: HttpClient, body: Record<string, unknown>) => {
      const response = await client.post<Loose>('/v1/generations?wait=60', { provider: 'studio', ...body });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.status, 'succeeded', response.text);
      return response.body;
    };
    const ids = (response: { body: Loose }) => response.body.data.map((job: Loose) => job.id);

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-history-'));
      server = await startInProcessServer(testConfig.config);
      api = new HttpClient(server.url, server.adminKey);
      const brand = await api.post('/v1/brands', {
        slug: 'acme',
        name: 'Acme',
        palette: {
          primary: '#112233',
          secondary: '#445566',
          accent: '#ff5500',
          background: '#ffffff',
          text: '#111111',
        },
      });
      assert.equal(brand.status, 201, brand.text);
      const key = await api.post('/v1/api-keys', { name: 'shop reader', scopes: ['generate', 'read'] });
      assert.equal(key.status, 201, key.text);
      reader = api.withKey(key.body.key);
      readerKeyId = key.body.id;
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('GET /v1/fonts lists the bundled families', async () => {
      const response = await reader.get('/v1/fonts');
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body, {
        default: 'Noto Sans SC',
        data: [
          { family: 'Noto Sans SC', scripts: ['latin', 'han'] },
          { family: 'Oswald', scripts: ['latin'] },
          { family: 'Montserrat', scripts: ['latin'] },
          { family: 'Playfair Display', scripts: ['latin'] },
          { family: 'Noto Serif SC', scripts: ['latin', 'han'] },
          { family: 'Bebas Neue', scripts: ['latin'] },
          { family: 'ZCOOL QingKe HuangYou', scripts: ['latin', 'han'] },
          { family: 'ZCOOL KuaiLe', scripts: ['latin', 'han'] },
          { family: 'ZCOOL XiaoWei', scripts: ['latin', 'han'] },
        ],
      });
      assertError(await api.get('/v1/fonts', { key: null }), 401, 'unauthorized');
    });

    test('GET /v1/jobs filters by template, brand, provider, dates and text', async () => {
      const social = await generate(api, { template: 'social_post', params: { title: 'Linen shirt' } });
      const poster = await generate(api, {
        template: 'promo_poster',
        brand: 'acme',
        params: { title: 'Summer sale' },
      });
      const text = await generate(reader, {
        template: 'text_card',
        brand: 'acme',
        params: { title: 'Hello' },
      });

      const byTemplate = await api.get('/v1/jobs?template=social_post');
      assert.equal(byTemplate.status, 200, byTemplate.text);
      assert.deepEqual(ids(byTemplate), [social.id]);
      assert.deepEqual(ids(await api.get('/v1/jobs?brand=acme')), [text.id, poster.id]);
      assert.deepEqual(ids(await api.get('/v1/jobs?brand=acme&template=promo_poster')), [poster.id]);
      assert.deepEqual(ids(await api.get('/v1/jobs?provider=studio&status=succeeded')), [
        text.id,
        poster.id,
        social.id,
      ]);
      assert.deepEqual(ids(await api.get('/v1/jobs?provider=openai')), []);
      assert.deepEqual(ids(await api.get(`/v1/jobs?created_after=${today}`)), [
        text.id,
        poster.id,
        social.id,
      ]);
      assert.deepEqual(ids(await api.get(`/v1/jobs?created_before=${today}`)), []);
      assert.deepEqual(ids(await api.get(`/v1/jobs?created_after=${tomorrow}`)), []);
      assert.deepEqual(ids(await api.get(`/v1/jobs?created_before=${tomorrow}&template=text_card`)), [
        text.id,
      ]);
      const instant = encodeURIComponent(poster.created_at);
      assert.deepEqual(ids(await api.get(`/v1/jobs?created_after=${instant}`)), [text.id, poster.id]);
      assert.deepEqual(ids(await api.get('/v1/jobs?q=SUMMER')), [poster.id], 'the prompt, any case');
      assert.deepEqual(ids(await api.get('/v1/jobs?q=text_c')), [text.id], "the template's name");
      assert.deepEqual(ids(await api.get('/v1/jobs?q=100%25')), [], 'a % is matched literally');

      const page = await api.get('/v1/jobs?brand=acme&limit=1');
      assert.deepEqual(ids(page), [text.id]);
      const next = await api.get(`/v1/jobs?brand=acme&limit=1&cursor=${page.body.next_cursor}`);
      assert.deepEqual(ids(next), [poster.id], 'the cursor keeps the filters');

      const bad = await api.get('/v1/jobs?created_after=yesterday');
      assertError(bad, 400, 'invalid_request');
      assert.deepEqual(issueFields(bad), ['created_after']);
    });

    test('GET /v1/usage names the keys and counts cache hits; a non-admin key sees its own', async () => {
      const body = { template: 'social_post', params: { title: 'Cached shirt' }, seed: 11 };
      const first = await generate(reader, body);
      const again = await generate(reader, body);
      assert.equal(first.cache, 'miss');
      assert.equal(again.cache, 'exact');
      await generate(reader, { ...body, cache: 'off' });

      const own = await reader.get('/v1/usage');
      assert.equal(own.status, 200, own.text);
      assert.deepEqual(Object.keys(own.body), ['from', 'to', 'data', 'total_cost_usd', 'cache']);
      assert.deepEqual(own.body.data, [
        {
          day: today,
          api_key_id: readerKeyId,
          api_key_name: 'shop reader',
          provider: 'studio',
          jobs: 4,
          images: 4,
          cost_usd: 0,
        },
      ]);
      // The earlier text_card job and these two asked the cache (one hit); the `cache: off` job did not.
      assert.deepEqual(own.body.cache, {
        lookups: 3,
        hits: 1,
        exact_hits: 1,
        similar_hits: 0,
        hit_rate: 0.3333,
      });

      const all = await api.get(`/v1/usage?from=${today}&to=${today}`);
      assert.equal(all.status, 200, all.text);
      assert.deepEqual(all.body.data.map((row: Loose) => [row.api_key_name, row.jobs]).sort(), [
        ['admin (created at first start)', 2],
        ['shop reader', 4],
      ]);
      assert.deepEqual(all.body.cache, {
        lookups: 5,
        hits: 1,
        exact_hits: 1,
        similar_hits: 0,
        hit_rate: 0.2,
      });
      const elsewhere = await reader.get(`/v1/usage?api_key_id=${all.body.data[0].api_key_id}`);
      assert.deepEqual(
        new Set(elsewhere.body.data.map((row: Loose) => row.api_key_id)),
        new Set([readerKeyId]),
        'a non-admin key cannot look at another key',
      );
      const empty = await api.get(`/v1/usage?from=${tomorrow}&to=${tomorrow}`);
      assert.deepEqual(empty.body.cache, {
        lookups: 0,
        hits: 0,
        exact_hits: 0,
        similar_hits: 0,
        hit_rate: null,
      });
    });
  });
}
