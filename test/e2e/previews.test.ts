import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadImage } from '@napi-rs/canvas';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { isPng, pngSize } from '../support/images.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/** The mean color of a PNG's pixels, as [r, g, b]. */
async function meanColor(bytes: Uint8Array): Promise<number[]> {
  const image = await loadImage(Buffer.from(bytes));
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  const sum = [0, 0, 0];
  for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!;
  return sum.map((value) => value / (data.length / 4));
}

const AMAZON_PARAMS = { title: 'Bottle' };

for (const engine of engines) {
  describe(`POST /v1/previews on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;

    const preview = (body: unknown, key = server.adminKey) =>
      fetch(`${server.url}/v1/previews`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-previews-'));
      server = await startInProcessServer(testConfig.config);
      api = new HttpClient(server.url, server.adminKey);
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('draws a template in a brand with unsaved changes, and stores nothing', async () => {
      const jobsBefore = (await api.get('/v1/jobs')).body.data.length;
      const body = { template: 'social_post', params: { title: 'Linen shirt' }, seed: 7 };
      const plain = await preview(body);
      assert.equal(plain.status, 200, await plain.clone().text());
      assert.equal(plain.headers.get('content-type'), 'image/png');
      const notes = JSON.parse(decodeURIComponent(plain.headers.get('vitrine-notes') ?? ''));
      // Notes list only failed checks and engine records; the score says how the design came out.
      assert.ok(Array.isArray(notes), String(notes));
      const score = Number(plain.headers.get('vitrine-quality-score'));
      assert.ok(score > 0 && score <= 1, `quality score ${score}`);
      // The whole record, passed checks too, for the studio's live preview.
      const quality = JSON.parse(decodeURIComponent(plain.headers.get('vitrine-quality') ?? ''));
      assert.equal(quality.score, score);
      assert.ok(
        quality.checks.some((check: { name: string; passed: boolean }) => check.name === 'contrast'),
        JSON.stringify(quality),
      );
      const plainBytes = new Uint8Array(await plain.arrayBuffer());
      assert.ok(isPng(plainBytes));
      const template = (await api.get('/v1/templates/social_post')).body;
      assert.deepEqual(pngSize(plainBytes), { width: template.width, height: template.height });

      // A red background in the unsaved changes turns the picture red; the saved brand is untouched.
      const red = await preview({
        ...body,
        brand_changes: { palette: { background: '#d00000', primary: '#d00000' } },
      });
      assert.equal(red.status, 200);
      const [r, g, b] = await meanColor(new Uint8Array(await red.arrayBuffer()));
      const [r0] = await meanColor(plainBytes);
      // The brand's own colours replace the pack's palette: the picture turns red-dominant.
      const [, g0, b0] = await meanColor(plainBytes);
      assert.ok(
        r! > g! + 40 && r! > b! + 20 && g! < g0! - 40 && b! < b0! - 40,
        `mean color ${[r, g, b]} vs plain ${r0},${g0},${b0}`,
      );
      assert.equal((await api.get('/v1/brands/default')).body.palette.background, '#f4f1ea');
      assert.equal((await api.get('/v1/jobs')).body.data.length, jobsBefore, 'no job was made');
    });

    test('a large template is scaled down to 1600 px on its long side', async () => {
      const answer = await preview({ template: 'product_white_amazon', params: AMAZON_PARAMS });
      assert.equal(answer.status, 200, await answer.clone().text());
      const size = pngSize(new Uint8Array(await answer.arrayBuffer()));
      assert.equal(Math.max(size.width, size.height), 1600);
    });

    test('bad input names the field; unknown names are 404; a read-only key is refused', async () => {
      const missing = await api.post('/v1/previews', { template: 'social_post', params: {} });
      assertError(missing, 400, 'invalid_request');
      assert.ok(
        issueFields(missing).some((field) => field.includes('title')),
        issueFields(missing).join(),
      );
      const badColor = await api.post('/v1/previews', {
        template: 'social_post',
        params: { title: 'x' },
        brand_changes: { palette: { primary: 'red-ish' } },
      });
      assertError(badColor, 400, 'invalid_request');
      assert.ok(
        issueFields(badColor).some((field) => field.includes('palette.primary')),
        issueFields(badColor).join(),
      );
      assertError(await api.post('/v1/previews', { template: 'no_such', params: {} }), 404, 'not_found');
      assertError(
        await api.post('/v1/previews', { template: 'social_post', params: { title: 'x' }, brand: 'nope' }),
        404,
        'not_found',
      );
      const reader = (await api.post('/v1/api-keys', { name: 'reader', scopes: ['read'] })).body.key;
      assert.equal((await preview({ template: 'social_post', params: { title: 'x' } }, reader)).status, 403);
    });
  });
}
