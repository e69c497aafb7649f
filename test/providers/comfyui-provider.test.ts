import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BINARY_PREVIEW_IMAGE, parseBinaryFrameHeader } from '../../src/providers/comfyui/comfyui-events.ts';
import { createComfyUIProvider } from '../../src/providers/comfyui/comfyui-provider.ts';
import { ComfyServerPool } from '../../src/providers/comfyui/server-pool.ts';
import {
  fillWorkflow,
  loadWorkflowTemplate,
  parseWorkflowTemplate,
} from '../../src/providers/comfyui/workflow-template.ts';
import type { ImageCall } from '../../src/providers/spec.ts';
import { FakeComfyUIServer } from '../fakes/comfyui-server.ts';
import { makePng, type RecordedFile } from '../fakes/fake-http.ts';
import { withDeadline } from '../support/wait.ts';

const call: ImageCall = {
  prompt: 'a glass vase with tulips',
  negativePrompt: 'low quality',
  model: '',
  width: 1001,
  height: 1400,
  format: 'png',
  seeds: [7, 8],
  layout: null,
};

const limits = { max_concurrency: 4, timeout_ms: 10_000 };

describe('ComfyUI workflow templates', () => {
  it('ships valid built-in text and image workflows', () => {
    const text = loadWorkflowTemplate('builtin:text-to-image');
    assert.equal(text.output_node, '9');
    const image = loadWorkflowTemplate('builtin:image-to-image', { needsInputImage: true });
    assert.deepEqual(image.parameters.input_image, [{ node: '10', input: 'image' }]);
    const inpaint = loadWorkflowTemplate('builtin:inpaint', { needsInputImage: true, needsInputMask: true });
    assert.deepEqual(inpaint.parameters.input_mask, [{ node: '12', input: 'image' }]);
    assert.throws(
      () => loadWorkflowTemplate('builtin:image-to-image', { needsInputMask: true }),
      /maps no 'input_mask'/,
    );
  });

  it('names the bad field of an invalid template', () => {
    const template = structuredClone(loadWorkflowTemplate('builtin:text-to-image')) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    (template.parameters as Record<string, unknown>).seed = [{ node: '99', input: 'seed' }];
    (template.parameters as Record<string, unknown>).steps = [{ node: '3', input: 'stepz' }];
    assert.throws(
      () => parseWorkflowTemplate(template, 'mine.json'),
      /mine\.json is invalid: parameters\.seed\[0\]\.node: node '99' is not in the workflow; parameters\.steps\[0\]\.input: node '3' \(KSampler\) has no input 'stepz'/,
    );
    assert.throws(
      () => parseWorkflowTemplate({ ...template, parameters: { prompt: [], colour: [] } }, 'x.json'),
      /parameters\.prompt|colour/,
    );
    assert.throws(
      () => loadWorkflowTemplate('builtin:text-to-image', { needsInputImage: true }),
      /maps no 'input_image'/,
    );
  });

  it('loads a user template from a file, feeding one parameter into several inputs', async () => {
    const template = structuredClone(loadWorkflowTemplate('builtin:text-to-image'));
    template.parameters.prompt = [
      { node: '6', input: 'text' },
      { node: '9', input: 'filename_prefix' },
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'vitrine-comfy-')), 'mine.json');
    writeFileSync(file, JSON.stringify(template));
    const filled = fillWorkflow(loadWorkflowTemplate(file), { prompt: 'shoes' });
    assert.equal(filled['9']?.inputs.filename_prefix, 'shoes');
    assert.throws(
      () => loadWorkflowTemplate(join(file, '..', 'absent.json')),
      /absent\.json could not be read/,
    );
  });

  it('fills every mapped input and leaves the template untouched', () => {
    const template = loadWorkflowTemplate('builtin:text-to-image');
    const filled = fillWorkflow(template, { prompt: 'p', seed: 3, width: 512 });
    assert.equal(filled['6']?.inputs.text, 'p');
    assert.equal(filled['3']?.inputs.seed, 3);
    assert.equal(filled['5']?.inputs.width, 512);
    assert.equal(template.workflow['6']?.inputs.text, '');
  });
});

describe('ComfyUI binary frames', () => {
  it('reads the 8-byte header of a preview frame and refuses shorter frames', () => {
    const frame = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 2, 0x89, 0x50]);
    assert.deepEqual(parseBinaryFrameHeader(frame.buffer), {
      eventType: BINARY_PREVIEW_IMAGE,
      imageFormat: 2,
    });
    assert.equal(parseBinaryFrameHeader(new Uint8Array([0, 0, 0, 1]).buffer), undefined);
  });
});

describe('ComfyUI server pool', () => {
  it('picks the fewest in flight, round-robin on ties, and skips a refusing server for a while', () => {
    let now = 0;
    const pool = new ComfyServerPool(['http://a', 'http://b'], { cooldownMs: 1000, now: () => now });
    const first = pool.acquire();
    const second = pool.acquire();
    assert.deepEqual([first.url, second.url], ['http://a', 'http://b']);
    first.release({ connectionFailed: false });
    assert.equal(pool.acquire().url, 'http://a', 'a has fewer in flight');
    second.release({ connectionFailed: true });
    assert.equal(pool.acquire().url, 'http://a', 'b is cooling down');
    now = 1500;
    assert.equal(pool.acquire().url, 'http://b', 'b is back after the cool-down');
  });
});

describe('ComfyUI provider', () => {
  const server = new FakeComfyUIServer();
  before(() => server.listen());
  after(() => server.close());

  const provider = (extra: Record<string, unknown> = {}) =>
    createComfyUIProvider(
      {
        kind: 'comfyui',
        id: 'comfyui',
        url: server.url,
        checkpoint: 'juggernaut_xl.safetensors',
        steps: 30,
        cfg: 5.5,
        limits,
        ...extra,
      },
      { historyPollIntervalMs: 5 },
    );

  it('queues one filled workflow per seed with the websocket client id, and fetches each output', async () => {
    const before = server.requests.length;
    const connected = new Promise<string>((resolve) => server.once('ws-connected', resolve));
    const result = await provider().generate(call, AbortSignal.timeout(5000));
    const clientId = await connected;
    const prompts = server.requests.slice(before).filter((request) => request.path === '/prompt');
    assert.equal(prompts.length, 2);
    const body = prompts[0]?.json as {
      client_id: string;
      prompt: Record<string, { inputs: Record<string, unknown> }>;
    };
    assert.equal(body.client_id, clientId);
    assert.equal(body.prompt['6']?.inputs.text, 'a glass vase with tulips');
    assert.equal(body.prompt['7']?.inputs.text, 'low quality');
    assert.deepEqual(
      {
        ...body.prompt['3']?.inputs,
        model: undefined,
        positive: undefined,
        negative: undefined,
        latent_image: undefined,
      },
      {
        seed: 7,
        steps: 30,
        cfg: 5.5,
        sampler_name: 'dpmpp_2m',
        scheduler: 'karras',
        denoise: 1,
        model: undefined,
        positive: undefined,
        negative: undefined,
        latent_image: undefined,
      },
    );
    assert.deepEqual(body.prompt['5']?.inputs, { width: 1000, height: 1400, batch_size: 1 });
    assert.equal(body.prompt['4']?.inputs.ckpt_name, 'juggernaut_xl.safetensors');
    const views = server.requests.slice(before).filter((request) => request.path === '/view');
    assert.deepEqual(
      views.map((request) => Object.fromEntries(request.query)),
      [
        { filename: 'gpu0_7_00001_.png', subfolder: '', type: 'output' },
        { filename: 'gpu0_8_00001_.png', subfolder: '', type: 'output' },
      ],
    );
    assert.deepEqual(
      result.images.map((image) => [image.seed, image.format]),
      [
        [7, 'png'],
        [8, 'png'],
      ],
    );
    assert.deepEqual(result.images[1]?.bytes, makePng(4, 4, 8));
    assert.equal(result.requestId, [...server.prompts.keys()].at(-2), 'the first prompt id');
  });

  it('uploads the input image and runs the image workflow with denoise = strength', async () => {
    const before = server.requests.length;
    const input = makePng(8, 8, 50);
    await provider().generate(
      { ...call, seeds: [1], inputImage: { bytes: input, strength: 0.45 } },
      AbortSignal.timeout(5000),
    );
    const sent = server.requests.slice(before);
    const upload = sent.find((request) => request.path === '/upload/image')!;
    const file = upload.form?.image as RecordedFile;
    assert.deepEqual(file.bytes, input);
    assert.equal(file.type, 'image/png');
    assert.deepEqual(
      { type: upload.form?.type, overwrite: upload.form?.overwrite },
      { type: 'input', overwrite: 'true' },
    );
    const prompt = (
      sent.find((request) => request.path === '/prompt')!.json as {
        prompt: Record<string, { inputs: Record<string, unknown> }>;
      }
    ).prompt;
    assert.equal(prompt['10']?.inputs.image, file.filename);
    assert.equal(prompt['3']?.inputs.denoise, 0.45);
  });

  it('with a mask, uploads image and mask and runs the inpaint workflow (LoadImageMask alpha → VAEEncodeForInpaint)', async () => {
    const before = server.requests.length;
    const input = makePng(8, 8, 60);
    const mask = makePng(8, 8, 0);
    await provider().generate(
      { ...call, seeds: [3], inputImage: { bytes: input, strength: 1, mask } },
      AbortSignal.timeout(5000),
    );
    const sent = server.requests.slice(before);
    const uploads = sent.filter((request) => request.path === '/upload/image');
    assert.equal(uploads.length, 2, 'the image and the mask');
    const [imageFile, maskFile] = uploads.map((upload) => upload.form?.image as RecordedFile);
    assert.deepEqual(imageFile?.bytes, input);
    assert.deepEqual(maskFile?.bytes, mask);
    const prompt = (
      sent.find((request) => request.path === '/prompt')!.json as {
        prompt: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
      }
    ).prompt;
    const byClass = (type: string) => Object.entries(prompt).find(([, node]) => node.class_type === type);
    const [loadId, load] = byClass('LoadImage')!;
    const [maskId, maskNode] = byClass('LoadImageMask')!;
    const [encodeId, encode] = byClass('VAEEncodeForInpaint')!;
    const [, sampler] = byClass('KSampler')!;
    assert.equal(load.inputs.image, imageFile?.filename);
    assert.deepEqual([maskNode.inputs.image, maskNode.inputs.channel], [maskFile?.filename, 'alpha']);
    assert.deepEqual(
      [encode.inputs.pixels, encode.inputs.mask],
      [
        [loadId, 0],
        [maskId, 0],
      ],
    );
    assert.deepEqual(sampler.inputs.latent_image, [encodeId, 0]);
    assert.equal(sampler.inputs.denoise, 1);
    assert.equal(sampler.inputs.seed, 3);
    assert.ok(byClass('SaveImage'), 'the output node');
  });

  it('the fake refuses an inpaint graph whose mask was never uploaded, as ComfyUI does', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vitrine-comfy-')), 'inpaint.json');
    const template = structuredClone(loadWorkflowTemplate('builtin:inpaint')) as {
      parameters: Record<string, unknown>;
    };
    delete template.parameters.input_mask;
    template.parameters.input_mask = [{ node: '10', input: 'image' }];
    writeFileSync(file, JSON.stringify(template));
    await assert.rejects(
      provider({ inpaint_workflow: file }).generate(
        { ...call, seeds: [1], inputImage: { bytes: makePng(8, 8, 1), strength: 1, mask: makePng(8, 8, 0) } },
        AbortSignal.timeout(5000),
      ),
      /Invalid image file: example-mask\.png/,
    );
  });

  it('maps node errors back to the named parameter', async () => {
    await assert.rejects(
      provider({ checkpoint: 'missing.safetensors' }).generate(call, AbortSignal.timeout(5000)),
      (error: Error & { code: string; details: { issues: { field: string }[] } }) => {
        assert.equal(error.code, 'invalid_request');
        assert.match(
          error.message,
          /checkpoint: Value not in list: ckpt_name: 'missing\.safetensors' not in/,
        );
        assert.equal(error.details.issues[0]?.field, 'checkpoint');
        return true;
      },
    );
  });

  it('polls the history when the websocket drops mid-run', async () => {
    server.dropWebSocketAfterStart = true;
    try {
      const result = await provider().generate({ ...call, seeds: [3] }, AbortSignal.timeout(5000));
      assert.equal(result.images.length, 1);
      const id = [...server.prompts.keys()].at(-1);
      assert.ok(server.requestsTo(`/history/${id}`).length >= 2, 'polled until the entry appeared');
    } finally {
      server.dropWebSocketAfterStart = false;
    }
  });

  it('retries out-of-memory execution errors, not others', async () => {
    server.nextExecutionError = { type: 'torch.OutOfMemoryError', message: 'Allocation on device' };
    await assert.rejects(provider().generate(call, AbortSignal.timeout(5000)), {
      code: 'provider_unavailable',
      retryable: true,
      message: /node 3 \(KSampler\) \[seed, steps, cfg\]/,
    });
    server.nextExecutionError = { type: 'ValueError', message: 'bad sampler' };
    await assert.rejects(provider().generate(call, AbortSignal.timeout(5000)), {
      code: 'provider_unavailable',
      retryable: false,
    });
  });

  it('interrupts exactly its running prompt on abort', async () => {
    server.script('hang');
    const controller = new AbortController();
    let markRunning = () => {};
    const running = new Promise<void>((resolve) => {
      markRunning = resolve;
    });
    const pending = provider().generate(
      { ...call, seeds: [5], onProgress: () => markRunning() },
      controller.signal,
    );
    await withDeadline(running, 3000, 'the prompt to run');
    const promptId = [...server.prompts.keys()].at(-1);
    controller.abort();
    await assert.rejects(pending, { code: 'canceled', retryable: false });
    const interrupt = await withDeadline(
      server.waitForRequest((request) => request.path === '/interrupt'),
      3000,
      'the interrupt',
    );
    assert.deepEqual(interrupt.json, { prompt_id: promptId });
  });

  it('dequeues a prompt aborted before it ran', async () => {
    server.script('hang');
    const controller = new AbortController();
    const pending = provider().generate({ ...call, seeds: [6] }, controller.signal);
    await server.waitForRequest(
      (request) =>
        request.path === '/prompt' &&
        (request.json as { prompt: Record<string, { inputs: { seed?: number } }> }).prompt['3']?.inputs
          .seed === 6,
    );
    const promptId = [...server.prompts.keys()].at(-1)!;
    controller.abort();
    await assert.rejects(pending, { code: 'canceled' });
    // Not known to be running yet: a dequeue (or, if execution_start already arrived, an interrupt).
    const cancel = await withDeadline(
      server.waitForRequest(
        (request) =>
          ['/queue', '/interrupt'].includes(request.path) && JSON.stringify(request.json).includes(promptId),
      ),
      3000,
      'the cancel',
    );
    assert.ok(cancel);
  });
});

describe('ComfyUI provider with several servers', () => {
  const gpus = [new FakeComfyUIServer(), new FakeComfyUIServer()];
  before(async () => {
    gpus[1]!.name = 'gpu1';
    await Promise.all(gpus.map((gpu) => gpu.listen()));
  });
  after(() => Promise.all(gpus.map((gpu) => gpu.close())));

  it('spreads concurrent calls over the servers', async () => {
    const comfy = createComfyUIProvider({
      kind: 'comfyui',
      id: 'comfy',
      urls: gpus.map((gpu) => gpu.url),
      limits,
    });
    const results = await Promise.all(
      [1, 2, 3, 4].map((seed) => comfy.generate({ ...call, seeds: [seed] }, AbortSignal.timeout(5000))),
    );
    assert.equal(results.length, 4);
    assert.deepEqual(
      gpus.map((gpu) => gpu.requestsTo('/prompt').length),
      [2, 2],
    );
  });

  it('skips a server that refuses connections', async () => {
    const dead = `http://127.0.0.1:1`;
    const comfy = createComfyUIProvider({ kind: 'comfyui', id: 'comfy', urls: [dead, gpus[0]!.url], limits });
    await assert.rejects(comfy.generate({ ...call, seeds: [1] }, AbortSignal.timeout(5000)), {
      code: 'provider_unavailable',
      retryable: true,
    });
    const before = gpus[0]!.requestsTo('/prompt').length;
    await comfy.generate({ ...call, seeds: [2] }, AbortSignal.timeout(5000));
    await comfy.generate({ ...call, seeds: [3] }, AbortSignal.timeout(5000));
    assert.equal(gpus[0]!.requestsTo('/prompt').length, before + 2);
    const health = await comfy.checkHealth(AbortSignal.timeout(5000));
    assert.equal(health.ok, true);
    assert.match(
      health.message ?? '',
      /127\.0\.0\.1:1: .*; http:\/\/127\.0\.0\.1:\d+: ok \(cuda:0 NVIDIA L4[^)]*\)/,
    );
  });
});
