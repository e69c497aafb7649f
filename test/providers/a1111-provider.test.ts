import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { a1111Error } from '../../src/providers/a1111/a1111-api.ts';
import { consecutiveRuns, createA1111Provider } from '../../src/providers/a1111/a1111-provider.ts';
import type { ImageCall } from '../../src/providers/spec.ts';
import { FakeA1111Server } from '../fakes/a1111-server.ts';
import { makePng } from '../fakes/fake-http.ts';

const call: ImageCall = {
  prompt: 'a wooden chair, white background',
  negativePrompt: 'shadow',
  model: '',
  width: 1001,
  height: 750,
  format: 'png',
  seeds: [100, 101, 102],
  layout: null,
};

describe('Automatic1111 provider', () => {
  const server = new FakeA1111Server();
  before(() => server.listen());
  after(() => server.close());

  const provider = (extra: Record<string, unknown> = {}) =>
    createA1111Provider(
      {
        kind: 'a1111',
        id: 'a1111',
        url: server.url,
        steps: 25,
        cfg_scale: 6,
        sampler_name: 'DPM++ 2M',
        limits: { max_concurrency: 1, timeout_ms: 10_000 },
        ...extra,
      },
      { progressIntervalMs: 5 },
    );

  it('groups consecutive seeds into batches', () => {
    assert.deepEqual(consecutiveRuns([1, 2, 3, 7, 8, 20], 8), [[1, 2, 3], [7, 8], [20]]);
    assert.deepEqual(consecutiveRuns([1, 2, 3], 2), [[1, 2], [3]]);
  });

  it('sends txt2img with batch_size, rounded sizes and entry settings; reads info a second time', async () => {
    const result = await provider().generate(call, AbortSignal.timeout(5000));
    const request = server.requestsTo('/sdapi/v1/txt2img').at(-1)!;
    assert.deepEqual(request.json, {
      prompt: 'a wooden chair, white background',
      negative_prompt: 'shadow',
      seed: 100,
      batch_size: 3,
      n_iter: 1,
      width: 1000,
      height: 752,
      send_images: true,
      save_images: false,
      steps: 25,
      cfg_scale: 6,
      sampler_name: 'DPM++ 2M',
    });
    assert.deepEqual(
      result.images.map((image) => image.seed),
      [100, 101, 102],
    );
    assert.equal(result.model, 'sdxl_base [31e35c80fc]');
  });

  it('skips the grid image of a batch', async () => {
    server.returnGrid = true;
    try {
      const result = await provider().generate({ ...call, seeds: [5, 6] }, AbortSignal.timeout(5000));
      assert.deepEqual(result.images[0]?.bytes, makePng(4, 4, 5));
      assert.equal(result.images.length, 2);
    } finally {
      server.returnGrid = false;
    }
  });

  it('sends img2img with init_images, denoising_strength, a checkpoint override and basic auth', async () => {
    server.credentials = 'ann:secret';
    try {
      const input = makePng(8, 8, 33);
      await provider({ username: 'ann', password: 'secret', models: ['juggernaut_xl'] }).generate(
        { ...call, seeds: [9], inputImage: { bytes: input, strength: 0.6 } },
        AbortSignal.timeout(5000),
      );
      const request = server.requestsTo('/sdapi/v1/img2img').at(-1)!;
      const body = request.json as Record<string, unknown>;
      assert.deepEqual(body.init_images, [Buffer.from(input).toString('base64')]);
      assert.equal(body.denoising_strength, 0.6);
      assert.deepEqual(body.override_settings, { sd_model_checkpoint: 'juggernaut_xl' });
      assert.equal(request.headers.authorization, `Basic ${Buffer.from('ann:secret').toString('base64')}`);
    } finally {
      server.credentials = undefined;
    }
  });

  it('splits 9 consecutive seeds into batches of 8 and 1', async () => {
    const before = server.requests.length;
    const result = await provider().generate(
      { ...call, seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
      AbortSignal.timeout(5000),
    );
    const batches = server.requests
      .slice(before)
      .filter((request) => request.path === '/sdapi/v1/txt2img')
      .map((request) => (request.json as { seed: number; batch_size: number }).batch_size);
    assert.deepEqual(batches, [8, 1]);
    assert.equal(result.images.length, 9);
  });

  it('maps a FastAPI 422 to invalid_request listing the fields, and a 500 to provider_unavailable', () => {
    const label = { providerId: 'a1111', vendor: 'Automatic1111' };
    const validation = a1111Error(
      label,
      422,
      new Headers(),
      JSON.stringify({
        detail: [
          { loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['body', 'width'], msg: 'value is not a valid integer', type: 'type_error.integer' },
        ],
      }),
    );
    assert.deepEqual([validation.code, validation.retryable], ['invalid_request', false]);
    assert.match(validation.message, /prompt: field required; width: value is not a valid integer/);
    const crash = a1111Error(
      label,
      500,
      new Headers(),
      JSON.stringify({ error: 'OutOfMemoryError', detail: '', body: '', errors: 'CUDA out of memory.' }),
    );
    assert.deepEqual([crash.code, crash.retryable], ['provider_unavailable', true]);
    assert.match(crash.message, /OutOfMemoryError: CUDA out of memory/);
  });
});
