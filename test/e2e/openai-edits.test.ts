import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI, { toFile } from 'openai';
import sharp from 'sharp';
import { fakeImages, makePng, type RecordedFile } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { FakeStabilityServer } from '../fakes/stability-server.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { texturedPng } from '../support/images.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/**
 * `POST /v1/images/edits` through the official openai SDK's `images.edit`, with an OpenAI image
 * model behind Vitrine (a loopback fake of OpenAI's Images API that records each request).
 */
describe('OpenAI-compatible image edits (images.edit through the SDK)', () => {
  const dirs = new TempDirs();
  const openai = new FakeOpenAIServer();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let client: OpenAI;
  let photo: Uint8Array;
  let mask: Uint8Array;

  before(async () => {
    await openai.listen();
    const answer = await texturedPng(1024, 1024);
    openai.makeImage = () => answer;
    photo = await texturedPng(512, 512);
    // Opaque where the product is (kept), transparent around it (the model paints there).
    mask = await sharp({
      create: { width: 512, height: 512, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: {
            create: { width: 256, height: 256, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } },
          },
          left: 128,
          top: 128,
        },
      ])
      .png()
      .toBuffer();
    const dataDir = dirs.make('vitrine-openai-edits-');
    const configFile = path.join(dataDir, 'vitrine.yaml');
    writeFileSync(
      configFile,
      ['providers:', '  - kind: openai', '    api_key: sk-test', `    base_url: ${openai.url}`].join('\n'),
    );
    testConfig = buildConfig('pglite', dataDir, { VITRINE_CONFIG: configFile });
    server = await startInProcessServer(testConfig.config);
    client = new OpenAI({ apiKey: server.adminKey ?? '', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await server?.stop();
    await openai.close();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('the image and its mask reach the model as an OpenAI edit; the answer is OpenAI-shaped', async () => {
    const before = openai.requests.length;
    const result = await client.images.edit({
      model: 'openai/gpt-image-1',
      image: await toFile(photo, 'shirt.png', { type: 'image/png' }),
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      prompt: 'the shirt on a sunlit oak table',
      size: '1024x1024',
      n: 2,
    });
    assert.equal(result.data?.length, 2);
    const meta = await sharp(Buffer.from(result.data![0]!.b64_json!, 'base64')).metadata();
    assert.deepEqual([meta.width, meta.height], [1024, 1024]);

    // One or more calls (as many images as the model gives per call), every one an edit.
    const sent = openai.requests.slice(before).filter((request) => request.method === 'POST');
    assert.ok(sent.length > 0);
    assert.ok(sent.every((request) => request.path === '/v1/images/edits' && request.form?.mask));
    assert.equal(
      sent.reduce((total, request) => total + Number(request.form!.n), 0),
      2,
    );
    const form = sent[0]!.form!;
    assert.equal(form.model, 'gpt-image-1');
    assert.match(String(form.prompt), /the shirt on a sunlit oak table/);
    const image = form.image as RecordedFile;
    const sentMask = form.mask as RecordedFile;
    assert.equal(image.type, 'image/png');
    assert.equal(sentMask.type, 'image/png');
    // The very pixels uploaded (normalized to PNG), and the mask's transparency kept.
    const [sentPixels, ownPixels] = await Promise.all([
      sharp(image.bytes).raw().toBuffer(),
      sharp(photo).raw().toBuffer(),
    ]);
    assert.ok(sentPixels.equals(ownPixels));
    const maskStats = await sharp(sentMask.bytes).ensureAlpha().stats();
    assert.equal(maskStats.channels[3]!.min, 0);
    assert.equal(maskStats.channels[3]!.max, 255);
  });

  test('a JPEG photo is sent as PNG; with no model named, routing picks the image model', async () => {
    const jpeg = await sharp(photo).jpeg().toBuffer();
    const before = openai.requests.length;
    const result = await client.images.edit({
      image: await toFile(jpeg, 'shirt.jpg', { type: 'image/jpeg' }),
      prompt: 'on a marble podium',
    });
    assert.equal(result.data?.length, 1);
    const posted = openai.requests.slice(before).filter((request) => request.method === 'POST');
    const image = posted[0]!.form!.image as RecordedFile;
    assert.equal((await sharp(image.bytes).metadata()).format, 'png');
  });

  test('bad edits: the studio engine cannot edit, a template is not a model, no image, not an image', async () => {
    const image = await toFile(photo, 'shirt.png', { type: 'image/png' });
    for (const model of ['studio', 'product_hero']) {
      await assert.rejects(client.images.edit({ model, image, prompt: 'x' }), (error) => {
        assert.ok(error instanceof OpenAI.BadRequestError, String(error));
        assert.equal(error.param, 'model');
        return true;
      });
    }
    const form = new FormData();
    form.set('prompt', 'x');
    const noImage = await fetch(`${server.url}/v1/images/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}` },
      body: form,
    });
    assert.equal(noImage.status, 400);
    assert.equal(((await noImage.json()) as { error: { param: string } }).error.param, 'image');
    await assert.rejects(
      client.images.edit({
        image: await toFile(new TextEncoder().encode('not an image'), 'a.png', { type: 'image/png' }),
        prompt: 'x',
      }),
      (error) => {
        assert.ok(error instanceof OpenAI.BadRequestError, String(error));
        assert.equal(error.param, 'image');
        return true;
      },
    );
  });

  test('a template on an image model starts from the product photo, and warns when the photo is too small', async () => {
    const api = new HttpClient(server.url, server.adminKey);
    const upload = await fetch(`${server.url}/v1/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'image/png' },
      body: sampleProductPhoto(300, 400),
    });
    const photo = ((await upload.json()) as Loose).id as string;
    const before = openai.requests.length;
    const answer = await api.post<Loose>('/v1/generations?wait=60', {
      template: 'product_hero',
      provider: 'openai',
      params: { title: 'Amber perfume', product_image: photo },
      width: 1024,
      height: 1024,
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.status, 'succeeded', JSON.stringify(answer.body.error));
    // The photo went to the model as the image to work from.
    const posted = openai.requests.slice(before).filter((request) => request.method === 'POST');
    assert.equal(posted[0]!.path, '/v1/images/edits');
    const small = answer.body.warnings.find((warning: Loose) => warning.code === 'photo_too_small');
    assert.ok(small, JSON.stringify(answer.body.warnings));
    assert.equal(small.level, 'warning');
    assert.match(small.message, /300×400.*openai/);
    assert.ok(!answer.body.warnings.some((warning: Loose) => warning.code === 'photo_several_objects'));
  });
});

describe('a masked edit on Stability goes to its inpaint endpoint with a black-and-white mask', () => {
  const dirs = new TempDirs();
  const stability = new FakeStabilityServer();
  let testConfig: TestConfig;
  let server: InProcessServer;

  before(async () => {
    const answer = await texturedPng(1024, 1024);
    fakeImages.make = () => answer;
    await stability.listen();
    testConfig = buildConfig('pglite', dirs.make('vitrine-stability-inpaint-'), {
      STABILITY_API_KEY: 'sk-stability',
      STABILITY_BASE_URL: stability.url,
    });
    server = await startInProcessServer(testConfig.config);
  });
  after(async () => {
    fakeImages.make = makePng;
    await server?.stop();
    await stability.close();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('images.edit with a mask: edit/inpaint, white where the OpenAI mask is transparent', async () => {
    const photo = await texturedPng(512, 512);
    // Transparent everywhere but a 256² square in the middle: paint around, keep the middle.
    const mask = await sharp({
      create: { width: 512, height: 512, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: {
            create: { width: 256, height: 256, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } },
          },
          left: 128,
          top: 128,
        },
      ])
      .png()
      .toBuffer();
    const client = new OpenAI({ apiKey: server.adminKey ?? '', baseURL: `${server.url}/v1`, maxRetries: 0 });
    const before = stability.requests.length;
    const result = await client.images.edit({
      model: 'stability',
      image: await toFile(photo, 'shirt.png', { type: 'image/png' }),
      mask: await toFile(mask, 'mask.png', { type: 'image/png' }),
      prompt: 'on a marble podium',
      size: '1024x1024',
    });
    assert.equal(result.data?.length, 1);
    const posted = stability.requests.slice(before).filter((request) => request.method === 'POST');
    assert.equal(posted.length, 1);
    assert.equal(posted[0]!.path, '/v2beta/stable-image/edit/inpaint');
    const form = posted[0]!.form!;
    assert.match(String(form.prompt), /on a marble podium/);
    assert.equal(form.aspect_ratio, undefined);
    const sentMask = form.mask as RecordedFile;
    const { data, info } = await sharp(sentMask.bytes)
      .extractChannel(0)
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [512, 512]);
    assert.equal(data[0], 255, 'the corner (transparent in the OpenAI mask) is painted');
    assert.equal(data[256 * 512 + 256], 0, 'the middle (opaque) is kept');
  });
});
