import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, bannerTemplate, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

/** A spreadsheet as exported from a shop: its own header names and columns Vitrine has no use for. */
const SHOP_CSV = [
  'Code,Product name,Slogan,Warehouse',
  'SHIRT-1,Linen shirt,Cool in summer,B2',
  'BAD-1,,No name here,B3',
  'MUG-2,Blue mug,,A1',
].join('\n');

const SHOP_MAPPING = { Code: 'sku', 'Product name': 'title', Slogan: 'tagline' };

function csvForm(text: string, fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('file', new Blob([text], { type: 'text/csv' }), 'shop.csv');
  return form;
}

for (const engine of engines) {
  describe(`batch column mapping and the batch list on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;

    const upload = async (form: FormData) => {
      const response = await fetch(api.url('/v1/batches'), {
        method: 'POST',
        headers: { authorization: `Bearer ${api.key}` },
        body: form,
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as Loose };
    };
    const finished = async (id: string) => {
      const stream = await withDeadline(
        readEventStream(api.url(`/v1/batches/${id}/events`), api.key),
        60_000,
        'batch events',
      );
      return JSON.parse(stream.events.at(-1)!.data) as Loose;
    };

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-batch-columns-'));
      server = await startInProcessServer(testConfig.config, { workerConcurrency: 2 });
      api = new HttpClient(server.url, server.adminKey);
      const created = await api.post('/v1/templates', bannerTemplate);
      assert.equal(created.status, 201, created.text);
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('a multipart upload with a mapping: headers renamed, extra columns ignored, rows by line', async () => {
      const response = await upload(
        csvForm(SHOP_CSV, { template: 'test_banner', columns: JSON.stringify(SHOP_MAPPING) }),
      );
      assert.equal(response.status, 202, response.text);
      assert.equal(response.body.total, 2);
      assert.equal(response.body.key_column, 'sku');
      assert.deepEqual(response.body.errors, [{ row: 3, key: 'BAD-1', message: 'title is required' }]);
      const batch = await finished(response.body.id);
      assert.equal(batch.status, 'succeeded');
      const manifest = await api.get(`/v1/batches/${batch.id}/manifest.csv`);
      assert.match(manifest.text, /SHIRT-1/);
      assert.match(manifest.text, /MUG-2/);
    });

    test('without a mapping the same file is refused for its unknown columns, as before', async () => {
      const response = await upload(csvForm(SHOP_CSV, { template: 'test_banner' }));
      assertError(response, 400, 'invalid_request');
      assert.deepEqual(issueFields(response), ['Code', 'Product name', 'Slogan', 'Warehouse', 'title']);
    });

    test('a JSON body maps its keys too; an unmapped key named like a param is kept', async () => {
      const response = await api.post('/v1/batches', {
        template: 'test_banner',
        columns: { Name: 'title', Note: '' },
        rows: [
          { Name: 'Straw hat', tagline: 'Shade', Note: 'ignored', Other: 'ignored too' },
          { Name: 'Sandals', Note: 'x' },
        ],
      });
      assert.equal(response.status, 202, response.text);
      assert.equal(response.body.total, 2);
      assert.deepEqual(response.body.errors, []);
      await finished(response.body.id);
      const jobs = await api.get(`/v1/jobs?batch_id=${response.body.id}`);
      const params = jobs.body.data
        .map((job: Loose) => job.params)
        .sort((a: Loose, b: Loose) => a.title.localeCompare(b.title));
      assert.deepEqual(params, [{ title: 'Sandals' }, { title: 'Straw hat', tagline: 'Shade' }]);
    });

    test('a mapping to a param the template lacks is a 400 naming columns.<header>', async () => {
      const response = await upload(
        csvForm(SHOP_CSV, {
          template: 'test_banner',
          columns: JSON.stringify({ ...SHOP_MAPPING, Warehouse: 'shelf' }),
        }),
      );
      assertError(response, 400, 'invalid_request');
      assert.deepEqual(response.body.error.details, {
        issues: [
          {
            field: 'columns.Warehouse',
            message:
              "'shelf' is not a param of template test_banner (its params: title, tagline; also n, seed, brand and the key column)",
          },
        ],
      });
      assert.match(response.body.error.message, /columns\.Warehouse/);
    });

    test('a mapping that names no column, maps twice, or leaves a required param out is refused', async () => {
      const unknownHeader = await api.post('/v1/batches', {
        template: 'test_banner',
        columns: { Title: 'title' },
        rows: [{ title: 'Hat' }],
      });
      assertError(unknownHeader, 400, 'invalid_request');
      assert.deepEqual(unknownHeader.body.error.details.issues, [
        { field: 'columns.Title', message: 'names no column of the file' },
      ]);

      const twice = await upload(
        csvForm(SHOP_CSV, {
          template: 'test_banner',
          columns: JSON.stringify({ 'Product name': 'title', Slogan: 'title' }),
        }),
      );
      assertError(twice, 400, 'invalid_request');
      assert.deepEqual(twice.body.error.details.issues, [
        { field: 'columns.Slogan', message: "maps to 'title', as column 'Product name' does" },
      ]);

      const noTitle = await upload(
        csvForm(SHOP_CSV, { template: 'test_banner', columns: JSON.stringify({ Slogan: 'tagline' }) }),
      );
      assertError(noTitle, 400, 'invalid_request');
      assert.deepEqual(noTitle.body.error.details.issues, [
        { field: 'columns', message: 'maps no column to the required param title' },
      ]);
    });

    test('columns that are not a JSON object of strings are a 400 naming the field', async () => {
      const notJson = await upload(csvForm(SHOP_CSV, { template: 'test_banner', columns: '{Code: sku' }));
      assertError(notJson, 400, 'invalid_request');
      assert.deepEqual(notJson.body.error.details.issues, [
        { field: 'columns', message: 'is not valid JSON' },
      ]);

      const notStrings = await upload(
        csvForm(SHOP_CSV, { template: 'test_banner', columns: JSON.stringify({ Code: 7 }) }),
      );
      assertError(notStrings, 400, 'invalid_request');
      assert.deepEqual(issueFields(notStrings), ['columns.Code']);
    });

    test('GET /v1/batches lists batches newest first, a page at a time', async () => {
      const created: string[] = [];
      for (const title of ['One', 'Two', 'Three']) {
        const response = await api.post('/v1/batches', { template: 'test_banner', rows: [{ title }] });
        assert.equal(response.status, 202, response.text);
        created.push(response.body.id);
      }
      const first = await api.get('/v1/batches?limit=2');
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(
        first.body.data.map((batch: Loose) => batch.id),
        [created[2], created[1]],
      );
      assert.equal(first.body.data[0].template, 'test_banner');
      assert.equal(typeof first.body.data[0].counts.succeeded, 'number');
      assert.ok(first.body.next_cursor);
      const second = await api.get(`/v1/batches?limit=2&cursor=${first.body.next_cursor}`);
      assert.equal(second.status, 200, second.text);
      assert.equal(second.body.data[0].id, created[0]);

      const everything = await api.get('/v1/batches?limit=100');
      assert.equal(everything.body.next_cursor, null);
      const times = everything.body.data.map((batch: Loose) => batch.created_at);
      assert.deepEqual(times, [...times].sort().reverse());

      assertError(await api.get('/v1/batches?cursor=nonsense'), 400, 'invalid_request');
      assertError(await api.get('/v1/batches?limit=0'), 400, 'invalid_request');
      assertError(await api.withKey(null).get('/v1/batches'), 401, 'unauthorized');
      // A read-only key lists batches but cannot start one.
      const reader = api.withKey(
        (await api.post('/v1/api-keys', { name: 'reader', scopes: ['read'] })).body.key,
      );
      assert.equal((await reader.get('/v1/batches?limit=1')).status, 200);
      assertError(
        await reader.post('/v1/batches', { template: 'test_banner', rows: [{ title: 'No' }] }),
        403,
        'forbidden',
      );

      const openapi = await api.get('/openapi.json');
      const batches = openapi.body.paths['/v1/batches'];
      assert.ok(batches?.get && batches?.post, 'both methods are in the OpenAPI document');
      assert.ok(openapi.body.components.schemas.BatchRequest.properties.columns, 'columns is documented');
    });
  });
}
