import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { photoOf, seedShop } from '../support/assistant-shop.ts';
import { openStudioBrowser, type StudioBrowser, signInWithKey, takeScreenshot } from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const QUESTION = '这件和我上次买的是同款吗?尺码偏大吗?';

/** A shop's product page on another origin: Vitrine's one script and the element, nothing else. */
function shopPage(vitrine: string, token: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>纯棉印花T恤</title><script src="${vitrine}/assistant.js"></script></head><body>
<h1>纯棉印花T恤</h1><p>¥129</p>
<vitrine-assistant server="${vitrine}" token="${token}" sku="TS-2024-001" lang="zh"></vitrine-assistant>
<output id="answered"></output>
<script>
document.addEventListener('vitrine:answer', (event) => {
  document.getElementById('answered').textContent = event.detail.size.recommended + ' ' + event.detail.same_item.verdict;
});
</script></body></html>`;
}

describe('the shopper assistant in Chromium: the studio screen and <vitrine-assistant> on a shop page', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let shop: Server;
  let shopOrigin: string;
  let shopHtml = '';
  let photo: Buffer;
  const browsers: StudioBrowser[] = [];

  before(async () => {
    shop = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(shopHtml);
    });
    shop.listen(0, '127.0.0.1');
    await once(shop, 'listening');
    // Another port and host name: another origin, another site.
    shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
    testConfig = buildConfig('pglite', dirs.make('vitrine-web-assistant-'), {
      VITRINE_ASSISTANT_ORIGINS: shopOrigin,
    });
    server = await startInProcessServer(testConfig.config);
    await seedShop(new HttpClient(server.url, server.adminKey));
    photo = Buffer.from((await photoOf('TS-2024-001')).bytes);
  });
  after(async () => {
    for (const opened of browsers) await opened.close();
    shop?.close();
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  async function browser(locale: string): Promise<StudioBrowser> {
    const opened = await openStudioBrowser(server, { locale, viewport: { width: 1280, height: 1000 } });
    browsers.push(opened);
    return opened;
  }

  test('studio: ask with a photo, see the grounding beside the answer, edit the size chart', async () => {
    const { page, errors } = await browser('zh-CN');
    await signInWithKey(page, server);
    await page.getByRole('link', { name: '购物助手' }).click();
    await page.getByRole('heading', { name: '购物助手', level: 1 }).waitFor();
    await page.getByLabel('页面上的商品').selectOption('TS-2024-001');
    await page.getByLabel('顾客 ID(其购买记录用于尺码建议)').fill('u1');
    await page
      .locator('.assistant-chat input[type=file]')
      .setInputFiles({ name: 'shirt.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByLabel('你的问题').fill(QUESTION);
    await page.getByRole('button', { name: '发送' }).click();
    const chip = page.locator('.chips .size');
    await chip.waitFor({ timeout: 60_000 });
    assert.equal(await chip.textContent(), '建议 S 码');
    const answer = await page.locator('.turn .answer').last().textContent();
    assert.match(answer ?? '', /不是同款.*建议选 S 码/);
    const grounding = page.locator('.grounding');
    assert.match((await grounding.locator('.facts').textContent()) ?? '', /different · TS-2023-010/);
    assert.ok((await grounding.locator('table.comparisons tbody tr').count()) >= 2);
    await takeScreenshot(page, 'studio-assistant-zh', dirs);

    // The catalog: raise M's chest of TS-2024-001 and save; the version goes up.
    await page.locator('.catalog-list select').selectOption('TS-2024-001');
    await page.getByLabel('M chest').fill('112');
    await page.getByRole('button', { name: '保存' }).click();
    await page.locator('.product-form p').waitFor();
    assert.equal(await page.locator('.product-form p').textContent(), '已保存(版本 2)。');
    const stored = await new HttpClient(server.url, server.adminKey).get('/v1/products/TS-2024-001');
    assert.equal(stored.body.size_chart.M.chest, 112);
    assert.deepEqual(errors, []);
  });

  test('<vitrine-assistant> on a shop page of another origin answers with a shopper token', async () => {
    const api = new HttpClient(server.url, server.adminKey);
    const minted = await api.post('/v1/assistant/tokens', {
      customer_id: 'u1',
      sku: 'TS-2024-001',
      allowed_origin: shopOrigin,
      ttl_seconds: 900,
    });
    assert.equal(minted.status, 201, minted.text);
    assert.match(minted.body.token, /^vat_/);
    // The token opens the assistant and nothing else.
    const elsewhere = await fetch(`${server.url}/v1/products`, {
      headers: { authorization: `Bearer ${minted.body.token}` },
    });
    assert.equal(elsewhere.status, 403);
    shopHtml = shopPage(server.url, minted.body.token);
    const { page, errors } = await browser('zh-CN');
    await page.goto(shopOrigin);
    const widget = page.locator('vitrine-assistant');
    await widget.getByRole('heading', { name: '咨询这件商品' }).waitFor();
    await widget
      .locator('input[type=file]')
      .setInputFiles({ name: 'shirt.jpg', mimeType: 'image/jpeg', buffer: photo });
    await widget.getByLabel('你的问题').fill(QUESTION);
    await widget.getByRole('button', { name: '发送' }).click();
    await page.locator('#answered').filter({ hasText: 'S different' }).waitFor({ timeout: 60_000 });
    const answer = await widget.locator('.turn .answer').last().textContent();
    assert.match(answer ?? '', /胸围 M 1\d\d cm \/ 你上次买的 M 104 cm/);
    assert.equal(await widget.locator('.chips .verdict-different').count(), 1);
    const picture = widget.locator('.turn img.thumb');
    assert.match(
      (await picture.getAttribute('src')) ?? '',
      /\/v1\/assets\/.*sig=/,
      'the stored, signed photo',
    );
    await takeScreenshot(page, 'assistant-widget-zh', dirs);
    assert.deepEqual(errors, []);
  });
});
