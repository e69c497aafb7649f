import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, hero, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const palette = {
  primary: '#111111',
  secondary: '#222222',
  accent: '#ff0000',
  background: '#ffffff',
  text: '#000000',
};

/** `{"metadata": {"a": {"a": … }}}` nested `depth` levels, as raw text (no recursion to build it). */
function deeplyNested(depth: number): string {
  return `{"template":"product_hero","params":{"title":"Deep"},"metadata":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

for (const engine of engines) {
  describe(`hostile input is a 400 naming the field, never a 500 (${engine.name})`, {
    skip: engine.skip,
  }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-boundary-'));
      server = await startInProcessServer(testConfig.config);
      api = new HttpClient(server.url, server.adminKey);
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('a NUL in JSON strings: key names, brand names, template params, previews', async () => {
      const cases: Array<[string, unknown, string]> = [
        ['/v1/api-keys', { name: 'shop\u0000cms', scopes: ['read'] }, 'name'],
        ['/v1/brands', { slug: 'nul-brand', name: 'Brand\u0000', palette }, 'name'],
        ['/v1/generations', { template: 'product_hero', params: { title: 'Shirt\u0000' } }, 'params.title'],
        ['/v1/previews', { template: 'product_hero', params: { title: 'Shirt\u0000' } }, 'params.title'],
        ['/v1/generations', { ...hero(), metadata: { 'key\u0000': 'x' } }, 'metadata'],
      ];
      for (const [path, body, field] of cases) {
        const answer = await api.post(path, body);
        assertError(answer, 400, 'invalid_request');
        assert.deepEqual(issueFields(answer), [field], `${path} ${answer.text}`);
        assert.match(answer.body.error.message, /NUL/);
      }
    });

    test('a lone surrogate in JSON (\\ud800 escaped, as any JSON encoder writes it)', async () => {
      const answer = await api.post(
        '/v1/generations',
        '{"template":"product_hero","params":{"title":"\\ud800"}}',
      );
      assertError(answer, 400, 'invalid_request');
      assert.deepEqual(issueFields(answer), ['params.title']);
      const key = await api.post('/v1/api-keys', '{"name":"\\udc00x","scopes":["read"]}');
      assertError(key, 400, 'invalid_request');
    });

    test('metadata nested 5,000 deep is refused; 10 deep is fine', async () => {
      const deep = await api.post('/v1/generations', deeplyNested(5000));
      assertError(deep, 400, 'invalid_request');
      assert.match(issueFields(deep)[0] ?? '', /^metadata(\.a)+/);
      assert.match(deep.body.error.message, /nested/);
      const fine = await api.post('/v1/generations', deeplyNested(10));
      assert.equal(fine.status, 202, fine.text);
    });

    test('a NUL in query parameters and path ids; ids that are not ids', async () => {
      const text = await api.get('/v1/jobs?text=%00');
      assertError(text, 400, 'invalid_request');
      assert.deepEqual(issueFields(text), ['text']);
      for (const path of ['/v1/jobs/%00', '/v1/batches/a%00b', '/v1/jobs/abc%00/events', '/v1/brands/x%00']) {
        const answer = await api.get(path);
        assertError(answer, 400, 'invalid_request');
        assert.deepEqual(issueFields(answer), ['path'], path);
      }
      for (const path of ['/v1/jobs/not-a-job', '/v1/batches/not-a-batch', '/v1/assets/not-an-asset']) {
        assertError(await api.get(path), 404, 'not_found');
      }
      assertError(await api.post('/v1/jobs/not-a-job/cancel'), 404, 'not_found');
      assertError(await api.get('/v1/jobs?cursor=bm90LWEtdXVpZA'), 400, 'invalid_request');
      assertError(await api.get('/v1/batches?cursor=%00'), 400, 'invalid_request');
    });

    test('a NUL in a multipart text field, and in a CSV cell (an invalid row, by line)', async () => {
      const form = new FormData();
      form.set('template', 'product_hero');
      form.set('brand', 'def\u0000ault');
      form.set('file', new Blob(['sku,title\nA-1,Shirt\n'], { type: 'text/csv' }), 'rows.csv');
      const response = await fetch(`${server.url}/v1/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}` },
        body: form,
      });
      const body = (await response.json()) as Loose;
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual(
        body.error.details.issues.map((issue: { field: string }) => issue.field),
        ['brand'],
      );

      // The first 4 KB decide whether a file is text; a NUL further down is one bad row.
      const rows = Array.from(
        { length: 200 },
        (_, index) => `ROW-${index},Title ${index} of a long enough row`,
      );
      rows[150] = 'ROW-150,Bad\u0000title';
      const csv = new FormData();
      csv.set('template', 'product_hero');
      csv.set('file', new Blob([`sku,title\n${rows.join('\n')}\n`], { type: 'text/csv' }), 'rows.csv');
      const batch = await fetch(`${server.url}/v1/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}` },
        body: csv,
      });
      const created = (await batch.json()) as Loose;
      assert.equal(batch.status, 202, JSON.stringify(created));
      assert.deepEqual(created.errors, [
        { row: 152, key: 'ROW-150', message: 'title contains a NUL character' },
      ]);
    });
  });
}
