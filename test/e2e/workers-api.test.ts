import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { FakeComfyUIServer } from '../fakes/comfyui-server.ts';
import { assertError } from '../support/api-fixtures.ts';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

/** A loopback port nobody listens on: a GPU server that is down. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('workers announce themselves; /readyz tells the truth (one process, embedded database)', () => {
  const dirs = new TempDirs();
  const comfy = new FakeComfyUIServer();
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;
  let downUrl: string;

  before(async () => {
    await comfy.listen();
    downUrl = await closedPortUrl();
    testConfig = buildConfig('pglite', dirs.make('vitrine-workers-'), {
      COMFYUI_URL: comfy.url,
      A1111_URL: downUrl,
      VITRINE_HEARTBEAT_SECONDS: '1',
      VITRINE_WORKER_STALE_SECONDS: '5',
    });
    server = await startInProcessServer(testConfig.config, { workerConcurrency: 3 });
    api = new HttpClient(server.url, server.adminKey);
  });
  after(async () => {
    await server?.stop();
    await comfy.close();
    dirs.cleanup();
  });

  test('GET /v1/workers lists this process with its providers and the GPU behind ComfyUI', async () => {
    const page = await pollUntil(
      async () => {
        const { body } = await api.get('/v1/workers');
        // The first beat may precede the first health check of the down server; wait for both.
        return body.data?.[0]?.providers?.length === 3 ? body : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'a heartbeat with the providers' },
    );
    assert.equal(page.heartbeat_seconds, 1);
    assert.equal(page.stale_after_seconds, 5);
    assert.equal(page.data.length, 1);
    const worker = page.data[0];
    assert.equal(worker.state, 'active');
    assert.equal(worker.concurrency, 3);
    assert.equal(worker.pid, process.pid);
    assert.match(worker.id, new RegExp(`^.+:${process.pid}:[0-9a-f]{4}$`));
    const byId = Object.fromEntries(worker.providers.map((provider: Loose) => [provider.id, provider]));
    assert.deepEqual(Object.keys(byId).sort(), ['a1111', 'comfyui', 'studio']);
    assert.deepEqual(byId.comfyui.backends, [
      {
        url: comfy.url,
        ok: true,
        message: null,
        gpu: {
          name: 'cuda:0 NVIDIA L4 : cudaMallocAsync',
          memory_used_bytes: 23_580_639_232 - 19_293_798_400,
          memory_total_bytes: 23_580_639_232,
        },
        queue_depth: 0,
      },
    ]);
    assert.equal(byId.a1111.healthy, false);
    assert.equal(byId.a1111.backends[0].ok, false);
    assert.equal(byId.studio.healthy, true);
  });

  test('a job run here names this worker, and the heartbeat counts it', async () => {
    const created = await api.post('/v1/generations?wait=30', {
      template: 'product_hero',
      params: { title: 'Worker record' },
    });
    assert.equal(created.body.status, 'succeeded', created.text);
    const rows = await server.running.container.db.query<{ worker_id: string }>(
      'SELECT worker_id FROM jobs WHERE id = $1',
      [created.body.id],
    );
    const worker = await pollUntil(
      async () => {
        const { body } = await api.get('/v1/workers');
        return body.data[0]?.finished_jobs >= 1 ? body.data[0] : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200, what: 'the finished job in a heartbeat' },
    );
    assert.equal(rows[0]?.worker_id, worker.id);
  });

  test('a GPU server that is down shows in /readyz beside the checks, without making the node unready', async () => {
    const ready = await api.withKey(null).get('/readyz');
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.body.status, 'ready');
    assert.deepEqual(Object.keys(ready.body.checks).sort(), ['database', 'queue', 'storage', 'workers']);
    assert.deepEqual(ready.body.checks.workers, { ok: true, message: 'this process runs workers' });
    assert.equal(ready.body.providers.a1111.ok, false);
    assert.match(ready.body.providers.a1111.message, /could not be reached|ECONNREFUSED|network/i);
    assert.equal(ready.body.providers.comfyui.ok, true);
  });

  test('`vitrine workers` shows the table and the GPU line; --json the API answer', async () => {
    const env = { VITRINE_URL: server.url, VITRINE_API_KEY: server.adminKey! };
    const table = await runCli(['workers'], { env });
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^WORKER\s+STATE\s+LAST SEEN\s+RUNNING\s+FINISHED\s+PROVIDERS$/m);
    assert.match(table.stdout, /active\s+\d+s ago\s+0\/3\s+\d+\s+studio, comfyui, a1111 \(unhealthy\)/);
    assert.match(
      table.stdout,
      new RegExp(
        `comfyui ${comfy.url.replaceAll('.', '\\.')}: cuda:0 NVIDIA L4 : cudaMallocAsync, 4\\.0/22\\.0 GiB used, queue 0`,
      ),
    );
    assert.match(table.stdout, /a1111 http:\/\/127\.0\.0\.1:\d+: unreachable: ECONNREFUSED/);
    assert.match(
      table.stdout,
      /1 active; a worker reports every 1 s and counts as lost after 5 s of silence\./,
    );

    const json = await runCli(['workers', '--json'], { env });
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.data[0].state, 'active');
  });

  test('GET /v1/workers needs the read scope', async () => {
    assertError(await api.withKey(null).get('/v1/workers'), 401, 'unauthorized');
    const writer = await api.post('/v1/api-keys', { name: 'generate only', scopes: ['generate'] });
    assertError(await api.withKey(writer.body.key).get('/v1/workers'), 403, 'forbidden');
  });
});
