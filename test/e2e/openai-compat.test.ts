import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import sharp from 'sharp';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/** The official `openai` SDK, pointed at Vitrine, as the many tools built on it would be. */
describe('OpenAI-compatible images endpoint, through the official openai SDK', () => {
  const dirs = new TempDirs();
  let server: InProcessServer;
  let client: OpenAI;
  let dispose: () => Promise<void>;

  before(async () => {
    const testConfig = buildConfig('pglite', dirs.make('vitrine-openai-'));
    dispose = () => testConfig.dispose();
    server = await startInProcessServer(testConfig.config);
    client = new OpenAI({ apiKey: server.adminKey ?? '', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });

  after(async () => {
    await server?.stop();
    await dispose?.();
    dirs.cleanup();
  });

  test('with no image model configured, a prompt is refused naming the variables to set', async () => {
    await assert.rejects(client.images.generate({ prompt: 'Autumn collection is here' }), (error: Error) => {
      assert.match(error.message, /No image model is configured/);
      assert.match(error.message, /OPENAI_API_KEY/);
      assert.match(error.message, /COMFYUI_URL/);
      assert.equal((error as { status?: number }).status, 400);
      return true;
    });
  });

  test('images.generate with model "studio" (the typographic card) returns base64 images of the asked size', async () => {
    const response = await client.images.generate({
      model: 'studio',
      prompt: '夏季清仓促销',
      n: 2,
      size: '1024x1536',
      output_format: 'jpeg',
    });
    assert.equal(response.data?.length, 2);
    assert.ok(response.created > 1_700_000_000);
    for (const image of response.data ?? []) {
      const bytes = Buffer.from(image.b64_json ?? '', 'base64');
      const metadata = await sharp(bytes).metadata();
      assert.equal(metadata.format, 'jpeg');
      assert.deepEqual([metadata.width, metadata.height], [1024, 1536]);
      assert.match(image.revised_prompt ?? '', /夏季清仓促销/);
    }
  });

  test('model may name a template; response_format url gives a signed link that needs no key', async () => {
    const response = await client.images.generate({
      model: 'live_cover',
      prompt: 'Live tonight 8pm',
      response_format: 'url',
    });
    const url = response.data?.[0]?.url ?? '';
    assert.match(url, /\/v1\/assets\/[\w-]+\?exp=\d+&sig=/);
    const image = await fetch(url);
    assert.equal(image.status, 200);
    const metadata = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    assert.deepEqual([metadata.width, metadata.height], [1080, 1920]);
  });

  test('models.list names providers, provider/model pairs, templates and the assistant; a listed id works', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model');
      assert.ok(model.created > 0 && model.owned_by.length > 0);
      ids.push(model.id);
    }
    assert.ok(ids.includes('studio'), ids.join(', '));
    assert.ok(
      ids.some((id) => id.startsWith('studio/')),
      ids.join(', '),
    );
    assert.ok(ids.includes('product_hero'));
    assert.ok(ids.includes('vitrine-assistant'));
    const providerModel = ids.find((id) => id.startsWith('studio/'))!;
    const made = await client.images.generate({
      model: providerModel,
      prompt: 'Autumn sale',
      size: '512x512',
    });
    assert.equal(made.data?.length, 1);
    const stranger = new OpenAI({ apiKey: 'vk_wrong', baseURL: `${server.url}/v1`, maxRetries: 0 });
    await assert.rejects(stranger.models.list(), (error) => {
      assert.ok(error instanceof OpenAI.AuthenticationError);
      assert.equal(error.code, 'invalid_api_key');
      return true;
    });
  });

  test('errors arrive as the SDK error classes with OpenAI codes', async () => {
    await assert.rejects(client.images.generate({ model: 'no-such-model', prompt: 'x' }), (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.param, 'model');
      assert.match(error.message, /no-such-model/);
      return true;
    });
    await assert.rejects(client.images.generate({ prompt: 'x', size: '1024' as '1024x1024' }), (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError);
      assert.equal(error.param, 'size');
      return true;
    });
    const stranger = new OpenAI({ apiKey: 'vk_wrong', baseURL: `${server.url}/v1`, maxRetries: 0 });
    await assert.rejects(stranger.images.generate({ prompt: 'x' }), (error) => {
      assert.ok(error instanceof OpenAI.AuthenticationError);
      assert.equal(error.code, 'invalid_api_key');
      return true;
    });
  });
});

describe('OpenAI compatibility: a model whose provider is not configured says so', () => {
  const dirs = new TempDirs();
  let testConfig: TestConfig;
  let server: InProcessServer;
  before(async () => {
    testConfig = buildConfig('pglite', dirs.make('vitrine-openai-unconfigured-'));
    server = await startInProcessServer(testConfig.config);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    dirs.cleanup();
  });

  test('gpt-image-1, dall-e-3 and openai/gpt-image-1 name OPENAI_API_KEY', async () => {
    const api = new HttpClient(server.url, server.adminKey);
    for (const model of ['gpt-image-1', 'dall-e-3', 'openai/gpt-image-1']) {
      const answer = await api.post('/v1/images/generations', { model, prompt: 'a shirt' });
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body.error.param, 'model');
      assert.match(answer.body.error.message, /openai provider, which is not configured.*OPENAI_API_KEY/);
    }
  });
});
