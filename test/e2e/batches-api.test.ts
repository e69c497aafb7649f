import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BatchRecord } from '../../src/domain/batch.ts';
import { assertError, bannerTemplate } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { pngSize } from '../support/images.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';
import { readStoredZip } from '../support/zip.ts';

const UPLOAD_LIMIT = 300_000;

function csvForm(text: string | Uint8Array, fields: Record<string, string>, type = 'text/csv'): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('file', new Blob([text], { type }), 'catalog.csv');
  return form;
}

describe('batches over HTTP (in-process server, embedded database)', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  const upload = async (form: FormData, headers: Record<string, string> = {}) => {
    const response = await fetch(api.url('/v1/batches'), {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, ...headers },
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
    const done = stream.events.at(-1)!;
    assert.equal(done.event, 'done');
    return { events: stream.events, batch: JSON.parse(done.data) as Loose };
  };

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-batch-api-'), {
      VITRINE_BATCH_UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT),
      VITRINE_BATCH_WINDOW: '4',
    });
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

  test('a CSV upload: broken rows named by line, progress as events, manifest, and a zip named by sku', async () => {
    const text = 'sku,title,tagline\nSHIRT-1,Linen shirt,Cool\nBAD-1,,no title\nMUG-2,"Mug, blue",\n';
    const response = await upload(csvForm(text, { template: 'test_banner' }));
    assert.equal(response.status, 202, response.text);
    assert.equal(response.body.total, 2);
    assert.deepEqual(response.body.errors, [{ row: 3, key: 'BAD-1', message: 'title is required' }]);
    assert.equal(response.headers.get('location'), `/v1/batches/${response.body.id}`);

    const { events, batch } = await finished(response.body.id);
    assert.ok(events.length >= 2, 'a progress event, then done');
    assert.equal(batch.status, 'succeeded');
    assert.deepEqual(batch.counts, { queued: 0, running: 0, succeeded: 2, failed: 0, canceled: 0 });

    const manifest = await api.get(`/v1/batches/${batch.id}/manifest.csv`);
    assert.match(manifest.headers.get('content-type') ?? '', /text\/csv/);
    const lines = manifest.text.trim().split('\r\n');
    assert.deepEqual(
      lines.map((line) => line.split(',').slice(0, 2).join(',')),
      ['row,sku', '2,SHIRT-1', '3,BAD-1', '4,MUG-2'],
      'the invalid row keeps its SKU',
    );
    const imageUrl = lines[1]!.split(',')[4]!;
    const image = await api.bytes(imageUrl, { key: null });
    assert.equal(image.status, 200);

    const zip = await api.bytes(`/v1/batches/${batch.id}/images.zip`);
    assert.equal(zip.status, 200);
    const entries = readStoredZip(zip.bytes);
    assert.deepEqual(entries.map((entry) => entry.name).sort(), ['MUG-2.png', 'SHIRT-1.png']);
    for (const entry of entries) assert.deepEqual(pngSize(entry.bytes), { width: 640, height: 320 });
  });

  test('refusals: not CSV 415, over the upload limit 413, no valid row 422, JSON rows by position', async () => {
    assertError(
      await upload(
        csvForm(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1]), { template: 'test_banner' }, 'image/png'),
      ),
      415,
      'unsupported_media_type',
    );
    const big = `title\n${'x,'.repeat(UPLOAD_LIMIT)}\n`;
    assertError(await upload(csvForm(big, { template: 'test_banner' })), 413, 'payload_too_large');
    const none = await upload(csvForm('title\n\n"",\n', { template: 'test_banner' }));
    assertError(none, 422, 'unprocessable');
    const json = await api.post('/v1/batches', {
      template: 'test_banner',
      rows: [{ title: 'A' }, { title: '' }],
    });
    assert.equal(json.status, 202, json.text);
    assert.deepEqual(json.body.errors, [{ row: 2, message: 'title is required' }]);
    assertError(
      await api.post('/v1/batches', { template: 'nope', rows: [{ title: 'A' }] }),
      404,
      'not_found',
    );
    await finished(json.body.id);
  });

  test('Idempotency-Key: the same upload returns the same batch, another upload with the key is 409', async () => {
    const headers = { 'idempotency-key': 'catalog-2026-11' };
    const first = await upload(csvForm('id,title\n1,Same\n', { template: 'test_banner' }), headers);
    const again = await upload(csvForm('id,title\n1,Same\n', { template: 'test_banner' }), headers);
    assert.equal(first.status, 202);
    assert.equal(again.body.id, first.body.id);
    assertError(
      await upload(csvForm('id,title\n1,Other\n', { template: 'test_banner' }), headers),
      409,
      'conflict',
    );
    await finished(first.body.id);
  });

  test('an urgent job is not stuck behind a batch, and two batches share the workers', async () => {
    const rows = (prefix: string) =>
      Array.from({ length: 24 }, (_, index) => ({ sku: `${prefix}-${index}`, title: `${prefix} ${index}` }));
    const first = await api.post('/v1/batches', { template: 'test_banner', rows: rows('A') });
    const second = await api.post('/v1/batches', { template: 'test_banner', rows: rows('B') });
    assert.equal(first.status, 202, first.text);
    let secondAtFirstFinish: BatchRecord | null = null;
    const stop = server.running.container.batches.onBatchFinished(async (batch) => {
      if (batch.id === first.body.id) secondAtFirstFinish = batch;
    });
    const secondProgressAtFirstFinish = (async () => {
      await server.running.container.batches.waitForFinish(first.body.id, 60_000);
      return (await api.get(`/v1/batches/${second.body.id}`)).body.counts;
    })();

    const urgent = await api.post('/v1/generations?wait=60', {
      template: 'test_banner',
      params: { title: 'Now' },
      priority: 'urgent',
    });
    assert.equal(urgent.status, 200, urgent.text);
    const atUrgentDone = (await api.get(`/v1/batches/${second.body.id}`)).body;
    assert.notEqual(atUrgentDone.status, 'succeeded', 'the urgent job finished before the batch ahead of it');

    const counts = await secondProgressAtFirstFinish;
    stop();
    assert.ok(secondAtFirstFinish);
    // Without the window, batch B would not have started when A finished.
    assert.ok(counts.succeeded >= 12, `B had ${JSON.stringify(counts)} when A finished`);
    await finished(second.body.id);
  });

  test('cancel over HTTP: queued rows are canceled and the batch ends canceled', async () => {
    const rows = Array.from({ length: 40 }, (_, index) => ({ title: `Cancel ${index}` }));
    const created = await api.post('/v1/batches', { template: 'test_banner', rows });
    const canceled = await api.post(`/v1/batches/${created.body.id}/cancel`);
    assert.equal(canceled.status, 200, canceled.text);
    const { batch } = await finished(created.body.id);
    assert.equal(batch.status, 'canceled');
    const total = Object.values(batch.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.equal(total, 40);
    assert.ok(batch.counts.canceled >= 30);
  });
});
