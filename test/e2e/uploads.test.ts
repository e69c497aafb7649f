import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { assertError } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { startImageServer } from '../support/image-server.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>';

/** A 16×16 JPEG whose header claims 6000×6000. */
async function liarJpeg(): Promise<Buffer> {
  const bytes = Buffer.from(
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#c33' } })
      .jpeg()
      .toBuffer(),
  );
  for (let at = 0; at < bytes.length - 9; at++) {
    if (bytes[at] === 0xff && (bytes[at + 1] === 0xc0 || bytes[at + 1] === 0xc2)) {
      bytes.writeUInt16BE(6000, at + 5);
      bytes.writeUInt16BE(6000, at + 7);
      return bytes;
    }
  }
  throw new Error('no SOF marker');
}

describe('uploads and image URLs: decoded (bounded) before they are accepted, one format rule for both', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  let images: Awaited<ReturnType<typeof startImageServer>>;

  before(async () => {
    images = await startImageServer({
      '/logo.svg': (_request, response) =>
        response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG),
    });
    testConfig = buildConfig('pglite', dirs.make('vitrine-uploads-'), { VITRINE_ALLOW_PRIVATE_URLS: 'true' });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    await images?.close();
    dirs.cleanup();
  });

  const upload = async (bytes: Uint8Array, type: string) => {
    const response = await fetch(`${server.url}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': type },
      body: bytes,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
  };

  test('a half PNG and a JPEG whose header lies about its size are refused with 422', async () => {
    const png = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#3c3' } })
      .png()
      .toBuffer();
    const half = await upload(png.subarray(0, Math.floor(png.length / 2)), 'image/png');
    assertError(half, 422, 'image_invalid');
    assert.match(half.body.error.message, /does not decode/);
    const liar = await upload(await liarJpeg(), 'image/jpeg');
    assertError(liar, 422, 'image_invalid');
    const whole = await upload(png, 'image/png');
    assert.equal(whole.status, 201, whole.text);
  });

  test('SVG is refused alike as an upload and as a product image URL', async () => {
    const uploaded = await upload(Buffer.from(SVG), 'image/svg+xml');
    assertError(uploaded, 422, 'image_invalid');
    assert.match(uploaded.body.error.message, /PNG, JPEG or WebP/);
    const job = await api.post('/v1/generations?wait=30', {
      template: 'product_hero',
      params: { title: 'Vector', product_image: `${images.url}/logo.svg` },
    });
    assert.equal(job.body.status, 'failed', job.text);
    assert.equal(job.body.error.code, 'image_invalid');
    assert.match(job.body.error.message, /PNG, JPEG or WebP/);
    assert.equal(images.hitsOf('/logo.svg').length, 1, 'not retried: the format will not change');
  });
});
