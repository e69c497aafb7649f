import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openPglite } from '../../src/db/client.ts';
import type { Loose } from '../support/http.ts';
import { type ServerSubprocess, startServerSubprocess } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const JOBS = 40;

interface JobView {
  id: string;
  status: string;
  n: number;
  seed: number;
  attempts: number;
  template: string;
  images: Array<{ id: string; width: number; height: number; seed: number }>;
}

describe('a server killed with SIGKILL mid-batch (embedded database)', () => {
  const dirs = new TempDirs();
  const servers: ServerSubprocess[] = [];
  after(async () => {
    for (const server of servers) await server.kill();
    dirs.cleanup();
  });

  test('after a restart every accepted job succeeds exactly once, with one set of images', async (t) => {
    const dataDir = dirs.make('vitrine-crash-');
    const first = await startServerSubprocess({ dataDir });
    servers.push(first);
    const key = first.adminKey!;
    assert.ok(key);

    const submitted = new Map<string, number>();
    for (let index = 0; index < JOBS; index++) {
      const n = 1 + (index % 3);
      const response = await first.client.post('/v1/generations', {
        template: index % 2 === 0 ? 'product_hero' : 'live_cover',
        params: { title: `Crash test ${index}` },
        n,
        priority: 'batch',
      });
      assert.equal(response.status, 202, response.text);
      submitted.set(response.body.id, n);
    }

    // Kill while work is under way and a good part of the batch still waits.
    const statusCounts = async () => {
      const page = await first.client.get<{ data: JobView[] }>('/v1/jobs?limit=200');
      const counts: Record<string, number> = {};
      for (const job of page.body.data) counts[job.status] = (counts[job.status] ?? 0) + 1;
      return counts;
    };
    const atKill = await pollUntil(
      async () => {
        const counts = await statusCounts();
        return (counts.running ?? 0) >= 1 && (counts.queued ?? 0) >= 5 ? counts : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 20, what: 'a job running while others are queued' },
    );
    await first.kill();
    const exit = await first.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok((atKill.queued ?? 0) >= 5);

    // The same data dir, a new process: the lock of the dead one is taken over; no new admin key.
    const second = await startServerSubprocess({
      dataDir,
      expectAdminKey: false,
      env: { LOG_LEVEL: 'info' },
    });
    servers.push(second);
    assert.equal(second.adminKey, null);
    // Attempts the kill cut off go back to the queue at start, not after a heartbeat timeout.
    const requeued = second
      .stderr()
      .split('\n')
      .filter((line) => line.includes('requeued jobs interrupted by a crash'))
      .map((line) => JSON.parse(line).count as number);
    assert.equal(requeued.length, 1, 'the restart found attempts the kill interrupted');
    assert.ok(requeued[0]! >= 1);
    t.diagnostic(`at the kill: ${JSON.stringify(atKill)}; requeued at restart: ${requeued[0]}`);
    const api = second.client.withKey(key);

    const finished = await pollUntil(
      async () => {
        const page = await api.get<{ data: JobView[] }>('/v1/jobs?limit=200');
        assert.equal(page.status, 200, page.text);
        const jobs = page.body.data;
        const done = jobs.every((job) => ['succeeded', 'failed', 'canceled'].includes(job.status));
        return jobs.length === JOBS && done ? jobs : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: 'every job finished after the restart' },
    );

    const assetIds = new Set<string>();
    for (const job of finished) {
      const n = submitted.get(job.id);
      assert.ok(n, `job ${job.id} was one of ours`);
      assert.equal(job.status, 'succeeded', `job ${job.id}: ${JSON.stringify((job as Loose).error)}`);
      assert.equal(job.attempts, 1, 'a crash does not use up an attempt');
      assert.equal(job.images.length, n, `job ${job.id} has exactly n images`);
      assert.deepEqual(
        job.images.map((image) => image.seed),
        Array.from({ length: n }, (_, index) => job.seed + index),
        'one set of images, in order',
      );
      const [width, height] = job.template === 'product_hero' ? [1024, 1024] : [1080, 1920];
      for (const image of job.images) {
        assert.deepEqual([image.width, image.height], [width, height]);
        assert.ok(!assetIds.has(image.id), `asset ${image.id} appears once`);
        assetIds.add(image.id);
      }
      // Each job reads alike on its own.
      const single = await api.get<JobView>(`/v1/jobs/${job.id}`);
      assert.equal(single.body.images.length, n);
    }
    assert.equal(finished.length, submitted.size);

    // The database itself, once the server is gone: n rows per job, nothing else.
    await second.stop();
    assert.equal((await second.exited).code, 0, second.stderr());
    const db = await openPglite(path.join(dataDir, 'db'));
    try {
      const perJob = await db.query<{
        job_id: string;
        count: number;
        positions: number;
        first: number;
        last: number;
      }>(
        `SELECT job_id, count(*)::int AS count, count(DISTINCT position)::int AS positions,
                min(position) AS first, max(position) AS last
         FROM assets GROUP BY job_id`,
      );
      assert.equal(perJob.length, submitted.size, 'every job has assets, and no asset lacks a job');
      for (const row of perJob) {
        const n = submitted.get(row.job_id);
        assert.ok(n, `assets of an unknown job ${row.job_id}`);
        assert.equal(row.count, n, `job ${row.job_id} has n asset rows`);
        assert.equal(row.positions, n);
        assert.deepEqual([row.first, row.last], [0, n - 1]);
      }
      const total = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM assets');
      const expected = [...submitted.values()].reduce((sum, n) => sum + n, 0);
      assert.equal(total[0]!.count, expected, 'no extra asset rows');
      const statuses = await db.query<{ status: string; count: number }>(
        'SELECT status, count(*)::int AS count FROM jobs GROUP BY status',
      );
      assert.deepEqual(statuses, [{ status: 'succeeded', count: JOBS }]);
    } finally {
      await db.close();
    }
  });
});
