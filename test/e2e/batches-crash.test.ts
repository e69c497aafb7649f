import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { openPglite } from '../../src/db/client.ts';
import { bannerTemplate } from '../support/api-fixtures.ts';
import { type ServerSubprocess, startServerSubprocess } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const ROWS = 150;
// A small window keeps most rows without a job at the kill: the fan-out itself must resume.
const env = { VITRINE_BATCH_WINDOW: '10', VITRINE_WORKER_CONCURRENCY: '2' };

describe('a server killed with SIGKILL mid-batch (embedded database)', () => {
  const dirs = new TempDirs();
  const servers: ServerSubprocess[] = [];
  after(async () => {
    for (const server of servers) await server.kill();
    dirs.cleanup();
  });

  test('after a restart the batch finishes: every row rendered exactly once, nothing lost', async (t) => {
    const dataDir = dirs.make('vitrine-batch-crash-');
    const first = await startServerSubprocess({ dataDir, env });
    servers.push(first);
    const key = first.adminKey!;
    assert.equal((await first.client.post('/v1/templates', bannerTemplate)).status, 201);
    const rows = Array.from({ length: ROWS }, (_, index) => ({
      sku: `SKU-${index + 1}`,
      title: `Row ${index + 1}`,
    }));
    const created = await first.client.post('/v1/batches', { template: 'test_banner', rows });
    assert.equal(created.status, 202, created.text);
    const batchId = created.body.id as string;

    const atKill = await pollUntil(
      async () => {
        const { body } = await first.client.get(`/v1/batches/${batchId}`);
        return body.counts.succeeded >= 5 && body.counts.running >= 1 ? body.counts : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'the batch under way' },
    );
    await first.kill();
    assert.equal((await first.exited).signal, 'SIGKILL');
    t.diagnostic(`counts at the kill: ${JSON.stringify(atKill)}`);
    assert.ok(atKill.queued >= ROWS / 2, 'most rows were still waiting');

    const second = await startServerSubprocess({ dataDir, expectAdminKey: false, env });
    servers.push(second);
    const api = second.client.withKey(key);
    const done = await pollUntil(
      async () => {
        const { body } = await api.get(`/v1/batches/${batchId}`);
        return ['succeeded', 'failed', 'canceled'].includes(body.status) ? body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: 'the batch finished after the restart' },
    );
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.deepEqual(done.counts, { queued: 0, running: 0, succeeded: ROWS, failed: 0, canceled: 0 });

    await second.stop();
    const db = await openPglite(path.join(dataDir, 'db'));
    try {
      const jobs = await db.query<{ count: number; rows: number }>(
        `SELECT count(*)::int AS count, count(DISTINCT metadata->>'batch_row')::int AS rows FROM jobs WHERE batch_id = $1`,
        [batchId],
      );
      assert.deepEqual(jobs[0], { count: ROWS, rows: ROWS }, 'one job per row, no row twice');
      const assets = await db.query<{ count: number; jobs: number }>(
        `SELECT count(*)::int AS count, count(DISTINCT job_id)::int AS jobs FROM assets
         WHERE job_id IN (SELECT id FROM jobs WHERE batch_id = $1)`,
        [batchId],
      );
      assert.deepEqual(assets[0], { count: ROWS, jobs: ROWS }, 'one image per row');
      const pending = await db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM batch_rows WHERE batch_id = $1 AND job_id IS NULL',
        [batchId],
      );
      assert.equal(pending[0]!.count, 0);
    } finally {
      await db.close();
    }
  });
});
