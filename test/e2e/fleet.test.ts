import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { type Database, openPostgres } from '../../src/db/client.ts';
import { bannerTemplate } from '../support/api-fixtures.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { spawnWorker, type WorkerSubprocess } from '../support/fleet.ts';
import type { Loose } from '../support/http.ts';
import { startTestS3, type TestS3 } from '../support/s3-server.ts';
import { type ServerSubprocess, startServerSubprocess } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const postgres = engines.find((engine) => engine.name === 'postgres')!;
const ROWS = 80;
const SINGLES = 5;

/**
 * The fleet of issue 16: one API process and two worker processes, each with its own data
 * directory, sharing only PostgreSQL and S3. One worker is killed with SIGKILL mid-batch.
 */
describe('a fleet on separate data directories: API + 2 workers, PostgreSQL and S3', {
  skip: postgres.skip,
}, () => {
  const dirs = new TempDirs();
  const schema = uniqueSchemaName();
  let s3: TestS3 | undefined;
  let apiProcess: ServerSubprocess | undefined;
  const workers: WorkerSubprocess[] = [];
  let db: Database | undefined;
  after(async () => {
    for (const worker of workers) await worker.kill();
    await apiProcess?.kill();
    await db?.close();
    await s3?.stop();
    await dropSchemas(schema);
    dirs.cleanup();
  });

  test('a worker killed mid-batch loses nothing, and nothing is rendered twice', async (t) => {
    s3 = await startTestS3({ prefix: 'fleet/' });
    const shared = {
      ...s3.env,
      DATABASE_URL: postgresUrl(),
      VITRINE_DATABASE_SCHEMA: schema,
      VITRINE_HEARTBEAT_SECONDS: '1',
      VITRINE_WORKER_STALE_SECONDS: '3',
      LOG_LEVEL: 'warn',
    };
    const dataDirs = {
      api: dirs.make('vitrine-fleet-api-'),
      a: dirs.make('vitrine-fleet-a-'),
      b: dirs.make('vitrine-fleet-b-'),
    };
    apiProcess = await startServerSubprocess({
      dataDir: dataDirs.api,
      env: { ...shared, VITRINE_ROLES: 'api' },
    });
    const api = apiProcess.client;
    db = await openPostgres(postgresUrl(), { schema });

    const unready = await api.withKey(null).get('/readyz');
    assert.equal(unready.status, 503, 'an API node with no worker anywhere is not ready');
    assert.equal(unready.body.checks.workers.ok, false);

    const workerEnv = (dataDir: string) => ({
      ...shared,
      VITRINE_DATA_DIR: dataDir,
      VITRINE_WORKER_CONCURRENCY: '2',
    });
    workers.push(spawnWorker(workerEnv(dataDirs.a)), spawnWorker(workerEnv(dataDirs.b)));
    const [doomed, survivor] = workers as [WorkerSubprocess, WorkerSubprocess];
    const announced = await pollUntil(
      async () => {
        const { body } = await api.get('/v1/workers');
        const active = (body.data as Loose[]).filter((worker) => worker.state === 'active');
        const byPid = (pid: number) => active.find((worker) => worker.pid === pid);
        return byPid(doomed.pid) && byPid(survivor.pid)
          ? { doomed: byPid(doomed.pid), survivor: byPid(survivor.pid) }
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'both workers announced' },
    );
    assert.equal((await api.withKey(null).get('/readyz')).status, 200, 'ready once workers report');

    assert.equal((await api.post('/v1/templates', bannerTemplate)).status, 201);
    const rows = Array.from({ length: ROWS }, (_, index) => ({
      sku: `FLEET-${index + 1}`,
      title: `Row ${index + 1}`,
    }));
    const batch = await api.post('/v1/batches', { template: 'test_banner', rows });
    assert.equal(batch.status, 202, batch.text);
    const batchId = batch.body.id as string;
    const singles: string[] = [];
    for (let index = 0; index < SINGLES; index++) {
      const created = await api.post('/v1/generations', {
        template: 'test_banner',
        params: { title: `Single ${index + 1}` },
        cache: 'off',
      });
      assert.equal(created.status, 202, created.text);
      singles.push(created.body.id);
    }

    // Kill the doomed worker while it runs jobs, after the batch is well under way.
    const runningOnDoomed = await pollUntil(
      async () => {
        const [progress] = await db!.query<{ succeeded: number }>(
          `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded FROM jobs WHERE batch_id = $1`,
          [batchId],
        );
        if ((progress?.succeeded ?? 0) < 10) return undefined;
        const running = await db!.query<{ id: string }>(
          `SELECT id FROM jobs WHERE status = 'running' AND worker_id = $1`,
          [announced.doomed.id],
        );
        return running.length > 0 ? running.map((row) => row.id) : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 20, what: 'the doomed worker running jobs mid-batch' },
    );
    await doomed.kill();
    assert.equal((await doomed.exited).signal, 'SIGKILL');
    const [atKill] = await db.query<{ succeeded: number }>(
      `SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS succeeded FROM jobs WHERE batch_id = $1`,
      [batchId],
    );
    t.diagnostic(
      `killed with ${runningOnDoomed.length} job(s) running on it, ${atKill?.succeeded}/${ROWS} rows done`,
    );
    assert.ok((atKill?.succeeded ?? 0) < ROWS, 'the kill came mid-batch');

    const done = await pollUntil(
      async () => {
        const { body } = await api.get(`/v1/batches/${batchId}`);
        return ['succeeded', 'failed', 'canceled'].includes(body.status) ? body : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 500, what: 'the batch finished on the surviving worker' },
    );
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.deepEqual(done.counts, { queued: 0, running: 0, succeeded: ROWS, failed: 0, canceled: 0 });
    for (const id of singles) {
      const job = await pollUntil(
        async () => {
          const { body } = await api.get(`/v1/jobs/${id}`);
          return body.status === 'succeeded' || body.status === 'failed' ? body : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 250, what: `single job ${id}` },
      );
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    }

    // Nothing lost, nothing twice: one job per row, one image per job, every object in the bucket.
    const [jobs] = await db.query<{ count: number; rows: number }>(
      `SELECT count(*)::int AS count, count(DISTINCT metadata->>'batch_row')::int AS rows FROM jobs WHERE batch_id = $1`,
      [batchId],
    );
    assert.deepEqual(jobs, { count: ROWS, rows: ROWS }, 'one job per row');
    const assets = await db.query<{ job_id: string; position: number; sha256: string }>(
      `SELECT job_id, position, sha256 FROM assets WHERE job_id IN (SELECT id FROM jobs WHERE batch_id = $1 OR id = ANY($2))`,
      [batchId, singles],
    );
    assert.equal(assets.length, ROWS + SINGLES, 'one image per job');
    assert.equal(new Set(assets.map((asset) => asset.job_id)).size, ROWS + SINGLES, 'no job recorded twice');
    for (const asset of assets) {
      const key = `fleet/${asset.sha256.slice(0, 2)}/${asset.sha256.slice(2, 4)}/${asset.sha256}`;
      await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
    }

    // The jobs cut off by the kill were finished by the survivor.
    const rescued = await db.query<{ id: string; status: string; worker_id: string }>(
      'SELECT id, status, worker_id FROM jobs WHERE id = ANY($1)',
      [runningOnDoomed],
    );
    for (const job of rescued) {
      assert.equal(job.status, 'succeeded');
      assert.equal(
        job.worker_id,
        announced.survivor.id,
        `job ${job.id} was finished by the surviving worker`,
      );
    }

    // An image is served by the API node from S3 with the bytes the worker stored.
    const sample = (await api.get(`/v1/jobs/${singles[0]}`)).body.images[0];
    const url = new URL(sample.url);
    const bytes = await api.bytes(`${url.pathname}${url.search}`, { key: null });
    assert.equal(bytes.status, 200);
    const stored = assets.find((asset) => asset.job_id === singles[0])!;
    assert.equal(createHash('sha256').update(bytes.bytes).digest('hex'), stored.sha256);

    // No process kept anything on its own disk.
    for (const dir of Object.values(dataDirs)) {
      assert.equal(existsSync(path.join(dir, 'assets')), false, `${dir} holds no assets`);
      assert.equal(existsSync(path.join(dir, 'db')), false, `${dir} holds no database`);
    }

    const fleet = (await api.get('/v1/workers')).body.data as Loose[];
    assert.equal(fleet.find((worker) => worker.id === announced.doomed.id)?.state, 'lost');
    assert.equal(fleet.find((worker) => worker.id === announced.survivor.id)?.state, 'active');

    await survivor.stop();
    assert.equal((await survivor.exited).code, 0, survivor.stderr());
    const stopped = (await api.get('/v1/workers')).body.data as Loose[];
    assert.equal(stopped.find((worker) => worker.id === announced.survivor.id)?.state, 'stopped');
    const last = await api.withKey(null).get('/readyz');
    assert.equal(last.status, 503);
    // The killed worker never said goodbye: the last heartbeat of a running worker is its.
    assert.match(
      last.body.checks.workers.message,
      /no worker heard from for \d+ s \(a worker counts as lost after 3 s\)/,
    );
  });
});
