import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  loadedWidth,
  openStudioBrowser,
  type StudioBrowser,
  signInWithKey,
  takeScreenshot,
} from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

describe('web studio in Chromium: sign in, generate with the studio engine, the gallery', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let studio: StudioBrowser;
  let context: BrowserContext;
  let page: Page;
  // Every console error or uncaught exception in the page fails the test at its end.
  let pageErrors: string[];

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-studio-web-'));
    server = await startInProcessServer(testConfig.config);
    studio = await openStudioBrowser(server);
    ({ context, page, errors: pageErrors } = studio);
  });
  after(async () => {
    await studio?.close();
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('the server serves the app with its headers, and keeps /docs and /healthz', async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await index.text();
    const script = /src="(\/static\/[\w.-]+\.js)"/.exec(html)?.[1];
    assert.ok(script, `index.html loads a hashed bundle: ${html}`);
    const bundle = await fetch(`${server.url}${script}`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /text\/javascript/);
    assert.match(bundle.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${server.url}/login`)).status, 200);
    assert.equal((await fetch(`${server.url}/static/missing-file.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/static/..%2Fpackage.json`)).status, 404);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.match(await (await fetch(`${server.url}/docs`)).text(), /swagger-ui-bundle\.js/);
    assert.equal((await fetch(`${server.url}/openapi.json`)).status, 200);
  });

  test('sign in with the admin key, generate two images, copy a link, sign out', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/login`);
    await page.getByLabel('API key').fill(server.adminKey!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Generate' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');

    const session = (await context.cookies()).find((cookie) => cookie.name === 'vitrine_session');
    assert.ok(session, 'the session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    assert.ok(!stored.includes(server.adminKey!), 'the key is in no web storage');
    // Page code runs in the browser: passed as source text, as this project's types are Node's, not the DOM's.
    assert.equal(await page.evaluate('document.cookie'), '', 'page scripts cannot read the cookie');

    await page.getByLabel('Template', { exact: true }).selectOption('product_hero');
    await page.getByLabel('Title *', { exact: true }).fill('Linen shirt');
    await page.getByLabel('Price', { exact: true }).fill('$49');
    await page.getByLabel('Provider', { exact: true }).selectOption('studio');
    await page.getByLabel('2', { exact: true }).check();
    const estimate = page.getByTestId('estimate');
    await estimate.filter({ hasText: /^\$\d+\.\d{3} · studio\// }).waitFor();

    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const job = page.locator('.job[data-status="succeeded"]');
    await job.waitFor({ timeout: 60_000 });
    const images = job.locator('img');
    assert.equal(await images.count(), 2);
    // Loaded, not just present: a broken image has no natural width.
    for (const image of await images.all()) assert.ok((await loadedWidth(image)) > 0, 'the image loaded');
    const download = await job.getByRole('link', { name: 'Download' }).first().getAttribute('href');
    assert.match(download ?? '', /\/v1\/assets\//);

    await job.getByRole('button', { name: 'Copy link' }).first().click();
    await job.getByRole('button', { name: 'Link copied' }).waitFor();
    const link = String(await page.evaluate('navigator.clipboard.readText()'));
    // The copied link is the signed URL: it works without a session or a key.
    const shared = await fetch(link);
    assert.equal(shared.status, 200);
    assert.match(shared.headers.get('content-type') ?? '', /^image\//);

    // Select both images: the bar copies their signed links, one per line.
    await job.getByLabel('Select Image 1').check();
    await job.getByLabel('Select Image 2').check();
    const bar = page.getByRole('region', { name: 'Selected images' });
    await bar.getByText('2 selected').waitFor();
    await bar.getByRole('button', { name: 'Copy links' }).click();
    await bar.getByRole('button', { name: 'Link copied' }).waitFor();
    const links = String(await page.evaluate('navigator.clipboard.readText()')).split('\n');
    assert.equal(links.length, 2);
    for (const each of links) assert.equal((await fetch(each)).status, 200);
    await bar.getByRole('button', { name: 'Clear selection' }).click();
    await bar.waitFor({ state: 'detached' });

    // Regenerate: the same request again with a new seed, so other images, shown above the first job.
    await job.getByRole('button', { name: 'Regenerate with a new seed' }).click();
    await page.locator('.job[data-status="succeeded"]').nth(1).waitFor({ timeout: 60_000 });
    const seeds = await page
      .locator('.job img')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('alt')));
    assert.equal(seeds.length, 4);
    assert.equal(new Set(seeds).size, 4, `four different seeds: ${seeds.join(', ')}`);

    await takeScreenshot(page, 'studio-generate-en', dirs);

    // The language switch: the whole interface follows at once, and the choice survives a reload.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '生成' }).waitFor();
    await takeScreenshot(page, 'studio-generate-zh', dirs);
    assert.equal(await page.evaluate('document.documentElement.lang'), 'zh-CN');
    await page.reload();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    assert.equal(
      (await context.cookies()).find((cookie) => cookie.name === 'vitrine_session'),
      undefined,
    );
    assert.deepEqual(pageErrors, []);
  });
  test('the login link printed at first start signs in and leaves the key out of the address', async () => {
    const fresh = await studio.browser.newContext({ locale: 'en-US' });
    const linkPage = await fresh.newPage();
    const errors: string[] = [];
    linkPage.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await linkPage.goto(`${server.url}/login#key=${server.adminKey}`);
    await linkPage.getByRole('heading', { name: 'Generate' }).waitFor();
    assert.ok(!linkPage.url().includes(server.adminKey!), `the key left the address: ${linkPage.url()}`);
    const session = (await fresh.cookies()).find((cookie) => cookie.name === 'vitrine_session');
    assert.ok(session?.httpOnly, 'signed in with a session cookie');
    assert.deepEqual(errors, []);
    await fresh.close();
  });

  test('a product photo: uploaded in the form, then a generated image used as the next one', async () => {
    await signInWithKey(page, server);
    await page.getByLabel('Template', { exact: true }).selectOption('product_hero');
    await page.getByLabel('Title *', { exact: true }).fill('Glass bottle');
    const photo = path.join(dirs.make('vitrine-photo-'), 'bottle.png');
    writeFileSync(photo, sampleProductPhoto());
    await page.getByLabel('Upload a photo…').setInputFiles(photo);
    // The thumbnail appears once the upload answered with the asset's id.
    assert.ok((await loadedWidth(page.getByRole('img', { name: 'Current product photo' }))) > 0);
    const uploadedId = await page.getByLabel('Product photo', { exact: true }).inputValue();
    assert.match(uploadedId, /^[\w-]+$/);
    await page.getByLabel('Style', { exact: true }).selectOption({ label: 'Festive' });
    await page.getByLabel('Provider', { exact: true }).selectOption('studio');
    await page.getByLabel('1', { exact: true }).check();
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const job = page.locator('.job[data-status="succeeded"]').first();
    await job.waitFor({ timeout: 60_000 });
    const api = new HttpClient(server.url, server.adminKey);
    const jobId = await job.getAttribute('data-job-id');
    const made = (await api.get(`/v1/jobs/${jobId}`)).body;
    assert.equal(made.params.product_image, uploadedId);
    assert.match(made.prompt, /festive atmosphere/, 'the style preset reached the prompt');

    // "Use as product photo": the generated image's asset id fills the field, and focus goes there.
    await job.getByRole('button', { name: 'Use as product photo' }).first().click();
    const imageId = (await api.get(`/v1/jobs/${jobId}`)).body.images[0].id;
    // Focus moves to the field once it holds the image (no polling in the page: its CSP forbids eval).
    await page.locator('#param-product_image:focus').waitFor();
    assert.equal(await page.locator('#param-product_image').inputValue(), imageId);
    assert.deepEqual(pageErrors, []);
  });

  test('a session that ends mid-use goes back to sign-in, then to the same screen', async () => {
    const api = new HttpClient(server.url, server.adminKey);
    const created = await api.post('/v1/api-keys', { name: 'operator', scopes: ['read', 'generate'] });
    assert.equal(created.status, 201);
    await signInWithKey(page, server, created.body.key);
    await page.getByRole('link', { name: 'History & costs' }).click();
    await page.getByRole('heading', { name: 'History & costs', level: 1 }).waitFor();
    // The screen's first calls have answered (else, refused after the revocation, they would end
    // the session before the filter is used).
    await page.waitForLoadState('networkidle');
    // The key is revoked while the page is open: its session ends with it.
    assert.equal((await api.delete(`/v1/api-keys/${created.body.id}`)).status, 200);
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.waitForURL(`${server.url}/login`);
    await page.getByRole('status').filter({ hasText: 'Your session has ended' }).waitFor();
    await page.getByLabel('API key').fill(server.adminKey!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back on the screen that was open.
    await page.getByRole('heading', { name: 'History & costs', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/history');
    // The refused calls are the only console errors: the browser logs every 401 it receives.
    const unexpected = pageErrors.filter((error) => !/401/.test(error));
    assert.deepEqual(unexpected, []);
    pageErrors.length = 0;
  });
});
