import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { assertError, hero, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/** Stored derived files of one source image (named `<sha256>.w<width>.<format>`). */
function storedVariants(dataDir: string, sha256: string): string[] {
  const dir = path.join(dataDir, 'assets', 'derived', sha256.slice(0, 2));
  try {
    return readdirSync(dir).filter((name) => name.startsWith(`${sha256}.`));
  } catch {
    return [];
  }
}

describe('derived images: a public link reaches a small documented set; storage per asset is capped', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  let dataDir: string;
  let image: { id: string; url: string };
  let sha256: string;

  before(async () => {
    dataDir = dirs.make('vitrine-variants-');
    testConfig = buildConfig('pglite', dataDir);
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
    const job = await api.post('/v1/generations?wait=60', hero('Variants'));
    assert.equal(job.status, 200, job.text);
    image = job.body.images[0];
    const original = await api.bytes(`/v1/assets/${image.id}`);
    sha256 = (await import('node:crypto')).createHash('sha256').update(original.bytes).digest('hex');
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  const signed = (query: Record<string, string>) => {
    const url = new URL(image.url);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url.toString();
  };

  test('a signed URL takes only the documented widths: another w is a 400 naming w', async () => {
    for (const w of ['500', '17', '4000', '1023']) {
      const answer = await api.withKey(null).get(signed({ w }));
      assertError(answer, 400, 'invalid_request');
      assert.deepEqual(issueFields(answer), ['w'], w);
      assert.match(answer.body.error.message, /64, 128, 256/);
    }
    for (const [w, format] of [
      ['512', 'webp'],
      ['256', 'jpeg'],
      ['1024', 'avif'],
    ]) {
      const answer = await api.bytes(signed({ w: w!, format: format! }), { key: null });
      assert.equal(answer.status, 200);
      const metadata = await sharp(answer.bytes).metadata();
      assert.equal(metadata.width, Number(w));
    }
    const converted = await api.bytes(signed({ format: 'webp' }), { key: null });
    assert.equal(converted.status, 200, 'a format alone (full size) is allowed');
  });

  test('with a key any width from 16 to 4096 works, but at most 40 variants of one image are stored', async () => {
    for (let w = 100; w < 100 + 60; w++) {
      const answer = await api.bytes(`/v1/assets/${image.id}?w=${w}&format=jpeg`);
      assert.equal(answer.status, 200);
      assert.equal((await sharp(answer.bytes).metadata()).width, w);
    }
    const stored = storedVariants(dataDir, sha256);
    assert.ok(stored.length > 0, 'variants are stored');
    assert.ok(stored.length <= 40, `${stored.length} variants stored`);
  });
});
