import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { buildConfig } from '../support/engines.ts';
import { pngSize } from '../support/images.ts';
import { runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

describe('vitrine batch (spawned CLI, embedded database)', () => {
  const dirs = new TempDirs();
  after(() => dirs.cleanup());

  test('a catalog with broken rows: exit 2, the report names their lines, the rest written by sku', async () => {
    const work = dirs.make('vitrine-cli-batch-');
    const file = path.join(work, 'catalog.csv');
    writeFileSync(
      file,
      '\ufeffsku,title,price\r\nTEA-1,Green tea 绿茶,¥39\r\nTEA-2,,¥10\r\nTEA-3,"Oolong, roasted",¥59\r\nTEA-4,Sencha,"¥19",extra\r\n',
    );
    const out = path.join(work, 'out');
    const result = await runCli(['batch', file, '--template', 'product_hero', '--out', out, '--json'], {
      env: { VITRINE_DATA_DIR: path.join(work, 'data') },
    });
    assert.equal(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.status, 'succeeded');
    assert.equal(report.counts.succeeded, 2);
    assert.deepEqual(
      report.errors.map((error: { row: number }) => error.row),
      [3, 5],
    );
    assert.deepEqual(readdirSync(out).sort(), ['TEA-1.png', 'TEA-3.png']);
    assert.deepEqual(pngSize(readFileSync(path.join(out, 'TEA-1.png'))), { width: 1024, height: 1024 });

    const text = await runCli(['batch', file, '--template', 'product_hero'], {
      env: { VITRINE_DATA_DIR: path.join(work, 'data') },
    });
    assert.equal(text.code, 2, text.stderr);
    assert.match(text.stderr, /line 3: title is required/);
    assert.match(text.stderr, /line 5: has 4 fields; the header has 3/);
    assert.match(text.stdout, /2 succeeded, 0 failed, 0 canceled, 2 invalid/);
  });

  test('a clean JSON batch exits 0; a missing template exits 1', async () => {
    const work = dirs.make('vitrine-cli-batch-json-');
    const file = path.join(work, 'rows.json');
    writeFileSync(file, JSON.stringify([{ id: 'a', title: 'One' }]));
    const env = { VITRINE_DATA_DIR: path.join(work, 'data') };
    const ok = await runCli(['batch', file, '--template', 'social_post', '--json'], { env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).counts.succeeded, 1);
    const missing = await runCli(['batch', file, '--template', 'no_such_template'], { env });
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, /Template 'no_such_template' was not found/);
  });

  test('against a server (--server): the CSV is uploaded, followed, and the images written by key', async () => {
    const work = dirs.make('vitrine-cli-batch-remote-');
    const testConfig = buildConfig('pglite', path.join(work, 'data'));
    const server = await startInProcessServer(testConfig.config);
    try {
      const file = path.join(work, 'catalog.csv');
      writeFileSync(file, 'sku,title\nR-1,Remote one\nR-2,\nR-3,Remote three\n');
      const out = path.join(work, 'out');
      const env = { VITRINE_URL: server.url, VITRINE_API_KEY: server.adminKey ?? '' };
      const result = await runCli(['batch', file, '--template', 'social_post', '--out', out, '--json'], {
        env,
      });
      assert.equal(result.code, 2, result.stderr);
      const report = JSON.parse(result.stdout);
      assert.equal(report.counts.succeeded, 2);
      assert.deepEqual(report.errors, [{ row: 3, key: 'R-2', message: 'title is required' }]);
      assert.deepEqual(readdirSync(out).sort(), ['R-1.png', 'R-3.png']);
    } finally {
      await server.stop();
    }
  });
});
