import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bedrockSizeFor, buildBedrockBody } from '../../src/providers/bedrock/bedrock-bodies.ts';
import { createBedrockProvider } from '../../src/providers/bedrock/bedrock-provider.ts';
import type { ImageCall } from '../../src/providers/spec.ts';
import { FakeBedrockServer } from '../fakes/bedrock-server.ts';

const call: ImageCall = {
  prompt: 'a leather wallet on slate',
  negativePrompt: '',
  model: '',
  width: 1200,
  height: 800,
  format: 'png',
  seeds: [4, 5, 6],
  layout: null,
};

describe('Bedrock provider', () => {
  const server = new FakeBedrockServer();
  before(() => server.listen());
  after(() => server.close());

  const provider = (extra: Record<string, unknown> = {}) =>
    createBedrockProvider({
      kind: 'bedrock',
      id: 'bedrock',
      region: 'us-east-1',
      endpoint: server.url,
      access_key_id: 'AKIDTEST',
      secret_access_key: 'secret',
      limits: { max_concurrency: 4, timeout_ms: 10_000 },
      ...extra,
    });

  it('invokes Nova Canvas with TEXT_IMAGE, snapped size, numberOfImages and SigV4', async () => {
    const result = await provider({ cfg_scale: 6.5 }).generate(call, AbortSignal.timeout(5000));
    const request = server.requests.at(-1)!;
    // The SDK percent-encodes the colon of the model id in the path.
    assert.equal(request.path, '/model/amazon.nova-canvas-v1%3A0/invoke');
    assert.match(
      String(request.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d+\/us-east-1\/bedrock\/aws4_request/,
    );
    assert.deepEqual(request.json, {
      taskType: 'TEXT_IMAGE',
      textToImageParams: { text: 'a leather wallet on slate' },
      imageGenerationConfig: { numberOfImages: 3, width: 1200, height: 800, seed: 4, cfgScale: 6.5 },
    });
    assert.equal(result.images.length, 3);
    assert.equal(result.requestId, `aws-${server.requests.length}`);
    assert.ok(
      result.warnings.some((warning) => warning.type === 'other' && /one seed/.test(warning.message)),
    );
  });

  it('sends negativeText only when there is one, and splits calls above 5 images', async () => {
    const before = server.requests.length;
    await provider().generate(
      { ...call, negativePrompt: 'people', seeds: [1, 2, 3, 4, 5, 6, 7] },
      AbortSignal.timeout(5000),
    );
    const sent = server.requests
      .slice(before)
      .map((request) => request.json as Record<string, Record<string, unknown>>);
    assert.deepEqual(
      sent.map((body) => [body.imageGenerationConfig?.numberOfImages, body.imageGenerationConfig?.seed]),
      [
        [5, 1],
        [2, 6],
      ],
    );
    assert.equal(sent[0]?.textToImageParams?.negativeText, 'people');
  });

  it('builds Stability bodies and reads seeds from the answer', async () => {
    const result = await provider({ models: ['stability.sd3-large-v1:0'] }).generate(
      { ...call, negativePrompt: 'blur', seeds: [33] },
      AbortSignal.timeout(5000),
    );
    assert.deepEqual(server.requests.at(-1)?.json, {
      prompt: 'a leather wallet on slate',
      mode: 'text-to-image',
      aspect_ratio: '3:2',
      output_format: 'png',
      seed: 33,
      negative_prompt: 'blur',
    });
    assert.equal(result.images[0]?.seed, 33);
  });

  it('snaps sizes into each model family bounds', () => {
    assert.deepEqual(bedrockSizeFor('nova', { width: 5000, height: 5000 }), { width: 2048, height: 2048 });
    assert.deepEqual(bedrockSizeFor('nova', { width: 1000, height: 250 }), { width: 1280, height: 320 });
    assert.deepEqual(bedrockSizeFor('titan', { width: 1024, height: 1024 }), { width: 1024, height: 1024 });
    const body = buildBedrockBody(
      'amazon.titan-image-generator-v2:0',
      { ...call, width: 2000, height: 1000 },
      { seed: 3_000_000_000, count: 1, format: 'png' },
    );
    const config = body.imageGenerationConfig as { width: number; height: number; seed: number };
    assert.ok(config.width % 64 === 0 && config.height % 64 === 0 && config.width <= 1408);
    assert.ok(config.seed <= 2_147_483_646);
  });

  it('maps a rejected signature to a non-retryable provider_unavailable', async () => {
    await assert.rejects(provider({ access_key_id: 'AKIDWRONG' }).generate(call, AbortSignal.timeout(5000)), {
      code: 'provider_unavailable',
      retryable: false,
      message: /rejected our credentials/,
    });
  });

  it('maps a plain ValidationException to invalid_request', async () => {
    await assert.rejects(
      provider().generate({ ...call, prompt: 'x'.repeat(2000) }, AbortSignal.timeout(5000)),
      {
        code: 'invalid_request',
        retryable: false,
        message: /between 1 and 1024/,
      },
    );
  });

  it('leaves retries to the queue: one request per throttled or failed call', async () => {
    for (const scenario of ['rate_limit', 'server_error'] as const) {
      const before = server.requests.length;
      server.script(scenario);
      await assert.rejects(provider().generate({ ...call, seeds: [1] }, AbortSignal.timeout(5000)));
      assert.equal(server.requests.length - before, 1, `${scenario}: the SDK did not retry`);
    }
  });
});
