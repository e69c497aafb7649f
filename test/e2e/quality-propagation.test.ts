import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient, type Loose } from '../support/http.ts';
import { squeezedTemplate } from '../support/planted-layouts.ts';
import { type InProcessServer, runCli, startInProcessServer } from '../support/server.ts';
import { readEventStream } from '../support/sse.ts';
import { TempDirs } from '../support/temp.ts';
import { withDeadline } from '../support/wait.ts';

// Honest output (issue 11, Build 5): an image whose headline cannot reach its floor says so in the
// job (API and the studio, which reads it), the webhook, the CLI's output and the batch manifest.

/** One design only, its headline box too small for the floor (49 px on a 1080 square). */
const squeezed = squeezedTemplate('planted_squeeze');

describe('quality and warnings reach every output (in-process server, embedded database)', () => {
  const dirs = new TempDirs();
  const received: string[] = [];
  const hooks = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(body);
      response.writeHead(200).end();
    });
  });
  let hooksUrl = '';
  let testConfig: TestConfig;
  let server: InProcessServer;
  let api: HttpClient;

  before(async () => {
    hooks.listen(0, '127.0.0.1');
    await once(hooks, 'listening');
    hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hook`;
    testConfig = buildConfig('pglite', dirs.make('vitrine-quality-'), { VITRINE_ALLOW_PRIVATE_URLS: 'true' });
    server = await startInProcessServer(testConfig.config);
    api = new HttpClient(server.url, server.adminKey);
    const created = await api.post('/v1/templates', squeezed);
    assert.equal(created.status, 201, created.text);
  });
  after(async () => {
    await server?.stop();
    await testConfig?.dispose();
    hooks.close();
    dirs.cleanup();
  });

  const assertFloorWarning = (job: Loose) => {
    const warning = job.warnings.find((w: Loose) => w.code === 'text_below_floor');
    assert.ok(warning, JSON.stringify(job.warnings));
    assert.equal(warning.image, 0);
    assert.match(warning.message, /^image 1: title\b.*floor 49 px/);
    const quality = job.images[0].quality;
    assert.equal(quality.checks.find((c: Loose) => c.name === 'text_floor').passed, false);
    assert.ok(quality.score <= 0.6, `a failed floor caps the score: ${quality.score}`);
    assert.equal(typeof quality.parts.readability, 'number');
  };

  test('the job (API, studio data) and its webhook carry the score, the failed check and the warning', async () => {
    const job = await api.post<Loose>('/v1/generations?wait=30', {
      template: 'planted_squeeze',
      params: { title: 'Linen shirt for hot summer days' },
      webhook_url: hooksUrl,
    });
    assert.equal(job.status, 200, job.text);
    assert.equal(job.body.status, 'succeeded');
    assertFloorWarning(job.body);
    assertFloorWarning((await api.get<Loose>(`/v1/jobs/${job.body.id}`)).body);
    const hook = await withDeadline(
      (async () => {
        while (!received.some((body) => body.includes(job.body.id))) await once(hooks, 'request');
        return JSON.parse(received.find((body) => body.includes(job.body.id))!) as Loose;
      })(),
      30_000,
      'the job.succeeded webhook',
    );
    assert.equal(hook.type, 'job.succeeded');
    assertFloorWarning(hook.data);
  });

  test('min_quality: the image fails its min_quality check and the job fails, naming the score', async () => {
    const job = await api.post<Loose>('/v1/generations?wait=30', {
      template: 'planted_squeeze',
      params: { title: 'Linen shirt for hot summer days' },
      min_quality: 0.8,
    });
    assert.equal(job.body.status, 'failed', job.text);
    assert.match(job.body.error.message, /scored 0\.\d+, below min_quality 0\.8: .*title\b/);
  });

  // The CLI and batch requests below repeat the first one: they are answered from the request
  // cache, whose jobs must carry the earlier job's warnings too (they did not before issue 11).
  test('vitrine generate prints the score and the failed check, and the warning on stderr', async () => {
    const out = dirs.make('vitrine-quality-out-');
    const result = await runCli(
      [
        '--server',
        server.url,
        'generate',
        '--template',
        'planted_squeeze',
        '--param',
        'title=Linen shirt for hot summer days',
        '--out',
        out,
      ],
      { env: { VITRINE_API_KEY: server.adminKey ?? '' } },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /quality 0\.\d\d, failed: [a-z_, ]*\btext_floor\b/);
    assert.match(result.stderr, /text_below_floor.*title\b.*floor 49 px/);
  });

  test('the batch manifest has quality and warnings columns with the failed floor', async () => {
    const batch = await api.post<Loose>('/v1/batches', {
      template: 'planted_squeeze',
      rows: [{ title: 'Linen shirt for hot summer days' }],
    });
    assert.equal(batch.status, 202, batch.text);
    const stream = await withDeadline(
      readEventStream(api.url(`/v1/batches/${batch.body.id}/events`), api.key),
      60_000,
      'batch events',
    );
    assert.equal(JSON.parse(stream.events.at(-1)!.data).status, 'succeeded');
    const manifest = await api.get(`/v1/batches/${batch.body.id}/manifest.csv`);
    const [header, row] = manifest.text.trim().split(/\r?\n/);
    const columns = header!.split(',');
    assert.ok(columns.includes('quality') && columns.includes('warnings'), header);
    assert.match(row!, /,0\.\d+,/);
    assert.match(row!, /text_below_floor: image 1: title\b/);
  });
});
