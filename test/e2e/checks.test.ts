import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createCanvas } from '@napi-rs/canvas';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

// POST /v1/checks and `vitrine check`: a shop checks its own photos against a marketplace profile.

/** A 1200×1200 product on pure white; with `blob`, a grey-blue smudge in the top-left corner. */
function whitePhoto(blob: boolean): Uint8Array {
  const canvas = createCanvas(1200, 1200);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, 1200, 1200);
  ctx.fillStyle = '#2d6cdf';
  ctx.beginPath();
  ctx.roundRect(260, 70, 680, 1060, 40);
  ctx.fill();
  if (blob) {
    ctx.fillStyle = '#b8c4d6';
    ctx.beginPath();
    ctx.arc(20, 20, 80, 0, Math.PI * 2);
    ctx.fill();
  }
  return canvas.encodeSync('png');
}

function form(bytes: Uint8Array | string, profile: string) {
  const body = new FormData();
  body.set('profile', profile);
  body.set('image', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), 'photo.png');
  return body;
}

describe('marketplace checks over HTTP and the CLI', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  const post = (body: FormData, key: string | null = api.key) =>
    fetch(`${api.baseUrl}/v1/checks`, {
      method: 'POST',
      headers: key ? { authorization: `Bearer ${key}` } : {},
      body,
    });

  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-checks-'));
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });

  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('an uploaded photo that follows the rules passes amazon_main, rule by rule', async () => {
    const response = await post(form(whitePhoto(false), 'amazon_main'));
    assert.equal(response.status, 200);
    const result = (await response.json()) as Loose;
    assert.equal(result.passed, true, JSON.stringify(result.checks));
    assert.deepEqual(
      result.checks.map((check: { name: string }) => check.name),
      [
        'amazon_main.white_background',
        'amazon_main.product_fill',
        'amazon_main.single_object',
        'amazon_main.size',
        'amazon_main.srgb',
      ],
    );
    assert.equal(result.measured.border_white, 1);
    assert.match(result.not_checked[0], /text, logos/);
  });

  test('a stored asset with a corner blob fails, and says where', async () => {
    const uploaded = await fetch(`${api.baseUrl}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}`, 'content-type': 'image/png' },
      body: Buffer.from(whitePhoto(true)),
    });
    assert.equal(uploaded.status, 201, await uploaded.clone().text());
    const { id } = (await uploaded.json()) as Loose;
    const response = await api.post('/v1/checks', { asset_id: id, profile: 'amazon_main' });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.passed, false);
    const failed = response.body.checks.filter((check: { passed: boolean }) => !check.passed);
    assert.deepEqual(
      failed.map((check: { name: string }) => check.name),
      ['amazon_main.white_background', 'amazon_main.single_object'],
    );
    assert.match(failed[0].detail, /corners/);
  });

  test('bad requests name the field: unknown profile, no image, not an image, unknown asset', async () => {
    const unknown = await post(form(whitePhoto(false), 'ebay_main'));
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(await unknown.json()), /profile/);
    const noImage = new FormData();
    noImage.set('profile', 'amazon_main');
    const missing = await post(noImage);
    assert.equal(missing.status, 400);
    assert.match(JSON.stringify(await missing.json()), /image/);
    const text = await post(form('not an image at all', 'taobao_main'));
    assert.equal(text.status, 422);
    const gone = await api.post('/v1/checks', { asset_id: 'no-such-asset', profile: 'taobao_main' });
    assert.equal(gone.status, 404, gone.text);
    assert.equal((await post(form(whitePhoto(false), 'amazon_main'), null)).status, 401);
  });

  test('vitrine check: a readable report, exit 0 on pass and 2 on fail; --json; and against the server', async () => {
    const dir = dirs.make('vitrine-check-cli-');
    const good = path.join(dir, 'good.png');
    const bad = path.join(dir, 'bad.png');
    writeFileSync(good, whitePhoto(false));
    writeFileSync(bad, whitePhoto(true));
    const env = { VITRINE_DATA_DIR: path.join(dir, 'data') };
    const passed = await runCli(['check', good, '--profile', 'amazon_main'], { env });
    assert.equal(passed.code, 0, passed.stderr);
    assert.match(passed.stdout, /good\.png: PASSES amazon_main/);
    assert.match(passed.stdout, /✓ amazon_main\.product_fill/);
    const failed = await runCli(['check', bad, '--profile', 'amazon_main', '--json'], { env });
    assert.equal(failed.code, 2, failed.stderr);
    assert.equal(JSON.parse(failed.stdout).passed, false);
    const remote = await runCli([
      'check',
      bad,
      '--profile',
      'white_background',
      '--server',
      server.url,
      '--key',
      server.adminKey ?? '',
    ]);
    assert.equal(remote.code, 2, remote.stderr);
    assert.match(remote.stdout, /✗ white_background\.white_background/);
    const wrong = await runCli(['check', good, '--profile', 'nope'], { env });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /Unknown profile 'nope'/);
  });
});
