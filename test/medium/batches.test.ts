import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Container, createContainer } from '../../src/app/container.ts';
import { templateDefinitionSchema } from '../../src/domain/template.ts';
import type { BatchRequest, BatchSource } from '../../src/services/batches/batch-import.service.ts';
import { bannerTemplate } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

const WAIT_MS = 60_000;
const request: BatchRequest = { template: 'test_banner', n: 1, priority: 'batch', cache: 'exact' };
const csv = (text: string): BatchSource => ({
  kind: 'csv',
  bytes: (async function* () {
    // Split into small chunks so records and multi-byte characters cross chunk borders.
    const bytes = new TextEncoder().encode(text);
    for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
  })(),
});

for (const engine of engines) {
  describe(`batches through the services on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let container: Container;

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-batch-'), { VITRINE_BATCH_WINDOW: '3' });
      container = await createContainer(testConfig.config, { roles: new Set(['worker']) });
      const { name, ...definition } = bannerTemplate;
      await container.catalog.createTemplate(name, templateDefinitionSchema.parse(definition));
      await container.startWorkers(2);
    });
    after(async () => {
      await container?.close({ graceful: false });
      await testConfig?.dispose();
      dirs.cleanup();
    });

    const finished = async (id: string) => {
      await withDeadline(
        container.batches.waitForFinish(id, WAIT_MS),
        WAIT_MS + 1000,
        `batch ${id} finished`,
      );
      return container.batches.state(id);
    };

    test('a CSV with BOM, CRLF, quoted commas and newlines, emoji: bad rows named by line, the rest proceed', async () => {
      const bigCell = 'x'.repeat(1024 * 1024);
      const text = [
        '\ufeffsku,title,tagline',
        'A-1,"Linen, white","two\r\nlines"',
        'A-2,Teacup 🍵 茶杯,',
        '',
        'A-3,,missing title',
        `A-4,"${bigCell}",too long`,
        'A-2,Duplicate key,',
        'A-5,Too,many,fields',
        'A-6,"He said ""hi""",ok',
      ].join('\r\n');
      const { batch } = await container.batchImports.create(request, csv(text), { apiKeyId: null });
      assert.equal(batch.key_column, 'sku');
      assert.equal(batch.total, 3);
      assert.deepEqual(
        batch.errors.map((error) => error.row),
        [6, 7, 8, 9],
        JSON.stringify(batch.errors),
      );
      assert.match(batch.errors[0]!.message, /title is required/);
      assert.match(batch.errors[1]!.message, /at most 60 characters/);
      assert.match(batch.errors[2]!.message, /duplicate sku 'A-2' \(first on row 4\)/);
      assert.match(batch.errors[3]!.message, /4 fields; the header has 3/);

      const state = await finished(batch.id);
      assert.equal(state.batch.status, 'succeeded');
      assert.deepEqual(state.counts, { queued: 0, running: 0, succeeded: 3, failed: 0, canceled: 0 });
      const jobs = await container.generations.list({ batchId: batch.id, limit: 10 });
      const titles = jobs.map((job) => job.params.title).sort();
      assert.deepEqual(titles, ['He said "hi"', 'Linen, white', 'Teacup 🍵 茶杯']);
      assert.equal(jobs.find((job) => job.metadata.batch_key === 'A-1')?.params.tagline, 'two\r\nlines');

      const manifest = await new Response(container.batchExports.manifest(state.batch)).text();
      const lines = manifest.trim().split('\r\n');
      assert.equal(lines[0], 'row,sku,job_id,status,image_urls,error,quality,warnings,files,background');
      assert.match(
        lines[1]!,
        // No generated background in this template: the background column is empty.
        /^2,A-1,[0-9a-f-]{36},succeeded,http\S+\/v1\/assets\/\S+,,[01]\.\d\d,.*,A-1\.png,$/,
      );
      assert.match(
        lines.find((line) => line.startsWith('6,'))!,
        /^6,A-3,,invalid,,title is required,,,,$/,
        'an invalid row keeps its SKU',
      );
    });

    test('a file that is not CSV is refused, a malformed line is named, unknown columns are refused', async () => {
      const png = {
        kind: 'csv' as const,
        bytes: (async function* () {
          yield new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]);
        })(),
      };
      await assert.rejects(container.batchImports.create(request, png, { apiKeyId: null }), {
        code: 'unsupported_media_type',
      });
      await assert.rejects(
        container.batchImports.create(request, csv('title\nok\n"bad"x\n'), { apiKeyId: null }),
        (error: Error & { code: string }) =>
          error.code === 'invalid_request' && /line 3/i.test(error.message),
      );
      await assert.rejects(
        container.batchImports.create(request, csv('title,colour\nA,red\n'), { apiKeyId: null }),
        (error: Error & { code: string }) =>
          error.code === 'invalid_request' &&
          /colour/.test(JSON.stringify((error as never as { details: unknown }).details)),
      );
    });

    test('idempotency: the same key and rows give the same batch; other rows with that key are a conflict', async () => {
      const rows = { kind: 'json' as const, rows: [{ id: 'k1', title: 'Idem' }] };
      const first = await container.batchImports.create(request, rows, { apiKeyId: null }, 'key-1');
      const again = await container.batchImports.create(request, rows, { apiKeyId: null }, 'key-1');
      assert.equal(again.batch.id, first.batch.id);
      assert.equal(again.created, false);
      await assert.rejects(
        container.batchImports.create(
          request,
          { kind: 'json', rows: [{ id: 'k1', title: 'Other' }] },
          { apiKeyId: null },
          'key-1',
        ),
        { code: 'conflict' },
      );
      await finished(first.batch.id);
    });

    test('cancel stops the rest; counts stay exact; retry gives failed rows a new attempt', async () => {
      const rows = Array.from({ length: 30 }, (_, index) => ({
        sku: `C-${index}`,
        title: `Cancel me ${index}`,
      }));
      const { batch } = await container.batchImports.create(
        request,
        { kind: 'json', rows },
        { apiKeyId: null },
      );
      const canceled = await container.batches.cancel(batch.id);
      const sum = Object.values(canceled.counts).reduce((a, b) => a + b, 0);
      assert.equal(sum, 30);
      const state = await finished(batch.id);
      assert.equal(state.batch.status, 'canceled');
      assert.ok(state.counts.canceled >= 20, JSON.stringify(state.counts));
      assert.equal(state.counts.queued + state.counts.running, 0);
      await assert.rejects(container.batches.retry(batch.id), { code: 'conflict' });

      // A failed row (made so here: its images removed, its job marked failed) runs again on retry.
      const withImage = [{ sku: 'R-1', title: 'Fine' }];
      const ok = await container.batchImports.create(
        request,
        { kind: 'json', rows: withImage },
        { apiKeyId: null },
      );
      const done = await finished(ok.batch.id);
      assert.equal(done.counts.succeeded, 1);
      const [job] = await container.generations.list({ batchId: ok.batch.id, limit: 1 });
      await container.db.query('DELETE FROM assets WHERE job_id = $1', [job!.id]);
      await container.db.query(
        `UPDATE jobs SET status = 'failed', error = '{"code":"internal","message":"x"}' WHERE id = $1`,
        [job!.id],
      );
      await container.db.query(`UPDATE batches SET status = 'failed' WHERE id = $1`, [ok.batch.id]);
      const retried = await container.batches.retry(ok.batch.id);
      assert.equal(retried.batch.status, 'running');
      const again = await finished(ok.batch.id);
      const [rerun] = await container.generations.list({ batchId: ok.batch.id, limit: 1 });
      assert.equal(again.batch.status, 'succeeded', JSON.stringify(rerun));
      assert.equal(rerun!.attempts, 2);
    });
  });
}
