import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { FakeComfyUIServer } from '../fakes/comfyui-server.ts';
import { type FakeHttpServer, fakeImages, makePng, type RecordedFile } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { FakeStabilityServer } from '../fakes/stability-server.ts';
import { assertAroundProduct, imagesOf, raw, uploadPhoto } from '../support/around-product.ts';
import { openStudioBrowser, signInWithKey } from '../support/browser.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { texturedPng } from '../support/images.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

// Issue 12 item 4: a `generated` background painted AROUND the real product through a masked edit,
// the product's own pixels drawn on top, untouched — through the real server and the real adapters
// against protocol-faithful vendors on loopback.

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
  const stability = new FakeStabilityServer();
  const vitrine = serverAgainst(stability, 'stability', () => ({
    STABILITY_API_KEY: 'sk-stability',
    STABILITY_BASE_URL: stability.url,
  }));

  test('the inpaint endpoint gets the init image and a white-paints / black-keeps mask; the product stays', async () => {
    const before = stability.requests.length;
    const job = await storyAroundPhoto(vitrine.server);
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
  const comfy = new FakeComfyUIServer();
  const vitrine = serverAgainst(comfy, 'comfyui', () => ({ COMFYUI_URL: comfy.url }));

  test('image and mask are uploaded and the built-in inpaint graph runs on them; the product stays', async () => {
    const job = await storyAroundPhoto(vitrine.server);
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

/**
 * A server for the enclosing describe whose only image model is `vendor`, a loopback fake that
 * answers every call with a textured 1080×1920 picture; `env` names it to Vitrine once it listens.
 */
function serverAgainst(vendor: FakeHttpServer, name: string, env: () => Record<string, string>) {
  const dirs = new TempDirs();
  let testConfig: TestConfig | undefined;
  const handle: { server: InProcessServer } = { server: undefined as unknown as InProcessServer };
  before(async () => {
    const answer = await texturedPng(1080, 1920);
    fakeImages.make = () => answer;
    await vendor.listen();
    testConfig = buildConfig('pglite', dirs.make(`vitrine-ai-backgrounds-${name}-`), env());
    handle.server = await startInProcessServer(testConfig.config);
  });
  after(async () => {
    fakeImages.make = makePng;
    await handle.server?.stop();
    await vendor.close();
    await testConfig?.dispose();
    dirs.cleanup();
  });
  return handle;
}

/** A story with the product photo, waited for: it must succeed. */
async function storyAroundPhoto(server: InProcessServer): Promise<Loose> {
  const photo = await uploadPhoto(server);
  const api = new HttpClient(server.url, server.adminKey ?? '');
  const job = (
    await api.post<Loose>('/v1/generations?wait=90', {
      template: 'story',
      params: { title: 'Night market', product_image: photo },
    })
  ).body;
  assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
  return job;
}
