import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createA1111Provider } from '../../src/providers/a1111/a1111-provider.ts';
import { displayUrl } from '../../src/providers/backend-status.ts';
import { createComfyUIProvider } from '../../src/providers/comfyui/comfyui-provider.ts';
import { FakeA1111Server } from '../fakes/a1111-server.ts';
import { FakeComfyUIServer } from '../fakes/comfyui-server.ts';
import { withDeadline } from '../support/wait.ts';

const limits = { max_concurrency: 2, timeout_ms: 10_000 };

describe('GPU server status for worker heartbeats', () => {
  const comfy = new FakeComfyUIServer();
  const a1111 = new FakeA1111Server();
  before(async () => {
    await comfy.listen();
    await a1111.listen();
  });
  after(async () => {
    await comfy.close();
    await a1111.close();
  });

  it('ComfyUI: the first device from /system_stats, the queue depth from /queue', async () => {
    const provider = createComfyUIProvider({ kind: 'comfyui', id: 'gpu', url: comfy.url, limits });
    const before = comfy.requests.length;
    const [status] = await provider.backendStatus!(AbortSignal.timeout(5000));
    assert.deepEqual(status, {
      url: comfy.url,
      ok: true,
      message: null,
      gpu: {
        name: 'cuda:0 NVIDIA L4 : cudaMallocAsync',
        memory_total_bytes: 23_580_639_232,
        memory_used_bytes: 23_580_639_232 - 19_293_798_400,
      },
      queue_depth: 0,
    });
    const sent = comfy.requests.slice(before).map((request) => `${request.method} ${request.path}`);
    assert.deepEqual(sent.sort(), ['GET /queue', 'GET /system_stats']);
  });

  it('ComfyUI: running and pending prompts both count', async () => {
    const provider = createComfyUIProvider({ kind: 'comfyui', id: 'gpu', url: comfy.url, limits });
    comfy.script('hang');
    const controller = new AbortController();
    let markRunning = () => {};
    const running = new Promise<void>((resolve) => {
      markRunning = resolve;
    });
    const call = provider.generate(
      {
        prompt: 'a chair',
        negativePrompt: '',
        model: 'comfyui-workflow',
        width: 512,
        height: 512,
        format: 'png',
        seeds: [1],
        layout: null,
        onProgress: () => markRunning(),
      },
      controller.signal,
    );
    comfy.pendingPrompts = 2;
    try {
      await withDeadline(running, 5000, 'the prompt to run');
      const [status] = await provider.backendStatus!(AbortSignal.timeout(5000));
      assert.equal(status!.queue_depth, 3);
    } finally {
      comfy.pendingPrompts = 0;
      controller.abort();
      await call.catch(() => {});
    }
  });

  it('a server that does not answer is reported, never thrown', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const provider = createComfyUIProvider({
      kind: 'comfyui',
      id: 'gpus',
      urls: [comfy.url, downUrl],
      limits,
    });
    const statuses = await provider.backendStatus!(AbortSignal.timeout(5000));
    assert.equal(statuses.length, 2);
    assert.equal(statuses[0]!.ok, true);
    assert.deepEqual(statuses[1], {
      url: downUrl,
      ok: false,
      message: 'ECONNREFUSED',
      gpu: null,
      queue_depth: null,
    });
  });

  it('URLs are shown without credentials', () => {
    assert.equal(displayUrl('https://user:secret@gpu1.internal:8188/'), 'https://gpu1.internal:8188');
    assert.equal(displayUrl('not a url'), 'not a url');
  });

  it('A1111: memory used and total from /sdapi/v1/memory (no GPU name in its API), sent with its auth', async () => {
    a1111.credentials = 'vitrine:pw';
    try {
      const provider = createA1111Provider({
        kind: 'a1111',
        id: 'forge',
        url: a1111.url,
        username: 'vitrine',
        password: 'pw',
        limits,
      });
      const [status] = await provider.backendStatus!(AbortSignal.timeout(5000));
      assert.deepEqual(status, {
        url: a1111.url,
        ok: true,
        message: null,
        gpu: { name: null, memory_used_bytes: 6 * 1024 ** 3, memory_total_bytes: 24 * 1024 ** 3 },
        queue_depth: 0,
      });
      const memory = a1111.requestsTo('/sdapi/v1/memory').at(-1)!;
      assert.equal(memory.headers.authorization, `Basic ${Buffer.from('vitrine:pw').toString('base64')}`);
      assert.equal(a1111.requestsTo('/sdapi/v1/progress').at(-1)!.query.get('skip_current_image'), 'true');
    } finally {
      a1111.credentials = undefined;
    }
  });

  it('A1111 without CUDA: no GPU, and says why', async () => {
    a1111.cudaAvailable = false;
    try {
      const provider = createA1111Provider({ kind: 'a1111', id: 'cpu', url: a1111.url, limits });
      const [status] = await provider.backendStatus!(AbortSignal.timeout(5000));
      assert.equal(status!.ok, true);
      assert.equal(status!.gpu, null);
      assert.equal(status!.message, 'no CUDA device (unavailable)');
    } finally {
      a1111.cudaAvailable = true;
    }
  });

  it('A1111 answering 401 is reported with the status', async () => {
    a1111.credentials = 'someone:else';
    try {
      const provider = createA1111Provider({ kind: 'a1111', id: 'locked', url: a1111.url, limits });
      const [status] = await provider.backendStatus!(AbortSignal.timeout(5000));
      assert.equal(status!.ok, false);
      assert.match(status!.message ?? '', /HTTP 401 from \/sdapi\/v1\//);
    } finally {
      a1111.credentials = undefined;
    }
  });
});
