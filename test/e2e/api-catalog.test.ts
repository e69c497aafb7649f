import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, bannerTemplate, hero, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { pngSize } from '../support/images.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

for (const engine of engines) {
  describe(`HTTP API (brands, templates, keys, system) on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;
    let adminKey: string;

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-api-'));
      server = await startInProcessServer(testConfig.config);
      assert.ok(server.adminKey, 'a fresh data dir gets an admin key');
      adminKey = server.adminKey;
      api = new HttpClient(server.url, adminKey);
    });

    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('brands: create, patch changes only the given fields and bumps the version, delete', async () => {
      const created = await api.post('/v1/brands', {
        slug: 'acme',
        name: 'Acme',
        palette: {
          primary: '#112233',
          secondary: '#445566',
          accent: '#ff6600',
          background: '#ffffff',
          text: '#111111',
        },
        mood_words: ['bold'],
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.version, 1);
      assert.equal(created.body.builtin, false);
      assertError(
        await api.post('/v1/brands', { ...created.body, version: undefined }),
        400,
        'invalid_request',
      );
      const duplicate = await api.post('/v1/brands', {
        slug: 'acme',
        name: 'Acme again',
        palette: created.body.palette,
      });
      assertError(duplicate, 409, 'conflict');

      const patched = await api.patch('/v1/brands/acme', {
        palette: { accent: '#00aa00' },
        lighting: 'golden hour',
      });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.body.version, 2);
      assert.equal(patched.body.palette.accent, '#00aa00');
      assert.equal(patched.body.palette.primary, '#112233', 'untouched palette roles stay');
      assert.equal(patched.body.lighting, 'golden hour');
      assert.equal(patched.body.name, 'Acme');
      assert.deepEqual(patched.body.mood_words, ['bold'], 'fields not given keep their value');
      assertError(
        await api.patch('/v1/brands/acme', { palette: { accent: 'green' } }),
        400,
        'invalid_request',
      );
      assertError(await api.patch('/v1/brands/missing', { name: 'x' }), 404, 'not_found');

      const used = await api.post('/v1/generations?wait=30', { ...hero('Acme mug'), brand: 'acme' });
      assert.equal(used.status, 200);
      assert.equal(used.body.brand, 'acme');
      assert.equal(used.body.brand_version, 2);
      assert.match(used.body.prompt, /golden hour/);

      const list = await api.get('/v1/brands');
      assert.deepEqual(
        list.body.data.map((brand: { slug: string }) => brand.slug),
        ['acme', 'default'],
      );
      assertError(await api.delete('/v1/brands/default'), 409, 'conflict');
      assert.equal((await api.delete('/v1/brands/acme')).status, 204);
      assertError(await api.get('/v1/brands/acme'), 404, 'not_found');
      assertError(await api.delete('/v1/brands/acme'), 404, 'not_found');
    });

    test('templates: create one with a layout, generate with it, update, delete; built-ins cannot be deleted', async () => {
      const created = await api.post('/v1/templates', bannerTemplate);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.version, 1);
      assert.equal(created.body.builtin, false);
      assertError(await api.post('/v1/templates', bannerTemplate), 409, 'conflict');
      const badLayout = await api.post('/v1/templates', {
        ...bannerTemplate,
        name: 'bad_layout',
        layout: { version: 1, referenceWidth: 640, layers: [] },
      });
      assertError(badLayout, 400, 'invalid_request');
      assert.ok(
        issueFields(badLayout).some((field) => field.startsWith('layout')),
        issueFields(badLayout).join(),
      );

      const job = await api.post('/v1/generations?wait=30', {
        template: 'test_banner',
        params: { title: 'Summer sale', tagline: 'Everything must go' },
      });
      assert.equal(job.status, 200, job.text);
      assert.equal(job.body.status, 'succeeded', JSON.stringify(job.body.error));
      assert.equal(job.body.template_version, 1);
      assert.equal(job.body.prompt.startsWith('Wide banner for Summer sale, Everything must go'), true);
      const download = await api.bytes(job.body.images[0].url, { key: null });
      assert.deepEqual(pngSize(download.bytes), { width: 640, height: 320 });

      const { name: _name, ...definition } = bannerTemplate;
      const updated = await api.put('/v1/templates/test_banner', { ...definition, width: 800, height: 400 });
      assert.equal(updated.status, 200, updated.text);
      assert.equal(updated.body.version, 2);
      const second = await api.post('/v1/generations?wait=30', {
        template: 'test_banner',
        params: { title: 'v2' },
      });
      assert.equal(second.body.template_version, 2);
      assert.deepEqual([second.body.images[0].width, second.body.images[0].height], [800, 400]);

      const names = (await api.get('/v1/templates')).body.data.map(
        (template: { name: string }) => template.name,
      );
      for (const builtin of [
        'product_hero',
        'live_cover',
        'promo_poster',
        'blog_hero',
        'social_post',
        'text_card',
      ]) {
        assert.ok(names.includes(builtin), builtin);
      }
      assertError(await api.delete('/v1/templates/product_hero'), 409, 'conflict');
      assert.equal((await api.delete('/v1/templates/test_banner')).status, 204);
      assertError(await api.get('/v1/templates/test_banner'), 404, 'not_found');
      assert.equal((await api.get('/v1/templates/product_hero')).status, 200);
    });

    test('api keys over HTTP: create, get, rename, revoke; a revoked key is refused', async () => {
      const created = await api.post('/v1/api-keys', { name: 'ci', scopes: ['generate', 'read'] });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.key, /^vk_/);
      assert.equal(created.body.revoked_at, null);
      const ci = api.withKey(created.body.key);
      assert.equal((await ci.get('/v1/jobs?limit=1')).status, 200);

      const fetched = await api.get(`/v1/api-keys/${created.body.id}`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.key, undefined);
      assert.ok(fetched.body.last_used_at, 'the use was recorded');
      const renamed = await api.patch(`/v1/api-keys/${created.body.id}`, { name: 'ci-renamed' });
      assert.equal(renamed.body.name, 'ci-renamed');
      assert.deepEqual(renamed.body.scopes, ['generate', 'read']);
      const listed = await api.get('/v1/api-keys');
      assert.ok(listed.body.data.some((key: { id: string }) => key.id === created.body.id));

      const revoked = await api.delete(`/v1/api-keys/${created.body.id}`);
      assert.equal(revoked.status, 200);
      assert.ok(revoked.body.revoked_at);
      assertError(await ci.get('/v1/jobs'), 401, 'unauthorized');
      assertError(await api.delete('/v1/api-keys/key_missing'), 404, 'not_found');
      assertError(await api.post('/v1/api-keys', { name: 'x', scopes: ['root'] }), 400, 'invalid_request');

      const me = (await api.get('/v1/api-keys')).body.data.find((key: { key_prefix: string }) =>
        adminKey.startsWith(key.key_prefix),
      );
      assertError(await api.delete(`/v1/api-keys/${me.id}`), 409, 'conflict');
    });

    test('POST /v1/prompts/preview answers prompt, size and provider without creating a job', async () => {
      const before = (await api.get('/v1/jobs?limit=200')).body.data.length;
      const preview = await api.post('/v1/prompts/preview', {
        template: 'live_cover',
        params: { title: 'Preview me' },
      });
      assert.equal(preview.status, 200, preview.text);
      assert.match(preview.body.prompt, /Preview me/);
      assert.deepEqual([preview.body.width, preview.body.height], [1080, 1920]);
      assert.equal(preview.body.provider, 'studio');
      assert.equal(preview.body.model, 'studio-layout-v1');
      assert.equal(preview.body.template, 'live_cover');
      assert.equal(preview.body.brand, 'default');
      assert.equal((await api.get('/v1/jobs?limit=200')).body.data.length, before, 'no job was created');
      const invalid = await api.post('/v1/prompts/preview', { template: 'live_cover', params: {} });
      assertError(invalid, 400, 'invalid_request');
      assert.deepEqual(issueFields(invalid), ['params.title']);
    });

    test('health, readiness, metrics, OpenAPI and the offline API reference', async () => {
      const health = await api.withKey(null).get('/healthz');
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'ok');
      const ready = await api.withKey(null).get('/readyz');
      assert.equal(ready.status, 200, ready.text);
      assert.equal(ready.body.status, 'ready');

      const metrics = await api.withKey(null).get('/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /^vitrine_jobs\{status="succeeded"\} [1-9]\d*$/m);

      const openapi = await api.withKey(null).get('/openapi.json');
      assert.equal(openapi.status, 200);
      const paths = Object.keys(openapi.body.paths);
      for (const path of [
        '/v1/generations',
        '/v1/jobs/{id}/events',
        '/v1/jobs',
        '/v1/jobs/{id}',
        '/v1/brands',
        '/v1/templates',
        '/v1/api-keys',
      ]) {
        assert.ok(paths.includes(path), `${path} is documented`);
      }

      const docs = await api.withKey(null).get('/docs');
      assert.equal(docs.status, 200);
      assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
      assert.match(docs.text, /swagger-ui-bundle\.js/);
      const bundle = await api.bytes('/docs/swagger-ui-bundle.js', { key: null });
      assert.equal(bundle.status, 200);
      assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
      assert.ok(bundle.bytes.byteLength > 100_000);
      assert.equal((await api.bytes('/docs/swagger-ui.css', { key: null })).status, 200);
      assert.equal((await api.bytes('/docs/init.js', { key: null })).status, 200);
    });
  });
}
