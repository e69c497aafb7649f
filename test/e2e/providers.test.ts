import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { buildConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { texturedPng } from '../support/images.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';

/** The real server with the real OpenAI adapter, pointed at a protocol-faithful OpenAI on loopback. */
describe('jobs through a real image backend: sizes, prices, refusals, rate limits, fallback', () => {
  const dirs = new TempDirs();
  const openai = new FakeOpenAIServer();
  const images = new Map<string, Uint8Array>();
  let server: InProcessServer;
  let api: HttpClient;
  let dispose: () => Promise<void>;

  before(async () => {
    await openai.listen();
    for (const size of ['1024x1024', '1024x1536', '1536x1024'])
      images.set(size, await texturedPng(...(size.split('x').map(Number) as [number, number])));
    openai.makeImage = (size) => images.get(size) ?? new Uint8Array();
    const dataDir = dirs.make('vitrine-providers-');
    const configFile = path.join(dataDir, 'vitrine.yaml');
    writeFileSync(
      configFile,
      [
        'providers:',
        '  - kind: openai',
        '    api_key: sk-test',
        `    base_url: ${openai.url}`,
        '    limits: { max_concurrency: 2, timeout_ms: 5000 }',
        'routing:',
        '  rules:',
        '    - when: { template: blog_hero }',
        '      use: openai',
        '      fallback: [studio]',
        '    - when: { prompt_only: true }',
        '      use: openai',
      ].join('\n'),
    );
    const testConfig = buildConfig('pglite', dataDir, { VITRINE_CONFIG: configFile });
    dispose = () => testConfig.dispose();
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey ?? '');
  });

  after(async () => {
    await server?.stop();
    await dispose?.();
    await openai.close();
    dirs.cleanup();
  });

  const generate = (body: Record<string, unknown>) => api.post<Loose>('/v1/generations?wait=30', body);

  test('a model renders its nearest size; the job gets the asked size, a warning and its list price', async () => {
    const before = openai.requests.length;
    const response = await generate({
      prompt: 'linen shirt on oak',
      provider: 'openai',
      width: 1080,
      height: 1920,
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const job = response.body;
    assert.equal(job.status, 'succeeded');
    assert.equal(job.model, 'gpt-image-1');
    assert.equal(job.cost_usd, 0.063, 'gpt-image-1 at 1024×1536');
    assert.match(
      JSON.stringify(job.warnings),
      /produced 1024×1536; cropped and resized to the asked 1080×1920/,
    );
    const sent = openai.requests.slice(before).find((request) => request.path === '/v1/images/generations');
    assert.equal(sent?.headers.authorization, 'Bearer sk-test');
    assert.deepEqual((sent?.json as Loose | undefined)?.size, '1024x1536');
    const image = await fetch(job.images[0].url);
    const metadata = await sharp(Buffer.from(await image.arrayBuffer())).metadata();
    assert.deepEqual([metadata.width, metadata.height], [1080, 1920]);
  });

  test('a content-filter refusal fails the job at once with provider_rejected', async () => {
    openai.script('content_filter');
    const job = (await generate({ prompt: 'something refused', provider: 'openai' })).body;
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'provider_rejected');
    assert.equal(job.attempts, 1, 'never retried');
  });

  test('a 429 pauses the provider for the hinted time; the job then succeeds', async () => {
    openai.script('rate_limit_with_hint');
    const started = Date.now();
    const job = (await generate({ prompt: 'after a 429', provider: 'openai' })).body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.ok(Date.now() - started >= 1400, 'waited out the 1.5 s the vendor asked for');
    const providers = (await api.get<Loose>('/v1/providers')).body.data as Loose[];
    const state = providers.find((provider) => provider.id === 'openai');
    assert.equal(state?.calls.rateLimitedCalls, 1);
    assert.equal(state?.circuit.state, 'closed');
  });

  test('an outage on the routed provider moves the job to its fallback in the same attempt', async () => {
    openai.script('server_error');
    const job = (await generate({ template: 'blog_hero', params: { title: 'Autumn arrivals' } })).body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.provider, 'studio');
    assert.equal(job.attempts, 1);
    assert.match(JSON.stringify(job.warnings), /openai failed .*moved on/);
    const routed = (await generate({ template: 'blog_hero', params: { title: 'Back up' } })).body;
    assert.equal(routed.provider, 'openai', 'the rule routes to openai again once it answers');
  });

  test('a layout with a generated background gets it from the routed image model', async () => {
    const before = openai.requests.length;
    const job = (await generate({ template: 'story', params: { title: 'Night market' } })).body;
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.provider, 'studio', 'the studio draws the layout');
    assert.equal(job.cost_usd, 0.063, 'the backdrop is paid for: gpt-image-1 at 1024×1536');
    assert.match(JSON.stringify(job.warnings), /generated background came from openai\/gpt-image-1/);
    const sent = openai.requests.slice(before).find((request) => request.path === '/v1/images/generations');
    assert.match(
      String((sent?.json as Loose | undefined)?.prompt),
      /Vertical atmospheric backdrop for Night market/,
    );
  });

  test('vitrine providers against the server lists the backend with its limits and state', async () => {
    const result = await runCli(['providers', '--server', server.url], {
      env: { VITRINE_API_KEY: server.adminKey ?? '' },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /openai \(openai\) — healthy, circuit closed/);
    assert.match(result.stdout, /limits: no pace limit, 2 at once, 5s timeout/);
  });
});
