import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { pngSize } from '../support/images.ts';
import { LIVE_SCRIPTS_DIR } from '../support/live-scripts.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';
import { readStoredZip } from '../support/zip.ts';

const SHOW = readFileSync(path.join(LIVE_SCRIPTS_DIR, 'zh-five-products.txt'), 'utf8');
/** Two products, times, an offer with a code and stock: a small storyboard that renders quickly. */
const SMALL_SHOW = `【开场】20:00
家人们晚上好,欢迎来到夏日清凉专场!

【第一款】20:05 亚麻衬衫
100%亚麻,透气不闷汗,显瘦。到手价199元,满300减40,优惠码LIVE300,限量500件,手慢无!

【第二款】20:20 冰丝阔腿裤
冰丝面料,垂感好,显腿长。第二件半价,限时秒杀!`;

for (const engine of engines) {
  describe(`/v1/scripts on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;

    const finished = async (id: string) => {
      const stream = await withDeadline(
        readEventStream(api.url(`/v1/batches/${id}/events`), api.key),
        120_000,
        'the script batch',
      );
      return JSON.parse(stream.events.at(-1)!.data) as Loose;
    };
    const download = async (pathname: string) => {
      const response = await fetch(api.url(pathname), { headers: { authorization: `Bearer ${api.key}` } });
      return {
        status: response.status,
        headers: response.headers,
        bytes: new Uint8Array(await response.arrayBuffer()),
      };
    };

    before(async () => {
      testConfig = buildConfig(engine.name, dirs.make('vitrine-scripts-api-'));
      server = await startInProcessServer(testConfig.config, { workerConcurrency: 2 });
      api = new HttpClient(server.url, server.adminKey);
    });
    after(async () => {
      await server?.stop();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('analyze: segments with times, products, selling points, offers, mood, style pack and a plan; stored', async () => {
      const response = await api.post('/v1/scripts/analyze', { text: SHOW });
      assert.equal(response.status, 200, response.text);
      const script = response.body;
      assert.equal(script.analyzer, 'heuristic');
      assert.equal(script.language, 'zh');
      assert.equal(script.title, '夏日清凉专场');
      assert.equal(script.segments.length, 8);
      const products = script.segments.filter((segment: Loose) => segment.kind === 'product');
      assert.deepEqual(
        products.map((segment: Loose) => segment.product.name),
        ['亚麻衬衫', '冰丝阔腿裤', '防晒衣', '真丝连衣裙', '帆布托特包'],
      );
      const shirt = script.segments[1];
      assert.equal(shirt.time, '20:05');
      assert.ok(
        shirt.selling_points.some((point: Loose) => point.text === '100%亚麻' && point.confidence > 0.8),
      );
      assert.equal(shirt.offers[0].headline, '满300减40');
      assert.equal(shirt.offers[0].stock, 500);
      assert.ok(['urgent', 'premium', 'festive', 'cute', 'fresh'].includes(shirt.emotion.mood));
      assert.ok(shirt.keywords.length > 0);
      // The plan: a 9:16 cover, a product card, an offer card, "up next" and a countdown, 4 options each.
      assert.deepEqual(
        shirt.visuals.map((visual: Loose) => visual.role),
        ['cover', 'hero', 'offer', 'up_next', 'countdown'],
      );
      const cover = shirt.visuals[0];
      assert.deepEqual([cover.width, cover.height, cover.n], [1080, 1920, 4]);
      assert.equal(cover.params.title, '亚麻衬衫');
      assert.equal(shirt.visuals[2].params.title, '满300减40');
      assert.equal(shirt.visuals[2].params.price, '¥199');
      assert.equal(shirt.prompts.length, shirt.visuals.length);
      assert.ok(shirt.prompts.every((prompt: Loose) => prompt.options === 4 && prompt.prompt.length > 0));

      const stored = await api.get(`/v1/scripts/${script.id}`);
      assert.equal(stored.status, 200);
      assert.deepEqual(stored.body, script);
    });

    test('bad input: empty, too long, unknown brand, product or script, no chat model for "llm"', async () => {
      assertError(await api.post('/v1/scripts/analyze', { text: '  \n ' }), 400, 'invalid_request');
      assert.deepEqual(issueFields(await api.post('/v1/scripts/analyze', { text: '' })), ['text']);
      const tooLong = await api.post('/v1/scripts/analyze', { text: '家人们'.repeat(34_000) });
      assertError(tooLong, 413, 'payload_too_large');
      assert.match(tooLong.body.error.message, /102,000 characters; the limit is 100,000/);
      const brand = await api.post('/v1/scripts/analyze', { text: SMALL_SHOW, brand: 'no-such-brand' });
      assertError(brand, 404, 'not_found');
      assert.match(brand.body.error.message, /no-such-brand/);
      const product = await api.post('/v1/scripts/analyze', {
        text: SMALL_SHOW,
        product_images: { 羊绒围巾: 'https://shop.example.com/scarf.jpg' },
      });
      assertError(product, 404, 'not_found');
      assert.match(product.body.error.message, /羊绒围巾/);
      const asset = await api.post('/v1/scripts/analyze', {
        text: SMALL_SHOW,
        product_images: { 亚麻衬衫: 'no-such-asset' },
      });
      assertError(asset, 404, 'not_found');
      assertError(await api.get('/v1/scripts/no-such-script'), 404, 'not_found');
      const llm = await api.post('/v1/scripts/analyze', { text: SMALL_SHOW, analyzer: 'llm' });
      assertError(llm, 422, 'unprocessable');
      assert.match(llm.body.error.message, /VITRINE_CHAT_BASE_URL/);
      assertError(await api.post('/v1/scripts/analyze', { text: SMALL_SHOW, n: 11 }), 400, 'invalid_request');
      assertError(await api.post('/v1/scripts/render', {}), 400, 'invalid_request');
    });

    test('a script with no markers is one segment, and mixed languages are noted', async () => {
      const single = await api.post('/v1/scripts/analyze', {
        text: '这是今年的明前龙井,茶汤清澈,回甘明显,一罐250克,今天168元。',
      });
      assert.equal(single.status, 200, single.text);
      assert.equal(single.body.segments.length, 1);
      assert.ok(single.body.notes.some((note: Loose) => note.code === 'one_segment'));
      const mixed = await api.post('/v1/scripts/analyze', {
        text: readFileSync(path.join(LIVE_SCRIPTS_DIR, 'mixed-en-es-apparel.txt'), 'utf8'),
      });
      assert.equal(mixed.body.language, 'mixed');
      assert.ok(mixed.body.notes.some((note: Loose) => note.code === 'mixed_languages'));
    });

    test('an edited analysis is stored and planned again: mood, offers as words, title, options', async () => {
      const { body: script } = await api.post('/v1/scripts/analyze', { text: SMALL_SHOW });
      const segments = structuredClone(script.segments);
      segments[2].emotion = { mood: 'premium', confidence: 1, cues: [] };
      segments[2].offers = [{ text: '满500减80' }, { text: 'code SILK20' }];
      segments[2].title = '冰丝阔腿裤 夏季款';
      const edited = await api.put(`/v1/scripts/${script.id}`, {
        segments,
        n: 2,
        visuals: ['cover', 'offer'],
      });
      assert.equal(edited.status, 200, edited.text);
      const pants = edited.body.segments[2];
      assert.equal(edited.body.analyzer, 'edited');
      assert.equal(pants.style_pack, 'minimal');
      assert.equal(pants.offers[0].headline, '满500减80');
      assert.ok(pants.offers.some((offer: Loose) => offer.code === 'SILK20'));
      assert.deepEqual(
        pants.visuals.map((visual: Loose) => [visual.role, visual.n, visual.params.title]),
        [
          ['cover', 2, '冰丝阔腿裤 夏季款'],
          ['offer', 2, '满500减80'],
        ],
      );
      assert.deepEqual((await api.get(`/v1/scripts/${script.id}`)).body, edited.body);
      const bad = await api.put(`/v1/scripts/${script.id}`, {
        segments: [{ title: 'x', emotion: { mood: 'angry' } }],
      });
      assertError(bad, 400, 'invalid_request');
      assert.ok(issueFields(bad).includes('segments.0.emotion.mood'));
    });

    test('render: one urgent batch grouped by segment; run sheet, manifest and zip by segment; the video', async () => {
      const upload = await fetch(api.url('/v1/assets'), {
        method: 'POST',
        headers: { authorization: `Bearer ${api.key}`, 'content-type': 'image/png' },
        body: sampleProductPhoto(),
      });
      const photo = ((await upload.json()) as Loose).id;
      const response = await api.post('/v1/scripts/render', {
        text: SMALL_SHOW,
        n: 1,
        product_images: { 亚麻衬衫: photo },
      });
      assert.equal(response.status, 202, response.text);
      const created = response.body;
      assert.equal(created.template, 'script');
      assert.equal(created.priority, 'urgent');
      assert.ok(created.script_id);
      assert.equal(response.headers.get('location'), `/v1/batches/${created.id}`);
      // Opening: cover, up next, countdown; shirt: cover, hero, offer, up next, countdown; pants: cover, hero, offer.
      assert.equal(created.total, 11);

      const batch = await finished(created.id);
      assert.equal(batch.status, 'succeeded', JSON.stringify(batch));

      const sheet = (await api.get(`/v1/batches/${created.id}/run-sheet.json`)).body;
      assert.equal(sheet.script_id, created.script_id);
      assert.deepEqual(
        sheet.segments.map((segment: Loose) => [
          segment.segment,
          segment.time,
          segment.title,
          segment.status,
        ]),
        [
          [1, '20:00', '夏日清凉专场', 'done'],
          [2, '20:05', '亚麻衬衫', 'done'],
          [3, '20:20', '冰丝阔腿裤', 'done'],
        ],
      );
      const shirt = sheet.segments[1];
      assert.deepEqual(
        [shirt.offer, shirt.price, shirt.code, shirt.stock],
        ['满300减40', '¥199', 'LIVE300', 500],
      );
      const hero = shirt.visuals.find((visual: Loose) => visual.role === 'hero');
      assert.equal(hero.template, 'product_hero', 'with the product photo, the photo layout');
      assert.deepEqual(hero.files, ['02-亚麻衬衫/hero.png']);
      const pants = sheet.segments[2];
      assert.equal(pants.visuals.find((visual: Loose) => visual.role === 'offer').template, 'offer_card');

      const csv = await api.get(`/v1/batches/${created.id}/run-sheet.csv`);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const lines = csv.text
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      assert.equal(
        lines[0],
        'segment,time,title,product,sku,offer,price,code,stock,mood,style_pack,status,images,image_urls',
      );
      assert.equal(lines.length, 4);
      assert.match(lines[2]!, /^2,20:05,亚麻衬衫,亚麻衬衫,,满300减40,¥199,LIVE300,500,/);

      const manifest = await api.get(`/v1/batches/${created.id}/manifest.csv`);
      const header = manifest.text.trim().split('\r\n')[0];
      assert.match(header!, /^row,segment,template,visual,job_id,status,image_urls,error/);
      assert.match(manifest.text, /\r\n\d+,02-亚麻衬衫,product_hero,hero,/);

      const zip = await download(`/v1/batches/${created.id}/images.zip`);
      const names = readStoredZip(zip.bytes).map((entry) => entry.name);
      assert.ok(names.includes('01-夏日清凉专场/cover.png'), names.join(' '));
      assert.ok(names.includes('02-亚麻衬衫/offer.png'));
      assert.ok(names.includes('03-冰丝阔腿裤/cover.png'));
      const cover = readStoredZip(zip.bytes).find((entry) => entry.name === '02-亚麻衬衫/cover.png')!;
      assert.deepEqual(pngSize(cover.bytes), { width: 1080, height: 1920 });

      const video = await download(`/v1/batches/${created.id}/video.mp4`);
      assert.equal(video.status, 200, new TextDecoder().decode(video.bytes.subarray(0, 300)));
      assert.equal(video.headers.get('content-type'), 'video/mp4');
      assert.equal(new TextDecoder().decode(video.bytes.subarray(4, 8)), 'ftyp');
      const file = path.join(dirs.make('vitrine-video-'), 'slideshow.mp4');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, video.bytes);
      const probe = JSON.parse(
        execFileSync(
          'ffprobe',
          ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_chapters', file],
          {
            encoding: 'utf8',
          },
        ),
      ) as Loose;
      const stream = probe.streams.find((item: Loose) => item.codec_type === 'video');
      assert.equal(stream.codec_name, 'h264');
      assert.deepEqual([stream.width, stream.height], [1080, 1920]);
      assert.deepEqual(
        probe.chapters.map((chapter: Loose) => chapter.tags.title),
        ['20:00 夏日清凉专场', '20:05 亚麻衬衫', '20:20 冰丝阔腿裤'],
      );
      // Made once: the second request is the stored video.
      const again = await download(`/v1/batches/${created.id}/video.mp4`);
      assert.deepEqual(again.bytes, video.bytes);
    });

    test('run sheet and video of a batch that is not a script: 404; a video while covers render: 409', async () => {
      const created = await api.post('/v1/batches', {
        template: 'text_card',
        rows: [{ title: 'Plain batch' }],
      });
      assert.equal(created.status, 202, created.text);
      const sheet = await api.get(`/v1/batches/${created.body.id}/run-sheet.json`);
      assertError(sheet, 404, 'not_found');
      assert.match(sheet.body.error.message, /not the render of a script/);
      assertError(await api.get(`/v1/batches/${created.body.id}/video.mp4`), 404, 'not_found');
      assertError(await api.get('/v1/batches/no-such-batch/run-sheet.csv'), 404, 'not_found');
    });

    test('the OpenAPI document lists the script routes', async () => {
      const paths = Object.keys((await api.get('/openapi.json')).body.paths);
      for (const route of [
        '/v1/scripts/analyze',
        '/v1/scripts/render',
        '/v1/scripts/{id}',
        '/v1/batches/{id}/run-sheet.csv',
        '/v1/batches/{id}/run-sheet.json',
        '/v1/batches/{id}/video.mp4',
      ]) {
        assert.ok(paths.includes(route), `${route} in ${paths.join(' ')}`);
      }
    });
  });
}

describe('the video without ffmpeg', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-no-ffmpeg-'), {
      VITRINE_FFMPEG: '/nonexistent/ffmpeg',
    });
    server = await startInProcessServer(testConfig.config, { workerConcurrency: 2 });
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('answers 503 saying how to install ffmpeg', async () => {
    const response = await api.post('/v1/scripts/render', { text: SMALL_SHOW, n: 1, visuals: ['cover'] });
    assert.equal(response.status, 202, response.text);
    await withDeadline(
      readEventStream(api.url(`/v1/batches/${response.body.id}/events`), api.key),
      120_000,
      'the script batch',
    );
    const video = await api.get(`/v1/batches/${response.body.id}/video.mp4`);
    assertError(video, 503, 'unavailable');
    assert.match(video.body.error.message, /apt-get install -y --no-install-recommends ffmpeg/);
    assert.match(video.body.error.message, /VITRINE_FFMPEG/);
  });
});
