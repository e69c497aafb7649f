import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { FakeA1111Server } from '../fakes/a1111-server.ts';
import { FakeBedrockServer } from '../fakes/bedrock-server.ts';
import { FakeComfyUIServer } from '../fakes/comfyui-server.ts';
import { type FakeHttpServer, fakeImages, makePng } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { FakeStabilityServer } from '../fakes/stability-server.ts';
import { buildConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

/** A 64×64 picture with stripes: what a model would answer, passing the blank/uniform checks. */
const TEXTURED = await sharp(
  Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, index) => ((index * 7) % 251) as number)),
  { raw: { width: 64, height: 64, channels: 3 } },
)
  .png()
  .toBuffer();

/**
 * Every backend connected the way a user connects it — the vendor variables of the contract — to
 * protocol-faithful servers on loopback, driven through the real API and queue.
 */
describe('every image backend through the server, configured by its environment variables', () => {
  const dirs = new TempDirs();
  const fakes = {
    openai: new FakeOpenAIServer(),
    stability: new FakeStabilityServer(),
    bedrock: new FakeBedrockServer(),
    comfyui: new FakeComfyUIServer(),
    a1111: new FakeA1111Server(),
  };
  let server: InProcessServer;
  let api: HttpClient;
  let dispose: () => Promise<void>;

  before(async () => {
    fakeImages.make = () => TEXTURED;
    fakes.openai.makeImage = () => TEXTURED;
    await Promise.all(Object.values(fakes).map((fake: FakeHttpServer) => fake.listen()));
    const testConfig = buildConfig('pglite', dirs.make('vitrine-backends-'), {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fakes.openai.url,
      STABILITY_API_KEY: 'sk-stability',
      STABILITY_BASE_URL: fakes.stability.url,
      BEDROCK_REGION: 'us-east-1',
      BEDROCK_ENDPOINT: fakes.bedrock.url,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      COMFYUI_URL: fakes.comfyui.url,
      A1111_URL: fakes.a1111.url,
    });
    dispose = () => testConfig.dispose();
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey ?? '');
  });

  after(async () => {
    fakeImages.make = makePng;
    await server?.stop();
    await dispose?.();
    await Promise.all(Object.values(fakes).map((fake: FakeHttpServer) => fake.close()));
    dirs.cleanup();
  });

  const generate = async (provider: string, extra: Record<string, unknown> = {}) =>
    (
      await api.post<Loose>('/v1/generations?wait=30', {
        prompt: 'linen shirt on an oak table',
        provider,
        width: 640,
        height: 800,
        cache: 'off',
        ...extra,
      })
    ).body;

  for (const provider of ['openai', 'stability', 'bedrock', 'comfyui', 'a1111'] as const) {
    test(`${provider}: a job succeeds with images of the asked size`, async () => {
      const job = await generate(provider, { n: 2, seed: 77 });
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
      assert.equal(job.provider, provider);
      assert.equal(job.images.length, 2);
      const bytes = Buffer.from(await (await fetch(job.images[0].url)).arrayBuffer());
      const metadata = await sharp(bytes).metadata();
      assert.deepEqual([metadata.width, metadata.height], [640, 800]);
      assert.ok(
        fakes[provider].requests.some((request) => request.method === 'POST'),
        'the backend was called',
      );
    });
  }

  for (const provider of ['openai', 'stability', 'bedrock'] as const) {
    test(`${provider}: a content-filter refusal fails at once with provider_rejected`, async () => {
      fakes[provider].script('content_filter');
      const job = await generate(provider);
      assert.equal(job.status, 'failed');
      assert.equal(job.error.code, 'provider_rejected');
      assert.equal(job.attempts, 1);
    });
  }

  test('comfyui: progress moves from the websocket into the job, and cancel interrupts the GPU', async () => {
    fakes.comfyui.script('hang');
    const created = (
      await api.post<Loose>('/v1/generations', { prompt: 'a slow render', provider: 'comfyui' })
    ).body;
    const stream = await fetch(`${server.url}/v1/jobs/${created.id}/events`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(received)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}: ${received}`);
        received += value;
      }
    };
    await withDeadline(readUntil(/event: progress\ndata: .*"progress":0\.\d+/), 10_000, 'a progress event');
    const canceled = await api.post<Loose>(`/v1/jobs/${created.id}/cancel`, {});
    assert.equal(canceled.body.status, 'canceled');
    await withDeadline(
      fakes.comfyui.waitForRequest((request) => request.path === '/interrupt' || request.path === '/queue'),
      10_000,
      'ComfyUI to be told',
    );
    await withDeadline(readUntil(/event: done/), 10_000, 'the stream to end');
    await reader.cancel();
  });
});
