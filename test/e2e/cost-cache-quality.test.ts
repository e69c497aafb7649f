import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makePng } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { assertError, bannerTemplate } from '../support/api-fixtures.ts';
import { buildConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { texturedPng } from '../support/images.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

describe('cost, the request cache and quality retries, through a model backend (in-process server, embedded database)', () => {
  const dirs = new TempDirs();
  const openai = new FakeOpenAIServer();
  let server: InProcessServer;
  let api: HttpClient;
  let dispose: () => Promise<void>;
  let textured: Uint8Array;

  before(async () => {
    await openai.listen();
    textured = await texturedPng(1024, 1024);
    openai.makeImage = () => textured;
    const dataDir = dirs.make('vitrine-cache-');
    const configFile = path.join(dataDir, 'vitrine.yaml');
    writeFileSync(
      configFile,
      ['providers:', '  - kind: openai', '    api_key: sk-test', `    base_url: ${openai.url}`].join('\n'),
    );
    const testConfig = buildConfig('pglite', dataDir, { VITRINE_CONFIG: configFile });
    dispose = () => testConfig.dispose();
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
    assert.equal((await api.post('/v1/templates', bannerTemplate)).status, 201);
  });
  after(async () => {
    await server?.stop();
    await dispose?.();
    await openai.close();
    dirs.cleanup();
  });

  const generate = async (body: Record<string, unknown>) => {
    const response = await api.post<Loose>('/v1/generations?wait=30', {
      provider: 'openai',
      width: 1024,
      height: 1024,
      ...body,
    });
    assert.equal(response.status, 200, response.text);
    return response.body;
  };
  const modelCalls = () =>
    openai.requests.filter((request) => request.path === '/v1/images/generations').length;

  test('exact: the same request again returns the stored images at no cost, without a model call', async () => {
    const first = await generate({ prompt: 'a red linen shirt on a wooden hanger, soft window light' });
    assert.equal(first.cache, 'miss');
    assert.ok(first.cost_usd > 0);
    const calls = modelCalls();
    const second = await generate({ prompt: 'A red linen shirt on a wooden hanger,  soft window light' });
    assert.equal(second.cache, 'exact');
    assert.equal(second.cost_usd, 0);
    assert.equal(second.status, 'succeeded');
    assert.notEqual(second.id, first.id);
    assert.equal(modelCalls(), calls, 'no model call for a hit');
    const [a, b] = await Promise.all([
      api.bytes(first.images[0].url, { key: null }),
      api.bytes(second.images[0].url, { key: null }),
    ]);
    assert.deepEqual(b.bytes, a.bytes);

    const off = await generate({
      prompt: 'a red linen shirt on a wooden hanger, soft window light',
      cache: 'off',
    });
    assert.equal(off.cache, 'miss');
    const seeded = await generate({
      prompt: 'a red linen shirt on a wooden hanger, soft window light',
      seed: 7,
    });
    assert.equal(seeded.cache, 'miss', 'another asked seed is another request');
    assert.equal(modelCalls(), calls + 2);
  });

  test('similar (opt-in): near-duplicate prompts hit in English and Chinese; others miss', async () => {
    await generate({ prompt: 'Summer sale poster, 20% off linen dresses, beach at golden hour' });
    await generate({ prompt: '夏季清仓促销,满200减50,亚麻连衣裙,海边黄昏' });
    const calls = modelCalls();
    const english = await generate({
      prompt: 'Summer sale poster, 20% off linen dresses, beach at golden hour!',
      cache: 'similar',
    });
    assert.equal(english.cache, 'similar');
    const chinese = await generate({
      prompt: '夏季清仓促销,满200减50,亚麻连衣裙,海边黄昏!',
      cache: 'similar',
    });
    assert.equal(chinese.cache, 'similar');
    assert.equal(modelCalls(), calls);
    const exactOnly = await generate({
      prompt: 'Summer sale poster, 20% off linen dresses, beach at golden hour!!',
    });
    assert.equal(exactOnly.cache, 'miss', 'near-duplicates hit only when asked');
    const different = await generate({ prompt: '冬季新品,羊毛大衣,雪地街拍', cache: 'similar' });
    assert.equal(different.cache, 'miss');

    const metrics = await api.get('/metrics');
    assert.match(metrics.text, /vitrine_cache_lookups_total\{kind="similar",outcome="hit"\} 2/);
    assert.match(metrics.text, /vitrine_cache_hit_ratio\{kind="exact"\} 0\.\d+/);
  });

  test('a batch uploaded again costs nothing and finishes from the cache', async () => {
    const rows = Array.from({ length: 12 }, (_, index) => ({ sku: `S-${index}`, title: `Cached ${index}` }));
    const first = await api.post('/v1/batches', { template: 'test_banner', rows });
    assert.equal(first.status, 202, first.text);
    const done = async (id: string) => {
      const stream = await withDeadline(
        readEventStream(api.url(`/v1/batches/${id}/events`), api.key),
        60_000,
        'batch events',
      );
      return JSON.parse(stream.events.at(-1)!.data);
    };
    assert.equal((await done(first.body.id)).counts.succeeded, 12);
    const again = await api.post('/v1/batches', { template: 'test_banner', rows });
    const second = await done(again.body.id);
    assert.equal(second.status, 'succeeded');
    assert.equal(second.counts.succeeded, 12);
    assert.equal(second.cost_usd, 0);
    const jobs = await api.get(`/v1/jobs?batch_id=${again.body.id}&limit=50`);
    assert.deepEqual(new Set(jobs.body.data.map((job: Loose) => job.cache)), new Set(['exact']));
  });

  test('quality: a blank image is made again with a new seed within the budget; past it the job fails', async () => {
    const blank = makePng(4, 4, 0);
    let call = 0;
    openai.makeImage = () => (call++ === 0 ? blank : textured);
    const calls = modelCalls();
    const job = await generate({ prompt: 'quality retry please', cache: 'off' });
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.attempts, 1);
    assert.equal(modelCalls(), calls + 2);
    assert.ok(
      job.warnings.some((warning: Loose) =>
        /failed its checks \(the image is one uniform color\); made again with seed/.test(warning.message),
      ),
    );
    const single = await generate({ prompt: 'quality retry priced', cache: 'off' });
    assert.ok(Math.abs(job.cost_usd - 2 * single.cost_usd) < 1e-9, 'both calls are paid for');

    openai.makeImage = () => blank;
    const failed = await generate({ prompt: 'always blank', cache: 'off' });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, 'image_invalid');
    assert.match(failed.error.message, /after 2 new seed/);
    openai.makeImage = () => textured;
    const metrics = await api.get('/metrics');
    assert.match(metrics.text, /vitrine_quality_checks_total\{outcome="fail"\} 4/);
    assert.match(metrics.text, /vitrine_quality_pass_ratio 0\.\d+/);
  });

  test('estimate before running: a generation, JSON rows and a CSV upload', async () => {
    const body = {
      prompt: 'an estimate of a teapot',
      provider: 'openai',
      width: 1024,
      height: 1024,
      n: 2,
      cache: 'off',
    };
    const estimate = await api.post('/v1/estimate', body);
    assert.equal(estimate.status, 200, estimate.text);
    assert.equal(estimate.body.currency, 'USD');
    assert.equal(estimate.body.images, 2);
    assert.equal(estimate.body.provider, 'openai');
    const job = await generate(body);
    assert.ok(
      Math.abs(job.cost_usd - estimate.body.cost_usd) < 1e-9,
      `${job.cost_usd} vs ${estimate.body.cost_usd}`,
    );

    const rows = await api.post('/v1/estimate', {
      template: 'test_banner',
      provider: 'openai',
      rows: [{ title: 'A', n: 3 }, { title: 'B' }, { title: '' }],
    });
    assert.equal(rows.status, 200, rows.text);
    assert.equal(rows.body.images, 4);
    assert.equal(rows.body.rows, 2);
    assert.equal(rows.body.invalid_rows, 1);
    const form = new FormData();
    form.set('template', 'test_banner');
    form.set('provider', 'openai');
    form.set('file', new Blob(['title\nOne\nTwo\n'], { type: 'text/csv' }), 'rows.csv');
    const csv = await fetch(api.url('/v1/estimate'), {
      method: 'POST',
      headers: { authorization: `Bearer ${api.key}` },
      body: form,
    });
    const csvEstimate = (await csv.json()) as Loose;
    assert.equal(csv.status, 200, JSON.stringify(csvEstimate));
    assert.equal(csvEstimate.images, 2);
    assert.ok(Math.abs(csvEstimate.cost_usd - rows.body.cost_usd / 2) < 1e-9);
  });

  test('a daily budget per key refuses what would pass it with 402; the ledger shows spend by key and provider', async () => {
    const price = (
      await api.post('/v1/estimate', { prompt: 'p', provider: 'openai', width: 1024, height: 1024 })
    ).body.cost_usd;
    assert.ok(price > 0);
    const created = await api.post('/v1/api-keys', {
      name: 'budgeted',
      scopes: ['generate', 'read'],
      daily_budget_usd: price * 2.5,
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.daily_budget_usd, price * 2.5);
    const limited = api.withKey(created.body.key);
    const run = (prompt: string) =>
      limited.post('/v1/generations?wait=30', {
        prompt,
        provider: 'openai',
        width: 1024,
        height: 1024,
      });
    assert.equal((await run('budget one')).status, 200);
    assert.equal((await run('budget two')).status, 200);
    const refused = await run('budget three');
    assertError(refused, 402, 'budget_exceeded');
    assert.ok(refused.body.error.details.daily_budget_usd > 0);
    const batch = await limited.post('/v1/batches', {
      template: 'test_banner',
      provider: 'openai',
      rows: [{ title: 'X' }],
    });
    assertError(batch, 402, 'budget_exceeded');
    // A cache hit costs nothing: it passes.
    const hit = await limited.post('/v1/generations?wait=30', {
      prompt: 'budget one',
      provider: 'openai',
      width: 1024,
      height: 1024,
    });
    assert.equal(hit.status, 200, hit.text);
    assert.equal(hit.body.cache, 'exact');

    const raised = await api.patch(`/v1/api-keys/${created.body.id}`, { daily_budget_usd: null });
    assert.equal(raised.body.daily_budget_usd, null);
    assert.equal((await run('budget three')).status, 200);

    const own = await limited.get('/v1/usage');
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(new Set(own.body.data.map((row: Loose) => row.api_key_id)), new Set([created.body.id]));
    const [row] = own.body.data;
    assert.equal(row.provider, 'openai');
    assert.equal(row.jobs, 4, 'three paid jobs and a cache hit, which costs nothing');
    assert.ok(Math.abs(own.body.total_cost_usd - price * 3) < 1e-6, JSON.stringify(own.body));
    const filtered = await api.get(`/v1/usage?api_key_id=${created.body.id}`);
    assert.deepEqual(filtered.body.data, own.body.data, 'an admin key may look at one key');
    const all = await api.get('/v1/usage');
    assert.ok(all.body.total_cost_usd >= own.body.total_cost_usd);
  });

  test('the CLI: keys create --daily-budget, and estimate against the server', async () => {
    const env = { VITRINE_URL: server.url, VITRINE_API_KEY: api.key ?? '' };
    const key = await runCli(['keys', 'create', '--name', 'cli budget', '--daily-budget', '12.5', '--json'], {
      env,
    });
    assert.equal(key.code, 0, key.stderr);
    assert.equal(JSON.parse(key.stdout).daily_budget_usd, 12.5);
    const estimate = await runCli(
      ['estimate', '--prompt', 'a vase', '--provider', 'openai', '--size', '1024x1024', '-n', '3', '--json'],
      { env },
    );
    assert.equal(estimate.code, 0, estimate.stderr);
    const parsed = JSON.parse(estimate.stdout);
    assert.equal(parsed.images, 3);
    assert.equal(parsed.provider, 'openai');
  });
});
