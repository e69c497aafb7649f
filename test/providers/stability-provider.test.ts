import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImageCall } from '../../src/providers/spec.ts';
import { createStabilityProvider } from '../../src/providers/stability/stability-provider.ts';
import { makePng, type RecordedFile } from '../fakes/fake-http.ts';
import { FakeStabilityServer } from '../fakes/stability-server.ts';

const call: ImageCall = {
  prompt: 'a linen shirt on a hanger',
  negativePrompt: 'text, watermark',
  model: '',
  width: 1920,
  height: 1080,
  format: 'webp',
  seeds: [5, 6],
  layout: null,
};

describe('Stability provider', () => {
  const server = new FakeStabilityServer();
  before(() => server.listen());
  after(() => server.close());

  const provider = (extra: Record<string, unknown> = {}) =>
    createStabilityProvider({
      kind: 'stability',
      id: 'stability',
      api_key: 'sk-stability',
      base_url: server.url,
      limits: { max_concurrency: 4, timeout_ms: 10_000 },
      ...extra,
    });

  it('posts one multipart request per seed to core, with the nearest aspect ratio', async () => {
    const before = server.requests.length;
    const result = await provider({ style_preset: 'photographic' }).generate(call, AbortSignal.timeout(5000));
    const sent = server.requests.slice(before);
    assert.deepEqual(
      sent.map((request) => request.path),
      ['/v2beta/stable-image/generate/core', '/v2beta/stable-image/generate/core'],
    );
    assert.equal(sent[0]?.headers.authorization, 'Bearer sk-stability');
    assert.equal(sent[0]?.headers.accept, 'image/*');
    assert.deepEqual(sent[0]?.form, {
      prompt: 'a linen shirt on a hanger',
      aspect_ratio: '16:9',
      negative_prompt: 'text, watermark',
      seed: '5',
      output_format: 'webp',
      style_preset: 'photographic',
    });
    assert.deepEqual(
      result.images.map((image) => image.seed),
      [5, 6],
    );
    assert.equal(result.requestId, `stab_${before + 1}`);
  });

  it('sends sd3.5 turbo with model and mode, without a negative prompt, png instead of webp', async () => {
    const result = await provider({ models: ['sd3.5-large-turbo'] }).generate(
      { ...call, seeds: [0] },
      AbortSignal.timeout(5000),
    );
    const request = server.requests.at(-1)!;
    assert.equal(request.path, '/v2beta/stable-image/generate/sd3');
    assert.deepEqual(request.form, {
      prompt: 'a linen shirt on a hanger',
      model: 'sd3.5-large-turbo',
      mode: 'text-to-image',
      aspect_ratio: '16:9',
      seed: '0',
      output_format: 'png',
    });
    assert.equal(result.images[0]?.seed, 1_234_567_890, 'seed 0 is random; the header says which');
    assert.equal(result.images[0]?.format, 'png');
    assert.equal(result.warnings[0]?.type, 'unsupported');
  });

  it('sends image-to-image to sd3 with image and strength, and no aspect ratio', async () => {
    const input = makePng(8, 8, 99);
    await provider({ models: ['sd3.5-large'] }).generate(
      { ...call, seeds: [9], format: 'png', inputImage: { bytes: input, strength: 0.35 } },
      AbortSignal.timeout(5000),
    );
    const { image, ...fields } = server.requests.at(-1)!.form!;
    assert.deepEqual(fields, {
      prompt: 'a linen shirt on a hanger',
      model: 'sd3.5-large',
      mode: 'image-to-image',
      strength: '0.35',
      negative_prompt: 'text, watermark',
      seed: '9',
      output_format: 'png',
    });
    assert.deepEqual((image as RecordedFile).bytes, input);
  });

  it('refuses an input image for core', async () => {
    await assert.rejects(
      provider().generate(
        { ...call, inputImage: { bytes: makePng(2, 2), strength: 0.5 } },
        AbortSignal.timeout(5000),
      ),
      { code: 'invalid_request' },
    );
  });

  it('asks for JSON when configured, and reads image, seed and finish_reason from it', async () => {
    const result = await provider({ response_format: 'json' }).generate(
      { ...call, seeds: [77] },
      AbortSignal.timeout(5000),
    );
    assert.equal(server.requests.at(-1)?.headers.accept, 'application/json');
    assert.equal(result.images[0]?.seed, 77);
    assert.deepEqual(result.images[0]?.bytes, makePng(4, 4, 77));
    server.script('content_filter');
    await assert.rejects(provider({ response_format: 'json' }).generate(call, AbortSignal.timeout(5000)), {
      code: 'provider_rejected',
      retryable: false,
    });
  });

  it('maps 403 content_moderation to provider_rejected', async () => {
    server.contentFilterStyle = 'moderation_403';
    server.script('content_filter');
    try {
      await assert.rejects(provider().generate(call, AbortSignal.timeout(5000)), {
        code: 'provider_rejected',
        retryable: false,
        message: /flagged by our content moderation/,
      });
    } finally {
      server.contentFilterStyle = 'finish_reason';
    }
  });

  it('reports a bad key on checkHealth and the credits when fine', async () => {
    assert.equal((await provider().checkHealth(AbortSignal.timeout(5000))).message, '42.5 credits left');
    const health = await provider({ api_key: 'sk-wrong' }).checkHealth(AbortSignal.timeout(5000));
    assert.equal(health.ok, false);
    assert.match(health.message ?? '', /rejected our API key/);
  });
});
