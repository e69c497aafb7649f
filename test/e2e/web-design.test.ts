import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  loadedWidth,
  openStudioBrowser,
  type StudioBrowser,
  signInWithKey,
  takeScreenshot,
} from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(
    "axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }).then((result) => result.violations.map((v) => v.id + ': ' + v.help + ' (' + v.nodes.map((n) => n.target.join(' ')).join(', ') + ')'))",
  )) as string[];
}

/** Every thumbnail of the gallery has loaded (a broken image has no natural width). */
async function thumbnailsLoaded(page: Page): Promise<string[]> {
  const images = page.locator('.template-gallery img');
  await images.first().waitFor();
  const sources: string[] = [];
  for (const image of await images.all()) {
    await image.scrollIntoViewIfNeeded();
    assert.ok((await loadedWidth(image)) > 0, `${await image.getAttribute('src')} loaded`);
    sources.push(String(await image.getAttribute('src')));
  }
  return sources;
}

describe('web studio in Chromium: template gallery, style packs, posters from a brief, no-model notice', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let studio: StudioBrowser;
  let api: HttpClient;

  before(async () => {
    // No image model is configured: the description mode must say so.
    testConfig = buildConfig('pglite', dirs.make('vitrine-web-design-'));
    server = await startInProcessServer(testConfig.config);
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

  test('the gallery: names and thumbnails in the chosen style pack, Chinese descriptions in Chinese', async () => {
    const { page } = studio;
    await page.evaluate("localStorage.setItem('vitrine.locale', 'en')");
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { name: 'Generate', level: 1 }).waitFor();
    const gallery = page.getByRole('group', { name: 'Templates' });
    const templates = (await api.get('/v1/templates')).body.data as Array<{ name: string }>;
    await gallery
      .getByRole('radio')
      .nth(templates.length - 1)
      .waitFor({ state: 'attached' });
    assert.equal(await gallery.getByRole('radio').count(), templates.length);
    // Named in words, not by id; described.
    const hero = gallery.getByRole('radio', { name: 'Product hero' });
    assert.match(String(await hero.getAttribute('aria-describedby')), /tpl-product_hero-description/);
    assert.match(
      String(await page.locator('#tpl-product_hero-description').textContent()),
      /^Square main product image/,
    );
    assert.equal(await gallery.getByText('product_hero', { exact: true }).count(), 0, 'no raw ids');

    // A style pack: its name in the language, and the thumbnails redrawn in it.
    const packs = (await api.get('/v1/style-packs')).body.data as Array<{ id: string; name: { en: string } }>;
    assert.deepEqual(
      packs.map((pack) => pack.id),
      ['festive', 'minimal', 'luxury', 'fresh', 'tech', 'cute'],
    );
    await page.getByLabel('Style pack', { exact: true }).selectOption({ label: 'Festive sale' });
    await page.locator('.template-gallery img[src*="style_pack=festive"]').first().waitFor();
    const festive = await thumbnailsLoaded(page);
    assert.equal(festive.length, templates.length);
    assert.ok(festive.every((src) => src.includes('style_pack=festive') && src.includes('lang=en')));
    // The thumbnail is a small PNG of the template's shape.
    const thumb = await api.get(`/v1/templates/live_cover/thumbnail?style_pack=festive&size=240`);
    assert.equal(thumb.status, 200);
    assert.match(String(thumb.headers.get('content-type')), /^image\/png/);

    // Picking a tile picks the template the form fills in.
    await gallery.locator('label[data-template="coupon"]').click();
    assert.ok(await gallery.getByRole('radio', { name: 'Coupon' }).isChecked());
    assert.equal(await page.getByLabel('Template', { exact: true }).inputValue(), 'coupon');
    await page.getByLabel('Coupon code', { exact: true }).waitFor();
    await takeScreenshot(page, 'studio-gallery-en', dirs);
    assert.deepEqual(await axeViolations(page), []);

    // In Chinese: Chinese names and descriptions, and thumbnails drawn with Chinese sample texts.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '生成', level: 1 }).waitFor();
    const zhGallery = page.getByRole('group', { name: '模板' });
    await zhGallery.getByRole('radio', { name: '商品主图' }).waitFor({ state: 'attached' });
    assert.match(String(await page.locator('#tpl-product_hero-description').textContent()), /^方形商品主图/);
    assert.match(String(await page.locator('#tpl-coupon-description').textContent()), /优惠券/);
    await page.getByRole('option', { name: '大促喜庆' }).waitFor({ state: 'attached' });
    const zhSources = await thumbnailsLoaded(page);
    assert.ok(zhSources.every((src) => src.includes('lang=zh')));
    await takeScreenshot(page, 'studio-gallery-zh', dirs);
    await page.setViewportSize({ width: 390, height: 844 });
    await takeScreenshot(page, 'studio-gallery-zh-390', dirs);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'English' }).click();
    assert.deepEqual(studio.errors, []);
  });

  test('a poster from a brief: the image, its quality score and checks on the Generate screen and in History', async () => {
    const { page } = studio;
    await page.goto(`${server.url}/`);
    await page.getByLabel('A poster brief', { exact: true }).check();
    await page.getByLabel('Brief', { exact: true }).fill('双十一 满300减40 券码 DOUBLE11');
    await page.getByLabel('Style pack', { exact: true }).selectOption({ label: 'Festive sale' });
    await page.getByLabel('1', { exact: true }).check();
    const posted = page.waitForResponse((response) => response.url().endsWith('/v1/posters'));
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    assert.equal((await posted).status(), 202);
    const job = page.locator('.job[data-status="succeeded"]').first();
    await job.waitFor({ timeout: 60_000 });
    assert.ok((await loadedWidth(job.locator('img').first())) > 0);
    const made = (await api.get(`/v1/jobs/${await job.getAttribute('data-job-id')}`)).body;
    assert.equal(made.options?.style_pack ?? made.style_pack ?? 'festive', 'festive');
    const quality = made.images[0].quality;
    assert.ok(quality, 'the poster image carries its quality');
    // The score on the image, as the job records it, and every check behind it on opening.
    const badge = job.locator('details.quality').first();
    assert.equal(await badge.getAttribute('data-score'), quality.score.toFixed(2));
    assert.match(String(await badge.locator('summary').textContent()), /^Quality \d\.\d\d/);
    await badge.locator('summary').click();
    const checks = badge.getByRole('list', { name: 'Quality checks of image 1' }).getByRole('listitem');
    assert.equal(await checks.count(), quality.checks.length);
    await takeScreenshot(page, 'studio-poster-en', dirs);

    // History: the same score beside the job.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'History & costs' })
      .click();
    await page.getByRole('heading', { name: 'History & costs', level: 1 }).waitFor();
    await page.getByRole('columnheader', { name: 'Quality' }).waitFor();
    await page
      .locator(`td.job-quality details.quality[data-score="${quality.score.toFixed(2)}"]`)
      .first()
      .waitFor();
    assert.deepEqual(studio.errors, []);
  });

  test('a description with no image model: the notice before any click, and the typographic card on request', async () => {
    const { page } = studio;
    assert.equal((await api.get('/v1/providers')).body.image_model, null);
    await page.goto(`${server.url}/`);
    await page.getByLabel('A description', { exact: true }).check();
    const notice = page.getByRole('complementary', { name: 'No image model is configured' });
    await notice.waitFor();
    assert.match(String(await notice.textContent()), /OPENAI_API_KEY.*COMFYUI_URL/);
    assert.equal(await page.getByRole('button', { name: 'Generate', exact: true }).count(), 0);
    await page.getByLabel('Description', { exact: true }).fill('Autumn collection is here');
    // Choosing the studio engine is asking for the card: the notice goes.
    await page.getByLabel('Provider', { exact: true }).selectOption('studio');
    await notice.waitFor({ state: 'detached' });
    await page.getByLabel('Provider', { exact: true }).selectOption('');
    await notice.waitFor();
    await takeScreenshot(page, 'studio-no-model-en', dirs);
    await page.getByLabel('1', { exact: true }).check();
    await page.getByRole('button', { name: 'Make a typographic card instead' }).click();
    const job = page.locator('.job[data-status="succeeded"]').first();
    await job.waitFor({ timeout: 60_000 });
    const made = (await api.get(`/v1/jobs/${await job.getAttribute('data-job-id')}`)).body;
    assert.equal(made.provider, 'studio');
    assert.deepEqual(studio.errors, []);
  });

  test('a batch lists the images that failed a quality check, with the checks and the row', async () => {
    const { page } = studio;
    // A title that cannot fit its box at any readable size: the image is made, and fails text_fits.
    const long = 'Extraordinarilylongunbreakableproductnamethatcannotpossiblyfit '.repeat(2).slice(0, 120);
    // product_hero: a 120-character word cannot fit its title box at the headline floor (a wide
    // banner's title box can hold it broken into characters, so it would pass there).
    const created = await api.post('/v1/batches', {
      template: 'product_hero',
      provider: 'studio',
      rows: [
        { sku: 'FITS-1', title: 'Linen', subtitle: 'Shirts' },
        { sku: 'LONG-2', title: long, subtitle: long },
      ],
    });
    assert.equal(created.status, 202, created.text);
    await page.goto(`${server.url}/batches?batch=${created.body.id}`);
    await page.locator('section.batch[data-status="succeeded"]').waitFor({ timeout: 90_000 });
    const jobs = (await api.get(`/v1/jobs?batch_id=${created.body.id}`)).body.data as Array<{
      images: Array<{ quality: { checks: Array<{ name: string; passed: boolean }> } }>;
    }>;
    const failing = jobs.filter((job) => job.images[0]!.quality.checks.some((check) => !check.passed));
    assert.equal(failing.length, 1, 'the long title fails text_fits, the short one passes');
    // The rows only, not the lists of checks inside them.
    const unfit = page
      .getByRole('list', { name: 'Images that failed a quality check' })
      .locator(':scope > li');
    await unfit.first().waitFor();
    assert.equal(await unfit.count(), 1);
    // How many passed and failed, above the list.
    await page.getByText('Quality check of the images: 1 passed, 1 failed.').waitFor();
    assert.match(String(await unfit.first().textContent()), /^Line \d+ \(LONG-2\)/);
    await unfit.first().locator('details.quality.failed summary').click();
    await unfit
      .first()
      .locator('li.bad')
      .filter({ hasText: /^text_fits: title: cut with/ })
      .waitFor();
    await takeScreenshot(page, 'studio-batch-quality-en', dirs);
    assert.deepEqual(studio.errors, []);
  });
});
