import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import {
  loadedWidth,
  openStudioBrowser,
  type StudioBrowser,
  signInWithKey,
  takeScreenshot,
} from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { texturedPng } from '../support/images.ts';
import { squeezedTemplate } from '../support/planted-layouts.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/** The page a CMS would serve: Vitrine's one script, the element, and a listener. Nothing else. */
function cmsPage(vitrine: string, token: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>CMS</title><script src="${vitrine}/picker.js"></script></head><body>
<h1>文章编辑</h1><textarea id="body" aria-label="正文"></textarea>
<vitrine-picker server="${vitrine}" token="${token}" lang="zh"></vitrine-picker>
<output id="received"></output><output id="refused"></output>
<script>
document.addEventListener('vitrine:unauthorized', () => {
  document.getElementById('refused').textContent = 'token refused';
});
document.addEventListener('vitrine:insert', (event) => {
  const { url, alt } = event.detail;
  document.getElementById('body').value += '![' + alt + '](' + url + ')';
  document.getElementById('received').textContent = JSON.stringify(event.detail);
});
</script></body></html>`;
}

/** Opens the picker from the keyboard: the button is reached with Tab from the editor. */
async function openPicker(page: Page, buttonName: string, dialogName: string) {
  const opener = page.getByRole('button', { name: buttonName });
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.waitFor();
  return dialog;
}

/**
 * Every image matching `selector` has loaded (a broken image has no natural width); in the picker's
 * shadow root when `inPicker`.
 */
async function imagesLoaded(page: Page, selector: string, inPicker = false) {
  // Locators pierce the picker's shadow root; each image's own load event is awaited (no polling
  // in the page, whose CSP forbids eval).
  const images = (inPicker ? page.locator('vitrine-picker') : page).locator(selector);
  await images.first().waitFor({ timeout: 30_000 });
  for (const image of await images.all()) assert.ok((await loadedWidth(image)) > 0, `${selector} loaded`);
}

describe('<vitrine-picker> in Chromium: the demo editor and a page on another origin', () => {
  const dirs = new TempDirs();
  // A description needs an image model: a loopback OpenAI answers with a textured picture.
  const openai = new FakeOpenAIServer();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let cmsHost: Server;
  let cmsOrigin: string;
  let cmsHtml = '';
  const browsers: StudioBrowser[] = [];

  before(async () => {
    // The CMS is served from another port and host name: another origin, and another site.
    cmsHost = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(cmsHtml);
    });
    cmsHost.listen(0, '127.0.0.1');
    await once(cmsHost, 'listening');
    cmsOrigin = `http://localhost:${(cmsHost.address() as AddressInfo).port}`;
    await openai.listen();
    const textured = await texturedPng(1024, 1024);
    openai.makeImage = () => textured;
    testConfig = buildConfig('pglite', dirs.make('vitrine-picker-web-'), {
      VITRINE_PICKER_ORIGINS: cmsOrigin,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.url,
    });
    server = await startInProcessServer(testConfig.config);
  });
  after(async () => {
    for (const opened of browsers) await opened.close();
    cmsHost?.close();
    await server?.stop();
    await testConfig?.dispose();
    await openai.close();
    dirs.cleanup();
  });

  async function browser(locale: string): Promise<StudioBrowser> {
    const opened = await openStudioBrowser(server, { locale, viewport: { width: 1100, height: 860 } });
    browsers.push(opened);
    return opened;
  }

  test('the demo editor: generate, pick, insert at the cursor; Escape closes; no console errors', async () => {
    const providers = (await new HttpClient(server.url, server.adminKey).get('/v1/providers')).body;
    assert.equal(providers.image_model, 'openai', 'a description goes to the image model');
    const { page, errors } = await browser('en-US');
    await signInWithKey(page, server);
    await page.goto(`${server.url}/demo/editor`);
    const editor = page.getByRole('textbox', { name: 'Article text' });
    await editor.click();
    await page.keyboard.press('End');

    // Escape closes the dialog and gives focus back to the button that opened it.
    let dialog = await openPicker(page, 'Generate image', 'Generate an image');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(
      await page.evaluate("document.querySelector('vitrine-picker').shadowRoot.activeElement?.textContent"),
      'Generate image',
      'focus is back on the button',
    );

    dialog = await openPicker(page, 'Generate image', 'Generate an image');
    await dialog.getByLabel('Description', { exact: true }).fill('A linen shirt on a light oak table');
    await dialog.getByLabel('Size', { exact: true }).selectOption('small');
    await dialog.getByLabel('2', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: '2 images ready' }).waitFor({ timeout: 60_000 });
    await imagesLoaded(page, 'dialog img', true);
    const second = dialog.getByRole('radio', { name: 'Image 2 of 2' });
    await second.check();
    const alt = dialog.getByLabel('Alt text', { exact: true });
    assert.equal(
      await alt.inputValue(),
      'A linen shirt on a light oak table',
      'prefilled from the description',
    );
    await alt.fill('Linen shirt, autumn collection');
    await takeScreenshot(page, 'studio-picker-en', dirs);

    const received = page.evaluate(
      "new Promise((resolve) => document.addEventListener('vitrine:insert', (event) => resolve(event.detail), { once: true }))",
    ) as Promise<Record<string, unknown>>;
    await dialog.getByRole('button', { name: 'Insert' }).click();
    const detail = await received;
    await dialog.waitFor({ state: 'hidden' });
    assert.match(String(detail.url), new RegExp(`^${server.url}/v1/assets/[\\w-]+.*[?&]sig=`));
    assert.equal(detail.alt, 'Linen shirt, autumn collection');
    assert.equal(detail.width, 800);
    assert.equal(detail.height, 800);
    assert.match(String(detail.job_id), /\w/);
    assert.match(String(detail.asset_id), /\w/);

    const inEditor = page.locator('.ProseMirror img');
    await inEditor.waitFor();
    const html = String(await page.evaluate('window.vitrineDemoEditor.getHTML()'));
    const expected = `<img src="${String(detail.url).replaceAll('&', '&amp;')}" alt="Linen shirt, autumn collection">`;
    assert.ok(html.includes(expected), `the editor holds the image: ${html}`);
    assert.ok(
      html.indexOf('three new colours') < html.indexOf('<img'),
      'inserted after the text, at the cursor',
    );
    await imagesLoaded(page, '.ProseMirror img');
    await page.getByRole('status').filter({ hasText: 'Image inserted' }).waitFor();
    await takeScreenshot(page, 'studio-picker-inserted-en', dirs);
    assert.deepEqual(errors, []);
  });

  test('the demo in Chinese: the dialog, its fields and its progress', async () => {
    const { page, errors } = await browser('zh-CN');
    await signInWithKey(page, server);
    await page.goto(`${server.url}/demo/editor`);
    const dialog = await openPicker(page, '生成图片', '生成一张图片');
    await dialog.getByLabel('一个模板', { exact: true }).check();
    await dialog.getByLabel('模板', { exact: true }).selectOption('product_hero');
    await dialog.getByLabel('标题 *', { exact: true }).fill('亚麻衬衫');
    await dialog.getByRole('button', { name: '生成', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: '已生成 2 张图片' }).waitFor({ timeout: 60_000 });
    await imagesLoaded(page, 'dialog img', true);
    // Each image carries its quality score (the studio engine checks every layout it draws).
    const qualities = dialog.locator('.thumb .quality');
    assert.equal(await qualities.count(), 2);
    for (const quality of await qualities.all()) {
      assert.match(String(await quality.textContent()), /^质量 \d\.\d\d：/);
    }
    assert.match(
      String(await dialog.getByRole('radio', { name: '第 1 张，共 2 张' }).getAttribute('aria-describedby')),
      /^vp-quality-0$/,
    );
    assert.equal(
      await dialog.getByLabel('替代文字', { exact: true }).inputValue(),
      '亚麻衬衫',
      'prefilled from the title',
    );
    await takeScreenshot(page, 'studio-picker-zh', dirs);
    assert.deepEqual(errors, []);
  });

  test('an image below its text floor: the failed check and the warning are shown before Insert', async () => {
    // One design whose headline box is too small for the headline's floor (49 px on a 1080 square).
    const created = await new HttpClient(server.url, server.adminKey).post(
      '/v1/templates',
      squeezedTemplate('picker_squeeze'),
    );
    assert.equal(created.status, 201, created.text);
    const { page, errors } = await browser('en-US');
    await signInWithKey(page, server);
    await page.goto(`${server.url}/demo/editor`);
    const dialog = await openPicker(page, 'Generate image', 'Generate an image');
    await dialog.getByLabel('A template', { exact: true }).check();
    await dialog.getByLabel('Template', { exact: true }).selectOption('picker_squeeze');
    await dialog.getByLabel('Title *', { exact: true }).fill('Linen shirt for hot summer days');
    await dialog.getByRole('button', { name: 'Generate', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: 'ready' }).waitFor({ timeout: 60_000 });
    const warnings = dialog.getByRole('note', { name: 'Before you insert' });
    await warnings.waitFor();
    const item = warnings.locator('li[data-code="text_below_floor"]').first();
    assert.match(String(await item.textContent()), /title\b.*floor 49 px/);
    const quality = dialog.locator('.thumb .quality').first();
    assert.equal(await quality.getAttribute('class'), 'quality failed');
    assert.match(String(await quality.textContent()), /text_floor/);
    assert.deepEqual(errors, []);
  });

  test('a CMS page on another origin: a picker token, CORS, and the event detail', async () => {
    const admin = new HttpClient(server.url, server.adminKey);
    // What the CMS backend does: mint a token with its own key, bound to its origin.
    const cmsKey = (await admin.post('/v1/api-keys', { name: 'cms', scopes: ['generate', 'read'] })).body;
    const minted = await admin.withKey(cmsKey.key).post('/v1/picker-tokens', { allowed_origin: cmsOrigin });
    assert.equal(minted.status, 201, minted.text);
    // The page starts with a token Vitrine refuses (as an expired one would be): the picker says
    // so, tells the page, and goes on once the page sets a fresh token.
    cmsHtml = cmsPage(server.url, 'vpt_expired-or-revoked');

    const { page, errors } = await browser('en-US');
    await page.goto(`${cmsOrigin}/`);
    const dialog = await openPicker(page, '生成图片', '生成一张图片');
    await dialog.getByRole('alert').filter({ hasText: '令牌已过期或被吊销' }).waitFor();
    await page.locator('#refused').filter({ hasText: 'token refused' }).waitFor();
    await page.evaluate(
      `document.querySelector('vitrine-picker').setAttribute('token', ${JSON.stringify(minted.body.token)})`,
    );
    await dialog.getByRole('alert').waitFor({ state: 'detached' });
    await dialog.getByLabel('描述', { exact: true }).fill('秋季新品海报');
    await dialog.getByLabel('1', { exact: true }).check();
    await dialog.getByRole('button', { name: '生成', exact: true }).click();
    await dialog.getByRole('status').filter({ hasText: '已生成 1 张图片' }).waitFor({ timeout: 60_000 });
    await imagesLoaded(page, 'dialog img', true);
    await dialog.getByRole('button', { name: '插入' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const detail = JSON.parse((await page.locator('#received').textContent()) ?? '{}');
    assert.match(detail.url, new RegExp(`^${server.url}/v1/assets/`));
    assert.equal(detail.alt, '秋季新品海报');
    assert.equal(await page.getByLabel('正文').inputValue(), `![秋季新品海报](${detail.url})`);
    // The signed URL stands alone: no cookie and no token.
    assert.equal((await fetch(detail.url)).status, 200);
    const cookies = await page.context().cookies(server.url);
    assert.equal(cookies.length, 0, 'the picker never needed the studio session');
    // The refused token's answers are the only errors the browser logged.
    const unexpected = errors.filter((error) => !/status of 401 \(Unauthorized\)/.test(error));
    assert.deepEqual(unexpected, []);
    // The lists the dialog loads at its first opening (templates, brands, styles, providers) are each
    // refused once.
    assert.ok(
      errors.length > 0 && errors.length <= 4,
      `four refused requests at most: ${errors.join(' | ')}`,
    );
  });
});

describe('<vitrine-picker> with no image model configured', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let studio: StudioBrowser;

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-picker-no-model-'));
    server = await startInProcessServer(testConfig.config);
    studio = await openStudioBrowser(server, { locale: 'en-US', viewport: { width: 1100, height: 860 } });
  });
  after(async () => {
    await studio?.close();
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('the description mode says so before any click, and offers the typographic card', async () => {
    const { page, errors } = studio;
    const providers = (await new HttpClient(server.url, server.adminKey).get('/v1/providers')).body;
    assert.equal(providers.image_model, null);
    await signInWithKey(page, server);
    await page.goto(`${server.url}/demo/editor`);
    const dialog = await openPicker(page, 'Generate image', 'Generate an image');
    const notice = dialog.getByRole('complementary', { name: 'No image model is configured' });
    await notice.waitFor();
    assert.match(String(await notice.textContent()), /OPENAI_API_KEY.*COMFYUI_URL/);
    assert.equal(await dialog.getByRole('button', { name: 'Generate', exact: true }).count(), 0);
    // A template needs no image model: the notice goes with the description mode.
    await dialog.getByLabel('A template', { exact: true }).check();
    await notice.waitFor({ state: 'detached' });
    await dialog.getByLabel('A description', { exact: true }).check();
    await dialog.getByLabel('Description', { exact: true }).fill('Autumn collection is here');
    await dialog.getByLabel('1', { exact: true }).check();
    await dialog.getByRole('button', { name: 'Make a typographic card' }).click();
    await dialog.getByRole('status').filter({ hasText: '1 images ready' }).waitFor({ timeout: 60_000 });
    await imagesLoaded(page, 'dialog img', true);
    assert.deepEqual(errors, []);
  });
});
