import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { assertError, hero, issueFields, postOnOwnConnection } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient, type HttpResponse, type Loose } from '../support/http.ts';
import { isPng, isWebp, pngSize } from '../support/images.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

for (const engine of engines) {
  describe(`HTTP API (jobs, assets, errors) on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;
    let firstStartKey: string | null;
    let secondStartKey: string | null = 'not started';

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-api-'));
      const first = await startInProcessServer(testConfig.config);
      firstStartKey = first.adminKey;
      await first.stop();
      server = await startInProcessServer(testConfig.config);
      secondStartKey = server.adminKey;
      api = new HttpClient(server.url, firstStartKey);
    });

    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('the first start creates one admin key; a second start on the same data creates none', async () => {
      assert.match(firstStartKey ?? '', /^vk_[\w-]{20,}$/);
      assert.equal(secondStartKey, null);
      const keys = await api.get('/v1/api-keys');
      assert.equal(keys.status, 200, 'the key from the first start still works');
      assert.equal(keys.body.data.length, 1);
      assert.deepEqual([...keys.body.data[0].scopes].sort(), ['admin', 'generate', 'read']);
      assert.equal(keys.body.data[0].key, undefined, 'a listed key never shows its secret');
      assert.ok(firstStartKey!.startsWith(keys.body.data[0].key_prefix));
    });

    test('401 without a key or with a wrong one; 403 with a key lacking the scope', async () => {
      assertError(await api.withKey(null).post('/v1/generations', hero()), 401, 'unauthorized');
      assertError(await api.withKey(null).get('/v1/jobs'), 401, 'unauthorized');
      assertError(await api.withKey('vk_not_a_real_key_at_all').get('/v1/jobs'), 401, 'unauthorized');

      const readOnly = await api.post('/v1/api-keys', { name: 'read only', scopes: ['read'] });
      assert.equal(readOnly.status, 201);
      const reader = api.withKey(readOnly.body.key);
      assertError(await reader.post('/v1/generations', hero()), 403, 'forbidden');
      assertError(await reader.post('/v1/brands', { slug: 'x', name: 'x' }), 403, 'forbidden');
      assertError(await reader.get('/v1/api-keys'), 403, 'forbidden');
      assert.equal((await reader.get('/v1/jobs')).status, 200, 'read is enough to list jobs');

      const generator = await api.post('/v1/api-keys', { name: 'generate only', scopes: ['generate'] });
      const maker = api.withKey(generator.body.key);
      assertError(await maker.get('/v1/jobs'), 403, 'forbidden');
      assertError(await maker.get('/v1/templates'), 403, 'forbidden');
    });

    test('product_hero and live_cover with ?wait=30 answer 200 with images of the exact size', async () => {
      for (const [template, width, height, n] of [
        ['product_hero', 1024, 1024, 2],
        ['live_cover', 1080, 1920, 1],
      ] as const) {
        const response = await api.post('/v1/generations?wait=30', {
          template,
          params: { title: `${template} test`, price: '¥199', badge: 'NEW' },
          n,
        });
        assert.equal(response.status, 200, response.text);
        const job = response.body;
        assert.equal(job.status, 'succeeded');
        assert.equal(job.template, template);
        assert.deepEqual([job.width, job.height], [width, height]);
        assert.equal(job.images.length, n);
        assert.equal(response.headers.get('location'), `/v1/jobs/${job.id}`);
        for (const image of job.images) {
          assert.deepEqual([image.width, image.height, image.format], [width, height, 'png']);
          assert.ok(image.url.startsWith(`${server.url}/v1/assets/${image.id}?`), image.url);
          // A signed URL works without any key.
          const download = await api.bytes(image.url, { key: null });
          assert.equal(download.status, 200);
          assert.equal(download.headers.get('content-type'), 'image/png');
          assert.ok(isPng(download.bytes));
          assert.deepEqual(pngSize(download.bytes), { width, height });
          assert.equal(download.bytes.byteLength, image.bytes);
        }
      }
    });

    test('signed URLs: a tampered signature is 403; ?w=256&format=webp gives a 256 px WebP', async () => {
      const job = (await api.post('/v1/generations?wait=30', hero('Signed'))).body;
      const image = job.images[0];
      const url = new URL(image.url);
      const sig = url.searchParams.get('sig')!;
      const tampered = new URL(url);
      tampered.searchParams.set('sig', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
      assertError(await api.withKey(null).get(tampered.toString()), 403, 'forbidden');
      const otherExp = new URL(url);
      otherExp.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
      assertError(await api.withKey(null).get(otherExp.toString()), 403, 'forbidden');
      assertError(await api.withKey(null).get(`/v1/assets/${image.id}`), 401, 'unauthorized');
      assert.equal((await api.bytes(`/v1/assets/${image.id}`)).status, 200, 'a read key needs no signature');

      const small = new URL(url);
      small.searchParams.set('w', '256');
      small.searchParams.set('format', 'webp');
      const derived = await api.bytes(small.toString(), { key: null });
      assert.equal(derived.status, 200);
      assert.equal(derived.headers.get('content-type'), 'image/webp');
      assert.ok(isWebp(derived.bytes));
      const metadata = await sharp(derived.bytes).metadata();
      assert.equal(metadata.format, 'webp');
      assert.equal(metadata.width, 256);
      assert.equal(metadata.height, 256, 'the square keeps its aspect');
    });

    test('202 without wait; then GET /v1/jobs/{id} and the event stream until done', async () => {
      const response = await api.post('/v1/generations', { ...hero('Streamed'), n: 2 });
      assert.equal(response.status, 202, response.text);
      assert.ok(['queued', 'running'].includes(response.body.status));
      assert.deepEqual(response.body.images, []);
      const id = response.body.id;
      assert.equal(response.headers.get('location'), `/v1/jobs/${id}`);

      const fetched = await api.get(`/v1/jobs/${id}`);
      assert.equal(fetched.status, 200);
      assert.equal(fetched.body.id, id);
      assert.equal(fetched.body.n, 2);

      const stream = await withDeadline(
        readEventStream(`${server.url}/v1/jobs/${id}/events`, firstStartKey),
        30_000,
        'the event stream to close',
      );
      assert.equal(stream.status, 200);
      assert.match(stream.contentType, /text\/event-stream/);
      const names = stream.events.map((event) => event.event);
      assert.equal(names[0], 'status');
      assert.equal(names.at(-1), 'done');
      assert.equal(names.filter((name) => name === 'done').length, 1);
      assert.ok(
        names.slice(0, -1).every((name) => name === 'status' || name === 'progress'),
        names.join(),
      );
      const first = JSON.parse(stream.events[0]!.data);
      assert.ok(['queued', 'running', 'succeeded'].includes(first.status));
      const done = JSON.parse(stream.events.at(-1)!.data);
      assert.equal(done.id, id);
      assert.equal(done.status, 'succeeded');
      assert.equal(done.images.length, 2);

      // A finished job's stream answers at once: its status, then done.
      const again = await withDeadline(
        readEventStream(`${server.url}/v1/jobs/${id}/events`, firstStartKey),
        10_000,
        'the stream of a finished job',
      );
      assert.deepEqual(
        again.events.map((event) => event.event),
        ['status', 'done'],
      );
      assert.equal((await api.get(`/v1/jobs/${id}`)).body.status, 'succeeded');
      assertError(await api.get('/v1/jobs/00000000-0000-4000-8000-000000000000/events'), 404, 'not_found');
    });

    test('GET /v1/jobs pages newest first through next_cursor', async () => {
      const created: string[] = [];
      for (let index = 0; index < 3; index++) {
        const response = await api.post('/v1/generations', { ...hero(`Page ${index}`), priority: 'batch' });
        assert.equal(response.status, 202);
        created.push(response.body.id);
      }
      const all = await api.get('/v1/jobs?limit=200');
      assert.equal(all.status, 200);
      assert.equal(all.body.next_cursor, null);
      const allIds: string[] = all.body.data.map((job: { id: string }) => job.id);
      assert.deepEqual(allIds.slice(0, 3), [...created].reverse(), 'newest first');

      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: HttpResponse<Loose> = await api.get(
          `/v1/jobs?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.equal(page.status, 200);
        assert.ok(page.body.data.length <= 2);
        paged.push(...page.body.data.map((job: { id: string }) => job.id));
        cursor = page.body.next_cursor;
        pages++;
        assert.ok(pages < 100);
      } while (cursor);
      assert.ok(pages >= 2);
      assert.deepEqual(paged, allIds, 'the pages together are the whole list, once each, in order');

      const queuedOrDone = await api.get('/v1/jobs?status=succeeded&limit=200');
      assert.ok(queuedOrDone.body.data.every((job: { status: string }) => job.status === 'succeeded'));
      assertError(await api.get('/v1/jobs?cursor=bm90LWEtY3Vyc29y'), 400, 'invalid_request');
      assertError(await api.get('/v1/jobs?limit=0'), 400, 'invalid_request');
    });

    test('cancel: a job canceled at once stays canceled with no images; a finished job is unchanged', async () => {
      const created = await api.post('/v1/generations', { ...hero('Canceled'), n: 10 });
      assert.equal(created.status, 202);
      const canceled = await api.post(`/v1/jobs/${created.body.id}/cancel`);
      assert.equal(canceled.status, 200, canceled.text);
      assert.equal(canceled.body.status, 'canceled');
      assert.ok(canceled.body.finished_at);
      const stream = await withDeadline(
        readEventStream(`${server.url}/v1/jobs/${created.body.id}/events`, firstStartKey),
        10_000,
        'the stream of a canceled job',
      );
      assert.equal(JSON.parse(stream.events.at(-1)!.data).status, 'canceled');
      const later = await api.get(`/v1/jobs/${created.body.id}`);
      assert.equal(later.body.status, 'canceled');
      assert.deepEqual(later.body.images, []);

      const finished = (await api.post('/v1/generations?wait=30', hero('Done first'))).body;
      const unchanged = await api.post(`/v1/jobs/${finished.id}/cancel`);
      assert.equal(unchanged.status, 200);
      assert.equal(unchanged.body.status, 'succeeded');
      assert.equal(unchanged.body.images.length, 1);
      assertError(await api.post('/v1/jobs/00000000-0000-4000-8000-000000000000/cancel'), 404, 'not_found');
    });

    test('Idempotency-Key: the same body returns the same job; another body is 409', async () => {
      const headers = { 'idempotency-key': `idem-${engine.name}` };
      const first = await api.post('/v1/generations', hero('Once'), { headers });
      const second = await api.post('/v1/generations', hero('Once'), { headers });
      assert.equal(first.status, 202);
      assert.equal(second.body.id, first.body.id);
      assertError(await api.post('/v1/generations', hero('Twice'), { headers }), 409, 'conflict');
    });

    test('400 names the field: missing template param, unknown field, n=11, width 99999, bad JSON', async () => {
      const missing = await api.post('/v1/generations', {
        template: 'product_hero',
        params: { price: '$1' },
      });
      assertError(missing, 400, 'invalid_request');
      assert.deepEqual(issueFields(missing), ['params.title']);

      const unknownParam = await api.post('/v1/generations', {
        template: 'product_hero',
        params: { title: 'x', colour: 'red' },
      });
      assertError(unknownParam, 400, 'invalid_request');
      assert.deepEqual(issueFields(unknownParam), ['params.colour']);

      const unknownField = await api.post('/v1/generations', { ...hero(), bogus_field: 1 });
      assertError(unknownField, 400, 'invalid_request');
      assert.deepEqual(issueFields(unknownField), ['bogus_field']);
      assert.match(unknownField.body.error.message, /bogus_field/);

      const tooMany = await api.post('/v1/generations', { ...hero(), n: 11 });
      assertError(tooMany, 400, 'invalid_request');
      assert.deepEqual(issueFields(tooMany), ['n']);

      const tooWide = await api.post('/v1/generations', { ...hero(), width: 99999 });
      assertError(tooWide, 400, 'invalid_request');
      assert.deepEqual(issueFields(tooWide), ['width']);

      const neither = await api.post('/v1/generations', { n: 1 });
      assertError(neither, 400, 'invalid_request');
      assert.deepEqual(issueFields(neither), ['prompt']);

      assertError(await api.post('/v1/generations', '{"template": "product_hero",'), 400, 'invalid_request');
      assertError(await api.post('/v1/generations?wait=999', hero()), 400, 'invalid_request');
    });

    test('404 for an unknown template, brand, job or route', async () => {
      const template = await api.post('/v1/generations', {
        template: 'no_such_template',
        params: { title: 'x' },
      });
      assertError(template, 404, 'not_found');
      assert.match(template.body.error.message, /no_such_template/);
      const brand = await api.post('/v1/generations', { ...hero(), brand: 'no-such-brand' });
      assertError(brand, 404, 'not_found');
      assert.match(brand.body.error.message, /no-such-brand/);
      assertError(await api.get('/v1/jobs/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
      assertError(await api.get('/v1/jobs/not-a-uuid'), 404, 'not_found');
      assertError(await api.get('/v1/brands/no-such-brand'), 404, 'not_found');
      assertError(await api.get('/v1/templates/no_such_template'), 404, 'not_found');
      assertError(await api.get('/v1/assets/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
      assertError(await api.get('/v1/nothing-here'), 404, 'not_found');
    });

    test('a body over 1 MB is 413 with the error shape', async () => {
      const big = JSON.stringify({ prompt: 'x'.repeat(1024 * 1024 + 10) });
      const url = `${server.url}/v1/generations`;
      assertError(
        await postOnOwnConnection(url, firstStartKey!, big, { chunked: false }),
        413,
        'payload_too_large',
      );
      // Also when the client sends no Content-Length and the server learns the size while reading.
      assertError(
        await postOnOwnConnection(url, firstStartKey!, big, { chunked: true }),
        413,
        'payload_too_large',
      );
    });
  });
}
