import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';
import { readStoredZip } from '../support/zip.ts';

describe('batch file names: unique in the zip, and said in the manifest', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-batch-files-'));
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('keys that clean up to one name (A/1, A_1, A 1, A:1, a_1, B with two images vs B-2) get distinct files', async () => {
    const created = await api.post('/v1/batches', {
      template: 'text_card',
      rows: [
        { sku: 'A/1', title: 'one' },
        { sku: 'A_1', title: 'two' },
        { sku: 'A 1', title: 'three' },
        { sku: 'A:1', title: 'four' },
        { sku: 'a_1', title: 'five' },
        { sku: 'B-2', title: 'six' },
        { sku: 'B', title: 'seven', n: 2 },
        { sku: 'C', title: '' },
      ],
    });
    assert.equal(created.status, 202, created.text);
    const id = created.body.id;
    await pollUntil(
      async () => ['succeeded', 'failed'].includes((await api.get(`/v1/batches/${id}`)).body.status),
      {
        timeoutMs: 60_000,
        what: 'the batch finished',
      },
    );

    const zip = await api.bytes(`/v1/batches/${id}/images.zip`);
    assert.equal(zip.status, 200);
    const names = readStoredZip(zip.bytes).map((entry) => entry.name);
    assert.equal(names.length, 8, names.join(', '));
    const lowered = names.map((name) => name.toLowerCase());
    assert.equal(new Set(lowered).size, names.length, `names differ even without case: ${names.join(', ')}`);
    assert.ok(names.includes('A_1.png'), 'the first row of a clash keeps the plain name');
    assert.ok(names.includes('B-2.png'));

    const manifest = await api.get(`/v1/batches/${id}/manifest.csv`);
    const records = parse(manifest.text, { columns: true }) as Array<Record<string, string>>;
    assert.ok('files' in records[0]!, `columns: ${Object.keys(records[0]!).join(', ')}`);
    const byKey = new Map(records.map((record) => [record.sku, record]));
    const fileLists = records
      .filter((record) => record.status === 'succeeded')
      .flatMap((record) => record.files!.split(' '));
    assert.deepEqual([...fileLists].sort(), [...names].sort(), 'the manifest names every file of the zip');
    assert.equal(byKey.get('A/1')!.files, 'A_1.png');
    assert.notEqual(byKey.get('A_1')!.files, 'A_1.png');
    assert.equal(byKey.get('B')!.files!.split(' ').length, 2);
    assert.equal(byKey.get('C')!.status, 'invalid', 'the invalid row is there, with its SKU');
    assert.equal(byKey.get('C')!.files, '');
  });
});
