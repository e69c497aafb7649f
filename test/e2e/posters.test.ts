import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { assertError, issueFields } from '../support/api-fixtures.ts';
import { buildConfig, engines, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { failThenServe, startImageServer } from '../support/image-server.ts';
import { pngSize } from '../support/images.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

/** A product on a busy backdrop (a checkerboard of strong colors): no color cut-out can be trusted. */
function busyPhoto(): Uint8Array {
  const canvas = createCanvas(400, 400);
  const ctx = canvas.getContext('2d');
  for (let y = 0; y < 400; y += 20) {
    for (let x = 0; x < 400; x += 20) {
      ctx.fillStyle = (x + y) % 40 === 0 ? '#1b6ca8' : '#f2c14e';
      ctx.fillRect(x, y, 20, 20);
    }
  }
  ctx.fillStyle = '#c0392b';
  ctx.fillRect(120, 100, 160, 220);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

/** Follows a job until it finishes: its event stream closes when the job is done. */
async function untilFinished(api: HttpClient, id: string): Promise<Loose> {
  await withDeadline(
    readEventStream(`${api.baseUrl}/v1/jobs/${id}/events`, api.key),
    60_000,
    'the poster job',
  );
  return (await api.get(`/v1/jobs/${id}`)).body;
}

const warning = (job: Loose, code: string) => (job.warnings as Loose[]).find((entry) => entry.code === code);
const check = (job: Loose, name: string) =>
  (job.images[0].quality.checks as Loose[]).find((entry) => entry.name === name);

for (const engine of engines) {
  describe(`POST /v1/posters on ${engine.name}`, { skip: engine.skip }, () => {
    const dirs = new TempDirs();
    let testConfig: TestConfig;
    let server: InProcessServer;
    let api: HttpClient;
    let photos: Awaited<ReturnType<typeof startImageServer>>;

    before(async () => {
      photos = await startImageServer({
        '/bottle.png': failThenServe(0, 500, sampleProductPhoto()),
        '/busy.png': failThenServe(0, 500, busyPhoto()),
      });
      testConfig = buildConfig(engine.name, dirs.make('vitrine-posters-'), {
        VITRINE_ALLOW_PRIVATE_URLS: 'true',
      });
      server = await startInProcessServer(testConfig.config);
      api = new HttpClient(server.url, server.adminKey);
    });

    after(async () => {
      await server?.stop();
      await photos?.close();
      await testConfig?.dispose();
      dirs.cleanup();
    });

    test('a brief alone is a 202 job; the offer is parsed into its metadata and the poster is 1080×1920', async () => {
      const accepted = await api.post('/v1/posters', { brief: '夏季清仓促销,满200减50' });
      assert.equal(accepted.status, 202, accepted.text);
      assert.match(accepted.headers.get('location') ?? '', /^\/v1\/jobs\//);
      const finished = await untilFinished(api, accepted.body.id);
      assert.equal(finished.status, 'succeeded', JSON.stringify(finished.error));
      assert.equal(finished.template, 'offer_card');
      assert.equal(finished.provider, 'studio');
      assert.deepEqual([finished.width, finished.height], [1080, 1920]);
      // The coupon shows the mechanic (¥50, 满200可用): the brief's own words are the title.
      assert.deepEqual(finished.params, {
        title: '夏季清仓促销',
        badge: '优惠',
        offer: '¥50',
        offer_detail: '满200可用',
      });
      const { poster } = finished.metadata;
      assert.equal(poster.mode, 'text');
      assert.equal(poster.offer.type, 'spend_threshold');
      assert.deepEqual(poster.offer.amounts, { threshold: 200, discount: 50 });
      assert.equal(check(finished, 'text_fits').passed, true, check(finished, 'text_fits').detail);
      assert.equal(check(finished, 'contrast').passed, true, check(finished, 'contrast').detail);
      assert.ok(finished.images[0].quality.score > 0.5, JSON.stringify(finished.images[0].quality));
      // The offer card is drawn in its style pack (festive) on its own ground, not a generated backdrop.
      assert.equal(warning(finished, 'background_procedural'), undefined);
      const image = await fetch(finished.images[0].url);
      assert.deepEqual(pngSize(new Uint8Array(await image.arrayBuffer())), { width: 1080, height: 1920 });
    });

    test('with a product URL and a wide size: the landscape layout, the product cut out, JPEG at the exact size', async () => {
      const response = await api.post('/v1/posters?wait=60', {
        brief: 'Summer Sale 20% OFF, from $19',
        width: 1200,
        height: 630,
        format: 'jpeg',
        product_image_url: `${photos.url}/bottle.png`,
      });
      assert.equal(response.status, 200, response.text);
      const job = response.body;
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
      assert.equal(job.template, 'promo_landscape');
      assert.equal(job.params.title, '20% OFF');
      assert.equal(job.params.price, 'from $19');
      const cutout = warning(job, 'cutout');
      assert.equal(cutout.data.needs_review, false, cutout.message);
      assert.equal(cutout.level, 'info');
      const bytes = new Uint8Array(await (await fetch(job.images[0].url)).arrayBuffer());
      assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xd8], 'a JPEG');
      assert.deepEqual([job.images[0].width, job.images[0].height], [1200, 630]);
    });

    test('a product on a busy background is rendered and flagged for review on the job', async () => {
      const response = await api.post('/v1/posters?wait=60', {
        brief: '买一送一',
        width: 1080,
        height: 1080,
        product_image_url: `${photos.url}/busy.png`,
      });
      const job = response.body;
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
      assert.equal(job.template, 'sale_square');
      const cutout = warning(job, 'cutout_low_confidence');
      assert.equal(cutout.data.needs_review, true, cutout.message);
      assert.equal(cutout.level, 'warning');
      // Never a doubtful cut-out: the photo is framed, and the job says why.
      assert.equal(cutout.data.cut, false);
      assert.equal(cutout.data.confidence.level, 'low');
      assert.match(cutout.message, /low confidence: .*framed/);
    });

    test('template-driven: the named template is filled, the code goes to its own param', async () => {
      const response = await api.post('/v1/posters?wait=60', {
        brief: '双十一 满300减40 券码 DOUBLE11',
        template: 'coupon',
      });
      const job = response.body;
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
      assert.equal(job.template, 'coupon');
      assert.deepEqual([job.width, job.height], [1080, 540], "the template's own size");
      assert.equal(job.params.code, 'DOUBLE11');
      // The big amount and its condition fill the coupon; the brief's words are the title.
      assert.equal(job.params.offer, '¥40');
      assert.equal(job.params.offer_detail, '满300可用');
      assert.equal(job.params.title, '双十一');
      assert.equal(check(job, 'text_fits').passed, true, check(job, 'text_fits').detail);
      assert.equal(job.metadata.poster.mode, 'template');
    });

    test('invalid posters are 400 with the fields named, an unknown template 404', async () => {
      assertError(await api.post('/v1/posters', { brief: '' }), 400, 'invalid_request');
      const both = await api.post('/v1/posters', {
        brief: 'Sale',
        product_asset_id: 'x',
        product_image_url: 'https://example.com/a.png',
      });
      assertError(both, 400, 'invalid_request');
      assert.deepEqual(issueFields(both), ['product_image_url']);
      const half = await api.post('/v1/posters', { brief: 'Sale', width: 800 });
      assertError(half, 400, 'invalid_request');
      assert.deepEqual(issueFields(half), ['height']);
      assertError(await api.post('/v1/posters', { brief: 'Sale', template: 'nope' }), 404, 'not_found');
      assertError(await api.post('/v1/posters', { brief: 'Sale', colour: 'red' }), 400, 'invalid_request');
    });

    test("a brand's logo (an uploaded asset) is drawn by the template's logo layer", async () => {
      const logo = createCanvas(300, 90);
      const logoCtx = logo.getContext('2d');
      logoCtx.fillStyle = '#ff0000';
      logoCtx.fillRect(0, 0, 300, 90);
      const uploaded = await fetch(`${server.url}/v1/assets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'image/png' },
        body: new Uint8Array(logo.toBuffer('image/png')),
      });
      assert.equal(uploaded.status, 201);
      const { id } = (await uploaded.json()) as { id: string };
      const brand = await api.post('/v1/brands', {
        slug: 'red-logo',
        name: 'Red logo',
        palette: {
          primary: '#112233',
          secondary: '#445566',
          accent: '#ff6600',
          background: '#ffffff',
          text: '#111111',
        },
        logo_asset_id: id,
      });
      assert.equal(brand.status, 201, brand.text);
      const job = (
        await api.post('/v1/posters?wait=60', {
          brief: 'New season',
          template: 'new_arrival',
          brand: 'red-logo',
        })
      ).body;
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
      const png = new Uint8Array(await (await fetch(job.images[0].url)).arrayBuffer());
      const image = await loadImage(png);
      const canvas = createCanvas(image.width, image.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(image, 0, 0);
      // new_arrival's logo sits in a band at 93–97.5 % of the height (left or centred, as the
      // scorer's composition puts it): the red logo's pixels are there.
      const row = ctx.getImageData(0, Math.round(0.95 * image.height), image.width, 1).data;
      let red = 0;
      for (let at = 0; at < row.length; at += 4) {
        if (row[at] === 255 && row[at + 1] === 0 && row[at + 2] === 0) red += 1;
      }
      assert.ok(red > image.width * 0.1, `${red} red logo pixels on the logo's row`);
    });

    test('the route is in the OpenAPI document', async () => {
      const spec = (await api.get('/openapi.json')).body;
      assert.ok(spec.paths['/v1/posters']?.post, 'POST /v1/posters documented');
      assert.ok(spec.components.schemas.PosterRequest);
    });
  });
}
