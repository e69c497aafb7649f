import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { openStudioBrowser, type StudioBrowser, signInWithKey, takeScreenshot } from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

/** A shop's export: its own header for the title, a column Vitrine has no use for, and a bad row. */
const CATALOG_CSV = [
  'sku,Product name,price,warehouse',
  'SHIRT-1,Linen shirt,$49,B2',
  'MUG-2,"Mug, blue",$12,A1',
  'BAD-3,,$5,A1',
  'HAT-4,Straw hat,$19,C3',
].join('\n');

/**
 * Waits until the mapping's select for `field` shows `column` (it is filled once the file is read).
 * `:checked` follows the selected option itself; Preact sets the select's value, not attributes.
 */
async function columnChosen(page: Page, field: string, column: string): Promise<void> {
  await page
    .locator(`#map-${field} option:checked`, { hasText: new RegExp(`^${column}$`) })
    .waitFor({ state: 'attached' });
}

/** The natural width of an image once decoded (a broken image rejects, a missing one has width 0). */
async function loadedWidth(image: Locator): Promise<number> {
  return image.evaluate(async (node) => {
    const element = node as unknown as { decode(): Promise<void>; naturalWidth: number };
    await element.decode();
    return element.naturalWidth;
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2.1 A/AA rules on the screen as it is, with the mapping, the preview and a batch
 * shown (web-accessibility.test.ts checks the empty screen). Injected over the DevTools protocol.
 */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(
    "axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then((result) => result.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.map((n) => n.target.join(' ')).join(', ') + ')'))",
  )) as string[];
}

/** Page code runs in the browser; passed as source text since this project's types are Node's. */
async function statusOf(page: Page, href: string): Promise<number> {
  return Number(await page.evaluate(`fetch(${JSON.stringify(href)}).then((response) => response.status)`));
}

describe('web studio in Chromium: the Batches screen', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let studio: StudioBrowser;
  let csvFile: string;

  before(async () => {
    // A small window and one worker: a long batch is still running when the cancel test clicks.
    // Private URLs allowed: the broken row's loopback picture passes the import and fails when fetched
    // (a public address that never answers would make the test wait on the network).
    testConfig = buildConfig('pglite', dirs.make('vitrine-web-batches-'), {
      VITRINE_BATCH_WINDOW: '2',
      VITRINE_ALLOW_PRIVATE_URLS: 'true',
    });
    server = await startInProcessServer(testConfig.config, { workerConcurrency: 1 });
    studio = await openStudioBrowser(server);
    await signInWithKey(studio.page, server);
    const inputs = dirs.make('vitrine-web-batches-csv-');
    csvFile = path.join(inputs, 'catalog.csv');
    writeFileSync(csvFile, CATALOG_CSV);
    const longRows = Array.from({ length: 300 }, (_, index) => `L-${index},Item ${index}`);
    // The second row's picture cannot be fetched: its job fails, which retry gives a new attempt.
    writeFileSync(
      path.join(inputs, 'broken.csv'),
      'sku,title,product_image\nOK-1,Fine,\nBROKEN-2,Broken,http://127.0.0.1:9/missing.png\n',
    );
    writeFileSync(path.join(inputs, 'long.csv'), ['sku,title', ...longRows].join('\n'));
    // Saved as Latin-1 by an old spreadsheet: the browser reads it with replacement characters.
    writeFileSync(
      path.join(inputs, 'latin1.csv'),
      Buffer.from('sku,title\nC-1,Caf\xe9 cr\xe8me\n', 'latin1'),
    );
  });
  after(async () => {
    await studio?.close();
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('upload a CSV with a bad row: mapping, preview, the bad line reported, three rows done', async () => {
    const { page } = studio;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Batches' }).click();
    await page.getByRole('heading', { name: 'Batches', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/batches');

    await page.getByLabel('Template', { exact: true }).selectOption('product_hero');
    await page.getByLabel('Provider', { exact: true }).selectOption('studio');
    // The keyboard path: Tab from the provider reaches the file input.
    await page.getByLabel('Provider', { exact: true }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement.id'), 'batch-file');
    await page.getByLabel('CSV file').setInputFiles(csvFile);

    // Matched by name: sku (the key) and price; the title comes from "Product name", chosen here.
    const title = page.getByLabel('Title (required)');
    await columnChosen(page, 'price', 'price');
    await columnChosen(page, 'sku', 'sku');
    assert.equal(await title.inputValue(), '');
    await page
      .getByRole('alert')
      .filter({ hasText: 'Map a column to every required field: Title' })
      .waitFor();
    await title.selectOption('Product name');

    const preview = page.getByRole('table', { name: 'First rows as mapped' });
    const rows = preview.locator('tbody tr');
    assert.equal(await rows.count(), 4);
    assert.deepEqual(await rows.nth(0).locator('th, td').allTextContents(), [
      '2',
      'Linen shirt',
      '$49',
      'SHIRT-1',
    ]);
    assert.deepEqual(await rows.nth(2).locator('th, td').allTextContents(), ['4', 'missing', '$5', 'BAD-3']);
    assert.deepEqual(await preview.locator('thead th').allTextContents(), [
      'Line',
      'Title',
      'Price',
      'Key (file names)',
    ]);

    // The first row drawn by the studio engine, loaded (a broken image has no natural width).
    const image = page.getByRole('img', { name: 'Preview of line 2' });
    await image.waitFor();
    assert.ok((await loadedWidth(image)) > 0, 'the preview image loaded');
    assert.match(String(await image.getAttribute('src')), /^blob:/);

    // Before Start, the server checks the whole file: the cost and the row it would leave out.
    const estimate = page.getByTestId('batch-estimate');
    await estimate
      .getByText('Estimate: $0.000 for 3 images from 3 valid rows (studio/studio-layout-v1).')
      .waitFor();
    assert.deepEqual(await estimate.getByRole('listitem').allTextContents(), ['Line 4: title is required']);

    await page.getByRole('button', { name: 'Start batch' }).click();
    const invalid = page.getByRole('alert').filter({ hasText: 'Rows left out' });
    await invalid.waitFor();
    assert.deepEqual(await invalid.getByRole('listitem').allTextContents(), ['Line 4: title is required']);
    assert.equal(await page.getByTestId('batch-accepted').textContent(), '3');
    assert.equal(await page.getByTestId('batch-invalid').textContent(), '1');
    assert.match(new URL(page.url()).search, /^\?batch=[0-9a-f-]{36}$/);

    // Live progress until the batch is done, then the downloads answer.
    await page.locator('section.batch[data-status="succeeded"]').waitFor({ timeout: 90_000 });
    assert.equal(await page.getByTestId('count-succeeded').textContent(), '3');
    assert.equal(await page.getByTestId('count-failed').textContent(), '0');
    assert.equal(
      await page.locator('#batch-bar').evaluate((bar) => (bar as unknown as { value: number }).value),
      3,
    );
    assert.equal(await page.getByRole('button', { name: 'Cancel' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Retry failed rows' }).isDisabled(), true);
    for (const name of ['Download manifest.csv', 'Download images.zip']) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      assert.ok(href, `${name} has a link`);
      assert.equal(await statusOf(page, href), 200, `${name} answers`);
    }
    const manifest = String(
      await page.evaluate(
        `fetch(${JSON.stringify(await page.getByRole('link', { name: 'Download manifest.csv' }).getAttribute('href'))}).then((response) => response.text())`,
      ),
    );
    for (const key of ['SHIRT-1', 'MUG-2', 'HAT-4']) assert.match(manifest, new RegExp(key));

    // The recent list holds it, marked as the one open.
    const recent = page.getByRole('region', { name: 'Recent batches' });
    await recent.getByText('Open now').waitFor();
    await recent.getByText('3 / 3').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the Batches screen with a batch, in English');
    await takeScreenshot(page, 'studio-batches-en', dirs);

    // In Chinese: the same batch reopened from its address, the bad row by its line.
    await page.getByRole('button', { name: '中文' }).click();
    await page.reload();
    await page.getByRole('heading', { name: '批量', level: 1 }).waitFor();
    await page.getByRole('alert').filter({ hasText: '第 4 行: title is required' }).waitFor();
    assert.equal(await page.getByTestId('count-succeeded').textContent(), '3');
    await page.getByLabel('模板', { exact: true }).selectOption('product_hero');
    await page.getByLabel('CSV 文件').setInputFiles(csvFile);
    await page.getByLabel('标题 (必填)').selectOption('Product name');
    await page.getByRole('img', { name: '第 2 行的预览' }).waitFor();
    assert.ok((await loadedWidth(page.getByRole('img', { name: '第 2 行的预览' }))) > 0);
    assert.deepEqual(await axeViolations(page), [], 'the Batches screen with a batch, in Chinese');
    await takeScreenshot(page, 'studio-batches-zh', dirs);
    await page.getByRole('button', { name: 'English' }).click();
    assert.deepEqual(studio.errors, []);
  });

  test('a file that is not UTF-8 CSV text is refused with a readable message', async () => {
    const { page } = studio;
    await page.goto(`${server.url}/batches`);
    await page.getByLabel('Template', { exact: true }).selectOption('product_hero');
    await page.getByLabel('CSV file').setInputFiles(path.join(path.dirname(csvFile), 'latin1.csv'));
    // The browser reads it anyway; the server is the one that refuses the bytes (415).
    await columnChosen(page, 'title', 'title');
    await page.getByRole('button', { name: 'Start batch' }).click();
    await page.getByRole('alert').filter({ hasText: 'This file is not CSV text.' }).waitFor();
    // Chromium logs every 4xx answer as a console error; only this expected one is allowed.
    const unexpected = studio.errors.filter((error) => !/status of 415/.test(error));
    assert.deepEqual(unexpected, []);
  });

  test('cancel a running batch: the rest of its rows end canceled, retry stays off', async () => {
    const { page } = studio;
    await page.goto(`${server.url}/batches`);
    await page.getByLabel('Template', { exact: true }).selectOption('product_hero');
    await page.getByLabel('Provider', { exact: true }).selectOption('studio');
    await page.getByLabel('CSV file').setInputFiles(path.join(path.dirname(csvFile), 'long.csv'));
    await columnChosen(page, 'title', 'title');
    await page.getByRole('button', { name: 'Start batch' }).click();
    await page.getByTestId('batch-accepted').filter({ hasText: '300' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('section.batch[data-status="canceled"]').waitFor({ timeout: 60_000 });
    const canceled = Number(await page.getByTestId('count-canceled').textContent());
    assert.ok(canceled > 200, `most rows were canceled (${canceled})`);
    assert.equal(await page.getByRole('button', { name: 'Retry failed rows' }).isDisabled(), true);
    // The recent list follows: the canceled batch on top, the earlier ones still there.
    const recent = page.getByRole('region', { name: 'Recent batches' });
    await recent.locator('tbody tr').first().getByText('Canceled').waitFor();
    // Reopen the first batch from the list: its counts and downloads come back.
    await recent.locator('tbody tr').filter({ hasText: '3 / 3' }).getByRole('button').click();
    await page.locator('section.batch[data-status="succeeded"]').waitFor();
    assert.equal(await page.getByTestId('batch-accepted').textContent(), '3');
    await page.getByRole('alert').filter({ hasText: 'Line 4: title is required' }).waitFor();
    assert.deepEqual(
      studio.errors.filter((error) => !/status of 415/.test(error)),
      [],
    );
  });

  test('a row that fails: the batch ends with failures, and retry gives it a new attempt', async () => {
    const { page } = studio;
    await page.goto(`${server.url}/batches`);
    await page.getByLabel('Template', { exact: true }).selectOption('product_hero');
    await page.getByLabel('Provider', { exact: true }).selectOption('studio');
    await page.getByLabel('CSV file').setInputFiles(path.join(path.dirname(csvFile), 'broken.csv'));
    await columnChosen(page, 'product_image', 'product_image');
    await page.getByRole('button', { name: 'Start batch' }).click();
    const failed = page.locator('section.batch[data-status="failed"]');
    await failed.waitFor({ timeout: 90_000 });
    assert.equal(await page.getByTestId('count-failed').textContent(), '1');
    assert.equal(await page.getByTestId('count-succeeded').textContent(), '1');
    const failures = page.getByRole('list', { name: 'Rows that failed' }).getByRole('listitem');
    await failures.first().waitFor();
    assert.match(String(await failures.first().textContent()), /^Line 3 \(BROKEN-2\): \S/);
    const batchId = new URL(page.url()).searchParams.get('batch');
    const api = new HttpClient(server.url, server.adminKey);
    const failedJob = async () => (await api.get(`/v1/jobs?batch_id=${batchId}&status=failed`)).body.data;
    const [before] = await failedJob();
    const retried = page.waitForResponse((response) => response.url().endsWith('/retry'));
    await page.getByRole('button', { name: 'Retry failed rows' }).click();
    assert.equal((await retried).status(), 200);
    // Running again until it fails again (the picture is still missing), with more attempts made.
    await withDeadline(readEventStream(api.url(`/v1/batches/${batchId}/events`), api.key), 90_000, 'retry');
    const after = await failedJob();
    assert.equal(after.length, 1);
    assert.ok(after[0].attempts > before.attempts, `attempts ${before.attempts} → ${after[0].attempts}`);
    await failed.waitFor({ timeout: 90_000 });
    assert.equal(await page.getByTestId('count-failed').textContent(), '1');
    assert.deepEqual(
      studio.errors.filter((error) => !/status of 415/.test(error)),
      [],
    );
  });
});
