import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { openStudioBrowser, type StudioBrowser, signInWithKey, takeScreenshot } from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { LIVE_SCRIPTS_DIR } from '../support/live-scripts.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const SHOW = path.join(LIVE_SCRIPTS_DIR, 'zh-five-products.txt');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(
    "axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then((result) => result.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.map((n) => n.target.join(' ')).join(', ') + ')'))",
  )) as string[];
}

/** The natural width of an image once decoded (a broken image rejects). */
async function loadedWidth(image: Locator): Promise<number> {
  return image.evaluate(async (node) => {
    const element = node as unknown as { decode(): Promise<void>; naturalWidth: number };
    await element.decode();
    return element.naturalWidth;
  });
}

async function statusOf(page: Page, href: string): Promise<number> {
  return Number(await page.evaluate(`fetch(${JSON.stringify(href)}).then((response) => response.status)`));
}

describe('web studio in Chromium: the Live script screen', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let studio: StudioBrowser;
  let api: HttpClient;

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-web-scripts-'));
    server = await startInProcessServer(testConfig.config, { workerConcurrency: 2 });
    api = new HttpClient(server.url, server.adminKey);
    studio = await openStudioBrowser(server);
    await signInWithKey(studio.page, server);
  });
  after(async () => {
    await studio?.close();
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('open a script, edit its chips, render: the storyboard fills in; zip, run sheet and video', async () => {
    const { page } = studio;
    await page.goto(`${server.url}/scripts`);
    await page.getByRole('heading', { name: 'Live script' }).waitFor();
    // Open the .txt through the file button, as an operator would.
    await page.locator('#script-file').setInputFiles(SHOW);
    // The file is read asynchronously: the character count names the whole file once it is in.
    const showText = readFileSync(SHOW, 'utf8');
    await page.getByText(`${showText.length.toLocaleString('en-US')} characters`).waitFor();
    assert.ok((await page.locator('#script-text').inputValue()).startsWith('【开场】20:00'));
    await page.locator('#script-n').fill('1');
    await page.getByRole('button', { name: 'Analyse' }).click();
    await page.locator('#analysis-heading', { hasText: '8 segments' }).waitFor();

    // Segment 2 (亚麻衬衫): drop a selling point, add the coupon as words, give the product a photo.
    const shirt = page.locator('.segment').nth(1);
    await shirt.getByRole('button', { name: 'Remove 质感' }).click();
    assert.equal(await shirt.getByRole('button', { name: 'Remove 质感' }).count(), 0);
    await shirt.getByPlaceholder('New offer, e.g. 满300减40 or code SAVE10').fill('券码 LIVE300');
    await shirt.locator('.chip-field', { hasText: 'Offers' }).getByRole('button', { name: 'Add' }).click();
    await shirt.getByRole('button', { name: 'Remove 券码 LIVE300' }).waitFor();
    const photo = path.join(dirs.make('vitrine-web-scripts-photo-'), 'shirt.png');
    writeFileSync(photo, sampleProductPhoto());
    await shirt.locator('#segment-1-photo').setInputFiles(photo);
    await shirt.getByText('Change the photo').waitFor();
    // Segment 5 (真丝连衣裙): a calmer look.
    await page.locator('#segment-4-mood').selectOption('fresh');
    await page.getByText('Your edits are saved with the render.').waitFor();

    await page.getByRole('button', { name: 'Render storyboard' }).first().click();
    await page.locator('#storyboard-heading').waitFor();
    await page.locator('.storyboard-row[data-status="done"]').nth(7).waitFor({ timeout: 300_000 });
    const images = page.locator('.storyboard-visual img');
    assert.equal(await images.count(), 28);
    for (const image of await images.all()) assert.ok((await loadedWidth(image)) > 0);
    await page.getByRole('link', { name: 'Run sheet (CSV)' }).waitFor();

    // The edits reached the render.
    const batchId = await page
      .getByRole('link', { name: 'Run sheet (CSV)' })
      .getAttribute('href')
      .then((href) => href!.split('/')[3]!);
    const sheet = (await api.get(`/v1/batches/${batchId}/run-sheet.json`)).body as Loose;
    assert.equal(sheet.segments[1].code, 'LIVE300');
    assert.equal(
      sheet.segments[1].visuals.find((visual: Loose) => visual.role === 'hero').template,
      'product_hero',
    );
    assert.equal(sheet.segments[4].style_pack, 'fresh');
    const script = (await api.get(`/v1/scripts/${sheet.script_id}`)).body as Loose;
    assert.ok(!script.segments[1].selling_points.some((point: Loose) => point.text === '质感'));

    for (const name of ['Images (zip, by segment)', 'Run sheet (CSV)']) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      assert.equal(await statusOf(page, href!), 200, name);
    }
    assert.deepEqual(await axeViolations(page), []);
    await takeScreenshot(page, 'studio-scripts-en', dirs);

    await page.getByRole('button', { name: 'Make the slideshow video' }).click();
    const video = page.getByRole('link', { name: /Download the video \(26\.4 s\)/ });
    await video.waitFor({ timeout: 300_000 });
    assert.equal(await video.getAttribute('href'), `/v1/batches/${batchId}/video.mp4`);
    assert.equal(await statusOf(page, `/v1/batches/${batchId}/video.mp4`), 200);

    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '直播脚本', level: 1 }).waitFor();
    await takeScreenshot(page, 'studio-scripts-zh', dirs);
    assert.deepEqual(studio.errors, []);
  });

  test('an empty script cannot be sent, and a server refusal is shown', async () => {
    const { page } = studio;
    await page.evaluate("localStorage.setItem('vitrine.locale', 'en')");
    await page.goto(`${server.url}/scripts`);
    assert.equal(await page.getByRole('button', { name: 'Analyse' }).isDisabled(), true);
    await page.locator('#script-text').fill('【开场】家人们晚上好');
    await page.locator('#script-analyzer').selectOption('llm');
    await page.getByRole('button', { name: 'Analyse' }).click();
    await page.getByRole('alert').filter({ hasText: 'VITRINE_CHAT_BASE_URL' }).waitFor();
  });
});
