import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { pngSize } from '../support/images.ts';
import { LIVE_SCRIPTS_DIR } from '../support/live-scripts.ts';
import { compact, readPosterText, tesseractAvailable } from '../support/ocr.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

const SHOW = path.join(LIVE_SCRIPTS_DIR, 'zh-five-products.txt');
const ocrSkip =
  !tesseractAvailable() && process.env.VITRINE_REQUIRE_OCR !== '1'
    ? 'tesseract-ocr with chi_sim is not installed (.ci/run installs it)'
    : false;

describe('vitrine script (spawned CLI, embedded database)', () => {
  const dirs = new TempDirs();
  const work = dirs.make('vitrine-script-work-');
  const dataDir = dirs.make('vitrine-script-data-');
  const local = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { env: { VITRINE_DATA_DIR: dataDir, ...env }, timeoutMs: 600_000 });
  after(() => dirs.cleanup());

  test('the five-product show: analysis, per-segment covers, heroes and offer cards, run sheet and MP4', async () => {
    const photo = path.join(work, 'shirt.png');
    writeFileSync(photo, sampleProductPhoto());
    const out = path.join(work, 'out');
    const result = await local([
      'script',
      SHOW,
      '--render',
      '--video',
      '-n',
      '1',
      '--visuals',
      'cover,hero,offer',
      '--product-image',
      `亚麻衬衫=${photo}`,
      '--out',
      out,
      '--json',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.batch.status, 'succeeded');
    assert.equal(report.run_sheet.segments.length, 8);
    const folders = readdirSync(out)
      .filter((name) => /^\d\d-/.test(name))
      .sort();
    assert.deepEqual(folders, [
      '01-夏日清凉专场',
      '02-亚麻衬衫',
      '03-冰丝阔腿裤',
      '04-防晒衣',
      '05-真丝连衣裙',
      '06-帆布托特包',
      '07-抽奖',
      '08-感谢观看',
    ]);
    for (const product of folders.slice(1, 6)) {
      assert.deepEqual(
        readdirSync(path.join(out, product)).sort(),
        ['cover.png', 'hero.png', 'offer.png'],
        product,
      );
    }
    assert.deepEqual(pngSize(readFileSync(path.join(out, '02-亚麻衬衫/cover.png'))), {
      width: 1080,
      height: 1920,
    });
    assert.deepEqual(pngSize(readFileSync(path.join(out, '02-亚麻衬衫/hero.png'))), {
      width: 1080,
      height: 1080,
    });
    const shirt = report.run_sheet.segments[1];
    assert.equal(
      shirt.visuals.find((visual: { role: string }) => visual.role === 'hero').template,
      'product_hero',
    );
    const csv = readFileSync(path.join(out, 'run-sheet.csv'), 'utf8')
      .replace(/^\ufeff/, '')
      .split('\r\n');
    assert.match(csv[2]!, /^2,20:05,亚麻衬衫,亚麻衬衫,,满300减40,¥199,,500,/);
    assert.ok(existsSync(path.join(out, 'analysis.json')));
    assert.ok(existsSync(path.join(out, 'run-sheet.json')));
    const video = readFileSync(path.join(out, 'slideshow.mp4'));
    assert.equal(video.subarray(4, 8).toString(), 'ftyp');
    assert.equal(report.video, path.join(out, 'slideshow.mp4'));
  });

  test('the offer card reads back its offer (OCR)', { skip: ocrSkip }, async () => {
    const out = path.join(work, 'out');
    const text = compact(await readPosterText(readFileSync(path.join(out, '02-亚麻衬衫/offer.png'))));
    // The headline is set huge in the festive pack over its sunburst, where tesseract misreads
    // 满 and 减 (as 774 and 成); the figures of the offer must read back, in order.
    assert.match(text, /300.{0,2}40/, `OCR read: ${text}`);
    assert.ok(text.includes('原价'), `OCR read: ${text}`);
  });

  test('without --render: the analysis as a table, notes included', async () => {
    const file = path.join(work, 'tea.txt');
    writeFileSync(file, '这是今年的明前龙井,茶汤清澈,回甘明显,一罐250克,今天168元,两罐包邮。');
    const result = await local(['script', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /1 segment\(s\), zh, analyzer heuristic/);
    assert.match(result.stdout, /note: No segment markers/);
    assert.match(result.stdout, /明前龙井/);
    assert.match(result.stdout, /offer: 包邮 · ¥168/);
  });

  test('bad input: no file, an empty script, unknown visuals, no ffmpeg (images kept, exit 2)', async () => {
    const missing = await local(['script', path.join(work, 'nope.txt')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no script at/);
    const empty = path.join(work, 'empty.txt');
    writeFileSync(empty, ' \n');
    const blank = await local(['script', empty]);
    assert.equal(blank.code, 1);
    assert.match(blank.stderr, /The script is empty/);
    const visuals = await local(['script', SHOW, '--visuals', 'cover,poster']);
    assert.equal(visuals.code, 1);
    assert.match(visuals.stderr, /'poster' is not one of cover, hero, offer, up_next, countdown/);
    const small = path.join(work, 'small.txt');
    writeFileSync(small, '【第一款】亚麻衬衫\n100%亚麻,到手价199元。\n\n【第二款】防晒衣\nUPF50+,买一送一。');
    const out = path.join(work, 'no-ffmpeg');
    const noVideo = await local(['script', small, '--video', '-n', '1', '--visuals', 'cover', '--out', out], {
      VITRINE_FFMPEG: '/nonexistent/ffmpeg',
    });
    assert.equal(noVideo.code, 2, noVideo.stderr);
    assert.match(noVideo.stderr, /apt-get install -y --no-install-recommends ffmpeg/);
    assert.ok(existsSync(path.join(out, '01-亚麻衬衫/cover.png')));
    assert.ok(existsSync(path.join(out, 'run-sheet.csv')));
  });
});

describe('vitrine script --server', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-script-server-'));
    server = await startInProcessServer(testConfig.config, { workerConcurrency: 2 });
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('analyses, renders and downloads through the API', async () => {
    const file = path.join(dirs.make('vitrine-script-remote-'), 'show.txt');
    writeFileSync(
      file,
      'Hey everyone, welcome to denim night!\n\nFirst up, our high-rise jeans. 98% organic cotton, pre-washed. Tonight just $59, code DENIM20.\n\nNext up, the denim jacket. 12 oz denim. Buy one get one free, only 120 left!',
    );
    const out = path.join(path.dirname(file), 'out');
    const result = await runCli(
      [
        '--server',
        server.url,
        '--key',
        server.adminKey!,
        'script',
        file,
        '--render',
        '-n',
        '1',
        '--visuals',
        'cover,offer',
        '--out',
        out,
      ],
      { timeoutMs: 300_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /storyboard .* succeeded: 5 visuals rendered, 0 failed, 3 segments/);
    assert.deepEqual(readdirSync(path.join(out, '02-high-rise_jeans')).sort(), ['cover.png', 'offer.png']);
    assert.match(readFileSync(path.join(out, 'run-sheet.csv'), 'utf8'), /DENIM20/);
  });
});
