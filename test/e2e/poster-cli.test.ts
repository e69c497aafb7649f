import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pngSize } from '../support/images.ts';
import { compact, readPosterText, tesseractAvailable } from '../support/ocr.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { runCli, type ServerSubprocess, startServerSubprocess } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

// OCR needs Debian's tesseract-ocr and tesseract-ocr-chi-sim; .ci/run installs them and sets
// VITRINE_REQUIRE_OCR=1 so that there a missing engine fails instead of skipping.
const ocrReady = tesseractAvailable();
const ocrSkip =
  !ocrReady && process.env.VITRINE_REQUIRE_OCR !== '1'
    ? 'tesseract-ocr with chi_sim is not installed (.ci/run installs it)'
    : false;

describe('vitrine poster (spawned CLI)', () => {
  const dirs = new TempDirs();
  const work = dirs.make('vitrine-poster-work-');
  const dataDir = dirs.make('vitrine-poster-data-');
  const local = (args: string[]) => runCli(args, { env: { VITRINE_DATA_DIR: dataDir } });
  after(() => dirs.cleanup());

  const makePoster = async (brief: string, size: string, extra: string[] = []) => {
    const out = path.join(work, `out-${size}`);
    const result = await local(['poster', brief, '--size', size, '--out', out, '--json', ...extra]);
    assert.equal(result.code, 0, result.stderr);
    const job = JSON.parse(result.stdout);
    assert.equal(job.status, 'succeeded');
    assert.equal(job.files.length, 1);
    assert.equal(path.dirname(job.files[0]), out);
    return { job, bytes: new Uint8Array(readFileSync(job.files[0])) };
  };

  test('"夏季清仓促销,满200减50" at 1080x1920: the poster OCR reads the offer back', {
    skip: ocrSkip,
  }, async () => {
    const { job, bytes } = await makePoster('夏季清仓促销,满200减50', '1080x1920');
    assert.deepEqual(pngSize(bytes), { width: 1080, height: 1920 });
    assert.equal(job.metadata.poster.offer.type, 'spend_threshold');
    const text = compact(await readPosterText(bytes));
    // The coupon must read back exactly (its condition and amount); of the title, the words that carry it.
    assert.ok(text.includes('满200可用'), `OCR read: ${text}`);
    assert.ok(text.includes('50'), `OCR read: ${text}`);
    assert.ok(text.includes('清仓促销'), `OCR read: ${text}`);
  });

  test('"Summer Sale 20% OFF" at 1200x630: the poster OCR reads the offer back', {
    skip: ocrSkip,
  }, async () => {
    const { job, bytes } = await makePoster('Summer Sale 20% OFF', '1200x630');
    assert.deepEqual(pngSize(bytes), { width: 1200, height: 630 });
    assert.equal(job.metadata.poster.offer.amounts.percent_off, 20);
    const text = compact(await readPosterText(bytes, 'eng'));
    assert.ok(text.includes('20%OFF'), `OCR read: ${text}`);
    assert.ok(text.includes('SUMMERSALE'), `OCR read: ${text}`);
  });

  test('a bad --size exits 1 with a message', async () => {
    const result = await local(['poster', 'Sale', '--size', 'big']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /--size takes WIDTHxHEIGHT/);
  });

  describe('with --server', () => {
    let server: ServerSubprocess;
    before(async () => {
      server = await startServerSubprocess({ dataDir: dirs.make('vitrine-poster-server-') });
    });
    after(async () => {
      await server?.stop();
    });

    test('a local product photo is uploaded, cut out and placed; the poster is written as JPEG', async () => {
      const photo = path.join(work, 'bottle.png');
      writeFileSync(photo, sampleProductPhoto());
      const out = path.join(work, 'out-server');
      const result = await runCli(
        [
          '--server',
          server.url,
          '--key',
          server.adminKey!,
          'poster',
          'New arrivals from $29',
          '--size',
          '1080x1080',
          '--product',
          photo,
          '--format',
          'jpeg',
          '--out',
          out,
          '--json',
        ],
        {},
      );
      assert.equal(result.code, 0, result.stderr);
      const job = JSON.parse(result.stdout);
      assert.equal(job.template, 'sale_square');
      assert.match(job.params.product_image, /^[0-9a-f-]{36}$/, 'uploaded as an asset');
      assert.equal(job.params.price, 'from $29');
      const bytes = readFileSync(job.files[0]);
      assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xd8]);
      const cutout = job.warnings.find((warning: { code?: string }) => warning.code === 'cutout');
      assert.equal(cutout.data.needs_review, false);
    });
  });
});
