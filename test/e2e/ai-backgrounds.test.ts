import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { FakeComfyUIServer } from '../fakes/comfyui-server.ts';
import { fakeImages, makePng, type RecordedFile } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { FakeStabilityServer } from '../fakes/stability-server.ts';
import { openStudioBrowser, signInWithKey } from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { texturedPng } from '../support/images.ts';
import { sampleProductPhoto } from '../support/sample-product.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

// Issue 12 item 4: a `generated` background painted AROUND the real product through a masked edit,
// the product's own pixels drawn on top, untouched — through the real server and the real adapters
// against protocol-faithful vendors on loopback.

interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

async function raw(bytes: Uint8Array): Promise<Raw> {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** The `story` template's product box per composition (src/domain/builtin-templates-social.ts), as fractions. */
const STORY_PRODUCT_BOX: Record<string, { x: number; y: number; w: number; h: number }> = {
  base: { x: 0.06, y: 0.34, w: 0.88, h: 0.38 },
  'text-below': { x: 0.06, y: 0.18, w: 0.88, h: 0.4 },
};

/** Pixels whose `keep` value holds and whose neighbours within `margin` hold too: strictly inside. */
function interior(keep: (index: number) => boolean, width: number, height: number, margin: number): number[] {
  const inside: number[] = [];
  for (let y = margin; y < height - margin; y += 1) {
    for (let x = margin; x < width - margin; x += 1) {
      let all = true;
      for (let dy = -margin; dy <= margin && all; dy += margin) {
        for (let dx = -margin; dx <= margin && all; dx += margin) {
          if (!keep((y + dy) * width + (x + dx))) all = false;
        }
      }
      if (all) inside.push(y * width + x);
    }
  }
  return inside;
}

async function uploadPhoto(server: InProcessServer): Promise<string> {
  const upload = await fetch(`${server.url}/v1/assets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'image/png' },
    body: sampleProductPhoto(600, 800),
  });
  assert.equal(upload.status, 201, await upload.clone().text());
  return ((await upload.json()) as Loose).id as string;
}

async function imagesOf(job: Loose): Promise<Uint8Array[]> {
  return Promise.all(
    (job.images as Loose[]).map(
      async (image) => new Uint8Array(await (await fetch(image.url)).arrayBuffer()),
    ),
  );
}

/**
 * The mask sent keeps the product (opaque) inside the design's product box and lets the model paint
 * everywhere else (alpha 0); the init image shows the product there on a flat canvas; every output
 * image shows the product's own pixels (the init image's, within 1 level) strictly inside the mask.
 */
async function assertAroundProduct(job: Loose, init: Uint8Array, mask: Uint8Array, outputs: Uint8Array[]) {
  const [image, keep] = [await raw(init), await raw(mask)];
  assert.deepEqual([image.width, image.height, keep.width, keep.height], [1080, 1920, 1080, 1920]);
  const design = (job.warnings as Loose[]).find((warning) => warning.code === 'design')?.data.designs[0];
  const fraction = STORY_PRODUCT_BOX[design?.composition];
  assert.ok(fraction, `a known composition: ${JSON.stringify(design)}`);
  const box = {
    x0: Math.floor(fraction.x * 1080),
    y0: Math.floor(fraction.y * 1920),
    x1: Math.ceil((fraction.x + fraction.w) * 1080),
    y1: Math.ceil((fraction.y + fraction.h) * 1920),
  };
  const alphaAt = (index: number) => keep.data[index * 4 + 3]!;
  let opaque = 0;
  for (let index = 0; index < 1080 * 1920; index += 1) {
    const [x, y] = [index % 1080, Math.floor(index / 1080)];
    const alpha = alphaAt(index);
    assert.ok(alpha === 0 || alpha === 255, `the mask is either keep or paint, got alpha ${alpha}`);
    if (alpha === 255) {
      opaque += 1;
      assert.ok(
        x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1,
        `kept pixel (${x}, ${y}) outside the product box`,
      );
    }
  }
  const boxArea = (box.x1 - box.x0) * (box.y1 - box.y0);
  assert.ok(opaque > boxArea * 0.15, `the product is kept: ${opaque} of ${boxArea} box pixels`);
  // The canvas around the product is one flat colour: the product's surroundings are the model's to paint.
  const corner = [...image.data.subarray(0, 3)];
  const far = (1919 * 1080 + 1079) * 4;
  assert.deepEqual([...image.data.subarray(far, far + 3)], corner);

  const inside = interior((index) => alphaAt(index) === 255, 1080, 1920, 1);
  assert.ok(inside.length > opaque * 0.8, 'a solid product interior to compare');
  let productish = 0;
  for (const index of inside) if (Math.abs(image.data[index * 4]! - corner[0]!) > 20) productish += 1;
  assert.ok(productish > inside.length * 0.5, 'the init image shows the product under the kept mask');
  for (const [position, output] of outputs.entries()) {
    const drawn = await raw(output);
    assert.deepEqual([drawn.width, drawn.height], [1080, 1920]);
    let worst = 0;
    for (const index of inside) {
      for (let channel = 0; channel < 3; channel += 1) {
        worst = Math.max(
          worst,
          Math.abs(drawn.data[index * 4 + channel]! - image.data[index * 4 + channel]!),
        );
      }
    }
    assert.ok(
      worst <= 1,
      `image ${position}: the product's pixels are untouched (worst difference ${worst})`,
    );
    // Around the product the model's scene shows, not the flat init canvas.
    let changed = 0;
    for (let index = 0; index < 1080 * 1920; index += 97) {
      if (alphaAt(index) === 0 && Math.abs(drawn.data[index * 4 + 2]! - image.data[index * 4 + 2]!) > 8)
        changed += 1;
    }
    assert.ok(changed > (1080 * 1920) / 97 / 3, `image ${position}: the background is the model's`);
  }
}

describe('AI backgrounds around the product on OpenAI image edits', () => {
  const dirs = new TempDirs();
  const openai = new FakeOpenAIServer();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  let photo: string;

  before(async () => {
    await openai.listen();
    const answers = new Map<string, Uint8Array>();
    for (const size of ['1024x1024', '1024x1536', '1536x1024'])
      answers.set(size, await texturedPng(...(size.split('x').map(Number) as [number, number])));
    openai.makeImage = (size) => answers.get(size) ?? new Uint8Array();
    const dataDir = dirs.make('vitrine-ai-backgrounds-');
    const configFile = path.join(dataDir, 'vitrine.yaml');
    writeFileSync(
      configFile,
      [
        'providers:',
        '  - kind: openai',
        '    api_key: sk-test',
        `    base_url: ${openai.url}`,
        '    limits: { max_concurrency: 2, timeout_ms: 10000 }',
      ].join('\n'),
    );
    testConfig = buildConfig('pglite', dataDir, { VITRINE_CONFIG: configFile });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey ?? '');
    photo = await uploadPhoto(server);
  });

  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    await openai.close();
    dirs.cleanup();
  });

  test('with a product photo the scene is a masked edit around the cut-out, whose pixels stay the same', async () => {
    const before = openai.requests.length;
    const answer = await api.post<Loose>('/v1/generations?wait=90', {
      template: 'story',
      params: { title: 'Night market', product_image: photo },
      n: 2,
    });
    assert.equal(answer.status, 200, answer.text);
    const job = answer.body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.provider, 'studio');
    const posted = openai.requests.slice(before).filter((request) => request.method === 'POST');
    assert.deepEqual(
      posted.map((request) => request.path),
      ['/v1/images/edits'],
      'one masked edit, no prompt-only call',
    );
    const form = posted[0]!.form!;
    assert.deepEqual(
      Object.keys(form).sort(),
      ['image', 'mask', 'model', 'n', 'output_format', 'prompt', 'size'],
      JSON.stringify(Object.keys(form)),
    );
    assert.deepEqual([form.model, form.n, form.size], ['gpt-image-1', '1', '1024x1536']);
    assert.match(String(form.prompt), /^Vertical atmospheric backdrop for Night market/);
    assert.match(String(form.prompt), /Keep the product in the image exactly as it is/);
    const [init, mask] = [form.image as RecordedFile, form.mask as RecordedFile];
    assert.deepEqual([init.type, mask.type], ['image/png', 'image/png']);
    await assertAroundProduct(job, init.bytes, mask.bytes, await imagesOf(job));

    const provider = (job.warnings as Loose[]).find(
      (warning) => warning.code === 'background_provider' && warning.data.provider,
    );
    assert.deepEqual(provider?.data, {
      provider: 'openai',
      model: 'gpt-image-1',
      background_path: 'masked_edit',
    });
    const studio = (job.warnings as Loose[]).find((warning) => warning.data?.source === 'provider');
    assert.equal(studio?.data.background_path, 'masked_edit');
    assert.equal(studio?.data.product, 'composited_cutout');

    // The studio's history says which path the background took, beside the provider.
    const browser = await openStudioBrowser(server);
    try {
      await signInWithKey(browser.page, server);
      await browser.page.goto(`${server.url}/history`);
      const path = browser.page.locator('[data-background-path="masked_edit"]').first();
      await path.waitFor({ timeout: 30_000 });
      assert.match(
        (await path.textContent()) ?? '',
        /background painted around the product by openai\/gpt-image-1/,
      );
      assert.deepEqual(browser.errors, []);
    } finally {
      await browser.close();
    }
  });

  test("a batch manifest names the path of each row's background", async () => {
    const form = new FormData();
    form.set('template', 'story');
    form.set(
      'file',
      new Blob([`sku,title,product_image\nBOTTLE-1,Night market,${photo}\n`], { type: 'text/csv' }),
      'catalog.csv',
    );
    const response = await fetch(api.url('/v1/batches'), {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}` },
      body: form,
    });
    const created = (await response.json()) as Loose;
    assert.equal(response.status, 202, JSON.stringify(created));
    await withDeadline(
      readEventStream(api.url(`/v1/batches/${created.id}/events`), api.key),
      90_000,
      'the batch',
    );
    const lines = (await api.get(`/v1/batches/${created.id}/manifest.csv`)).text.trim().split('\r\n');
    const column = lines[0]!.split(',').indexOf('background');
    assert.ok(column > 0, lines[0]);
    // No cell before it holds a comma here (one image URL, no warnings that ask for attention).
    assert.equal(lines[1]!.split(',')[column], 'masked_edit openai/gpt-image-1', lines[1]);
  });

  test('without a product photo the background comes from the prompt alone (generated path)', async () => {
    const before = openai.requests.length;
    const job = (
      await api.post<Loose>('/v1/generations?wait=60', {
        template: 'story',
        params: { title: 'Plain night' },
      })
    ).body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const posted = openai.requests.slice(before).filter((request) => request.method === 'POST');
    assert.deepEqual(
      posted.map((request) => request.path),
      ['/v1/images/generations'],
    );
    const studio = (job.warnings as Loose[]).find((warning) => warning.data?.source === 'provider');
    assert.equal(studio?.data.background_path, 'generated');
  });

  test('when the masked edit fails, the prompt-only background stands in', async () => {
    openai.script('server_error');
    const before = openai.requests.length;
    const job = (
      await api.post<Loose>('/v1/generations?wait=90', {
        template: 'story',
        params: { title: 'Second try', product_image: photo },
      })
    ).body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const posted = openai.requests.slice(before).filter((request) => request.method === 'POST');
    assert.deepEqual(posted.map((request) => request.path).slice(-1), ['/v1/images/generations']);
    assert.ok(
      posted.some((request) => request.path === '/v1/images/edits'),
      'the masked edit was tried first',
    );
    const noted = (job.warnings as Loose[]).find(
      (warning) => warning.code === 'background_provider' && warning.data.provider,
    );
    assert.equal(noted?.data.background_path, 'generated');
  });
});

describe('AI backgrounds around the product on Stability inpaint', () => {
  const dirs = new TempDirs();
  const stability = new FakeStabilityServer();
  let testConfig: TestConfig;
  let server: InProcessServer;

  before(async () => {
    const answer = await texturedPng(1080, 1920);
    fakeImages.make = () => answer;
    await stability.listen();
    testConfig = buildConfig('pglite', dirs.make('vitrine-ai-backgrounds-stability-'), {
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

  test('the inpaint endpoint gets the init image and a white-paints / black-keeps mask; the product stays', async () => {
    const photo = await uploadPhoto(server);
    const api = new HttpClient(server.url, server.adminKey ?? '');
    const before = stability.requests.length;
    const job = (
      await api.post<Loose>('/v1/generations?wait=90', {
        template: 'story',
        params: { title: 'Night market', product_image: photo },
      })
    ).body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const posted = stability.requests.slice(before).filter((request) => request.method === 'POST');
    assert.deepEqual(
      posted.map((request) => request.path),
      ['/v2beta/stable-image/edit/inpaint'],
    );
    const form = posted[0]!.form!;
    assert.match(String(form.prompt), /^Vertical atmospheric backdrop for Night market/);
    const inpaintMask = await raw((form.mask as RecordedFile).bytes);
    // Back to OpenAI's convention (opaque = keep) to check its shape the same way.
    const asAlpha = Buffer.alloc(inpaintMask.width * inpaintMask.height * 4);
    for (let index = 0; index < inpaintMask.width * inpaintMask.height; index += 1) {
      const white = inpaintMask.data[index * 4]!;
      assert.ok(white === 0 || white === 255, `black or white, got ${white}`);
      asAlpha[index * 4 + 3] = 255 - white;
    }
    const keep = await sharp(asAlpha, {
      raw: { width: inpaintMask.width, height: inpaintMask.height, channels: 4 },
    })
      .png()
      .toBuffer();
    await assertAroundProduct(job, (form.image as RecordedFile).bytes, keep, await imagesOf(job));
    const noted = (job.warnings as Loose[]).find(
      (warning) => warning.code === 'background_provider' && warning.data.provider,
    );
    assert.equal(noted?.data.background_path, 'masked_edit');
    assert.equal(noted?.data.provider, 'stability');
  });
});

describe('AI backgrounds around the product on a ComfyUI inpaint workflow', () => {
  const dirs = new TempDirs();
  const comfy = new FakeComfyUIServer();
  let testConfig: TestConfig;
  let server: InProcessServer;

  before(async () => {
    const answer = await texturedPng(1080, 1920);
    fakeImages.make = () => answer;
    await comfy.listen();
    testConfig = buildConfig('pglite', dirs.make('vitrine-ai-backgrounds-comfyui-'), {
      COMFYUI_URL: comfy.url,
    });
    server = await startInProcessServer(testConfig.config);
  });

  after(async () => {
    fakeImages.make = makePng;
    await server?.stop();
    await comfy.close();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('image and mask are uploaded and the built-in inpaint graph runs on them; the product stays', async () => {
    const photo = await uploadPhoto(server);
    const api = new HttpClient(server.url, server.adminKey ?? '');
    const job = (
      await api.post<Loose>('/v1/generations?wait=90', {
        template: 'story',
        params: { title: 'Night market', product_image: photo },
      })
    ).body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const [stored] = [...comfy.prompts.values()];
    assert.ok(stored, 'one prompt queued');
    const nodes = Object.values(stored.prompt);
    const load = nodes.find((node) => node.class_type === 'LoadImage')!;
    const mask = nodes.find((node) => node.class_type === 'LoadImageMask')!;
    assert.ok(
      nodes.some((node) => node.class_type === 'VAEEncodeForInpaint'),
      'an inpaint encoder',
    );
    assert.match(
      String(nodes.find((node) => node.class_type === 'CLIPTextEncode')?.inputs.text),
      /^Vertical atmospheric backdrop for Night market/,
    );
    const init = comfy.uploads.get(String(load.inputs.image));
    const keep = comfy.uploads.get(String(mask.inputs.image));
    assert.ok(init && keep, 'both were uploaded');
    assert.equal(mask.inputs.channel, 'alpha');
    await assertAroundProduct(job, init, keep, await imagesOf(job));
    const noted = (job.warnings as Loose[]).find(
      (warning) => warning.code === 'background_provider' && warning.data.provider,
    );
    assert.deepEqual([noted?.data.provider, noted?.data.background_path], ['comfyui', 'masked_edit']);
  });
});
