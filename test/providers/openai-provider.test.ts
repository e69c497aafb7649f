import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOpenAIProvider, openaiApiRoot } from '../../src/providers/openai/openai-provider.ts';
import type { ImageCall } from '../../src/providers/spec.ts';
import { makePng, type RecordedFile } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';

const call: ImageCall = {
  prompt: 'a red mug on oak',
  negativePrompt: '',
  model: '',
  width: 1200,
  height: 800,
  format: 'webp',
  seeds: [1, 2],
  layout: null,
};

describe('OpenAI provider', () => {
  const server = new FakeOpenAIServer();
  before(() => server.listen());
  after(() => server.close());

  const provider = (extra: Record<string, unknown> = {}) =>
    createOpenAIProvider({
      kind: 'openai',
      id: 'openai',
      api_key: 'sk-test',
      base_url: server.url,
      organization: 'org-1',
      quality: 'high',
      limits: { max_concurrency: 4, timeout_ms: 10_000 },
      ...extra,
    });

  it('accepts base URLs with or without /v1', () => {
    assert.equal(openaiApiRoot(undefined), 'https://api.openai.com/v1');
    assert.equal(openaiApiRoot('https://gw.example/openai/v1/'), 'https://gw.example/openai/v1');
    assert.equal(openaiApiRoot('https://gw.example/'), 'https://gw.example/v1');
  });

  it('sends a gpt-image generation with the nearest size, output_format and no response_format', async () => {
    const result = await provider().generate(call, AbortSignal.timeout(5000));
    const request = server.requests.at(-1)!;
    assert.equal(request.path, '/v1/images/generations');
    assert.equal(request.headers.authorization, 'Bearer sk-test');
    assert.equal(request.headers['openai-organization'], 'org-1');
    assert.deepEqual(request.json, {
      model: 'gpt-image-1',
      prompt: 'a red mug on oak',
      n: 2,
      size: '1536x1024',
      quality: 'high',
      output_format: 'webp',
    });
    assert.equal(result.images.length, 2);
    assert.deepEqual(
      result.images.map((image) => [image.format, image.seed]),
      [
        ['png', 1],
        ['png', 2],
      ],
    );
    assert.equal(result.model, 'gpt-image-1');
    assert.match(result.requestId ?? '', /^req_/);
    assert.deepEqual(result.warnings[0], {
      type: 'unsupported',
      feature: 'seed',
      details: 'OpenAI Images has no seed',
    });
  });

  it('calls dall-e-3 once per image with b64_json and its own sizes', async () => {
    const before = server.requests.length;
    const dalle = provider({ models: ['dall-e-3'] });
    assert.equal(dalle.capabilities.maxImagesPerCall, 1);
    const result = await dalle.generate({ ...call, width: 600, height: 1200 }, AbortSignal.timeout(5000));
    const sent = server.requests.slice(before);
    assert.equal(sent.length, 2);
    for (const request of sent) {
      assert.deepEqual(request.json, {
        model: 'dall-e-3',
        prompt: 'a red mug on oak',
        n: 1,
        size: '1024x1792',
        quality: 'high',
        response_format: 'b64_json',
      });
    }
    assert.deepEqual(
      result.images.map((image) => image.seed),
      [1, 2],
    );
  });

  it('downloads url answers', async () => {
    server.answerWithUrls = true;
    try {
      const result = await provider().generate({ ...call, seeds: [7] }, AbortSignal.timeout(5000));
      assert.deepEqual(result.images[0]?.bytes, makePng(4, 4, 10));
      assert.equal(server.requests.at(-1)?.path, '/files/10');
      assert.equal(server.requests.at(-1)?.headers.authorization, undefined);
    } finally {
      server.answerWithUrls = false;
    }
  });

  it('sends edits as multipart with the input image', async () => {
    const input = makePng(8, 8, 200);
    await provider().generate(
      { ...call, seeds: [3], inputImage: { bytes: input, strength: 0.5 } },
      AbortSignal.timeout(5000),
    );
    const request = server.requests.at(-1)!;
    assert.equal(request.path, '/v1/images/edits');
    assert.match(String(request.headers['content-type']), /^multipart\/form-data; boundary=/);
    const { image, ...fields } = request.form!;
    assert.deepEqual(fields, {
      model: 'gpt-image-1',
      prompt: 'a red mug on oak',
      n: '1',
      size: '1536x1024',
      quality: 'high',
      output_format: 'webp',
    });
    const file = image as RecordedFile;
    assert.equal(file.type, 'image/png');
    assert.deepEqual(file.bytes, input);
  });

  it('maps insufficient_quota to quota_exceeded, not retried', async () => {
    server.quotaExhausted = true;
    try {
      await assert.rejects(provider().generate(call, AbortSignal.timeout(5000)), {
        code: 'quota_exceeded',
        retryable: false,
      });
    } finally {
      server.quotaExhausted = false;
    }
  });

  it('maps a missing prompt (400) to invalid_request with the vendor message', async () => {
    await assert.rejects(provider().generate({ ...call, prompt: '' }, AbortSignal.timeout(5000)), {
      code: 'invalid_request',
      retryable: false,
      message: /Missing required parameter: 'prompt'/,
    });
  });

  it('reports a bad key on checkHealth', async () => {
    const health = await provider({ api_key: 'sk-wrong' }).checkHealth(AbortSignal.timeout(5000));
    assert.equal(health.ok, false);
    assert.match(health.message ?? '', /rejected our API key/);
  });
});
