import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/client.ts';
import { openPglite, openPostgres } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrator.ts';
import { WorkerRepository } from '../../src/db/worker.repository.ts';
import type { ProviderReport } from '../../src/domain/worker.ts';
import { FleetService } from '../../src/services/fleet/fleet.service.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';

const comfy: ProviderReport = {
  id: 'comfyui',
  kind: 'comfyui',
  healthy: true,
  message: null,
  circuit: 'closed',
  backends: [
    {
      url: 'http://10.0.0.5:8188',
      ok: true,
      message: null,
      gpu: { name: 'NVIDIA L4', memory_used_bytes: 4e9, memory_total_bytes: 24e9 },
      queue_depth: 2,
    },
  ],
};

for (const engine of engines) {
  describe(`worker heartbeats and readiness on ${engine.name}`, { skip: engine.skip }, () => {
    let db: Database;
    let schema: string | null = null;
    const workers = new WorkerRepository();
    before(async () => {
      if (engine.name === 'pglite') db = await openPglite(undefined);
      else {
        schema = uniqueSchemaName();
        db = await openPostgres(postgresUrl(), { schema });
      }
      await migrate(db);
    });
    after(async () => {
      await db?.close();
      if (schema) await dropSchemas(schema);
    });

    const apiNode = () =>
      new FleetService({ db, workers }, { staleSeconds: 30, heartbeatSeconds: 10, runsWorkers: false });
    const age = (id: string, seconds: number) =>
      db.query(`UPDATE workers SET last_seen_at = now() - make_interval(secs => $2) WHERE id = $1`, [
        id,
        seconds,
      ]);

    test('an API node without workers is not ready until a worker announces itself', async () => {
      const fleet = apiNode();
      const before = await fleet.workersCheck();
      assert.equal(before.ok, false);
      assert.match(before.message ?? '', /no worker has announced itself: start `vitrine worker`/);
      assert.deepEqual(
        await new FleetService(
          { db, workers },
          { staleSeconds: 30, heartbeatSeconds: 10, runsWorkers: true },
        ).workersCheck(),
        { ok: true, message: 'this process runs workers' },
      );

      await workers.announce(
        db,
        { id: 'gpu-1:100:aaaa', host: 'gpu-1', pid: 100, version: '0.1.0', concurrency: 4 },
        { runningJobIds: [], finishedJobs: 0, providers: [comfy] },
      );
      const after = await fleet.workersCheck();
      assert.equal(after.ok, true, after.message);
      const [listed] = await fleet.list();
      assert.equal(listed?.state, 'active');
      assert.deepEqual(listed?.providers, [comfy], 'the GPU report survives the round trip');
      assert.equal(listed?.concurrency, 4);
    });

    test('a heartbeat refreshes the row; a silent worker turns lost, and readiness says since when', async () => {
      const fleet = apiNode();
      const id = 'gpu-2:200:bbbb';
      await workers.announce(
        db,
        { id, host: 'gpu-2', pid: 200, version: '0.1.0', concurrency: 2 },
        { runningJobIds: [], finishedJobs: 0, providers: [] },
      );
      await age(id, 20);
      assert.equal(
        await workers.beat(db, id, { runningJobIds: ['job-1'], finishedJobs: 7, providers: [comfy] }),
        true,
      );
      const beaten = (await fleet.list()).find((worker) => worker.id === id)!;
      assert.ok(beaten.seen_seconds_ago < 5, 'the beat reset the clock');
      assert.deepEqual(beaten.running_job_ids, ['job-1']);
      assert.equal(beaten.finished_jobs, 7);

      await age(id, 120);
      await age('gpu-1:100:aaaa', 90);
      const lost = (await fleet.list()).find((worker) => worker.id === id)!;
      assert.equal(lost.state, 'lost');
      const check = await fleet.workersCheck();
      assert.equal(check.ok, false);
      assert.match(
        check.message ?? '',
        /no worker heard from for 90 s \(a worker counts as lost after 30 s\)/,
      );
      assert.equal(
        await workers.beat(db, 'gone:1:cccc', { runningJobIds: [], finishedJobs: 0, providers: [] }),
        false,
      );
    });

    test('a worker that stopped gracefully is stopped, not lost; with none left readiness says so', async () => {
      const fleet = apiNode();
      await workers.markStopped(db, 'gpu-1:100:aaaa');
      await workers.markStopped(db, 'gpu-2:200:bbbb');
      const listed = await fleet.list();
      assert.deepEqual(
        listed.map((worker) => worker.state),
        ['stopped', 'stopped'],
      );
      assert.deepEqual(listed[0]!.running_job_ids, []);
      assert.equal(
        await workers.beat(db, 'gpu-1:100:aaaa', { runningJobIds: ['late'], finishedJobs: 9, providers: [] }),
        false,
        'a beat that arrives after the goodbye changes nothing',
      );
      assert.equal((await fleet.list()).find((worker) => worker.id === 'gpu-1:100:aaaa')?.state, 'stopped');
      const check = await fleet.workersCheck();
      assert.equal(check.ok, false);
      assert.match(check.message ?? '', /no worker is running \(the last one stopped \d+ s ago\)/);
    });

    test('workers silent for longer than asked are forgotten; the list keeps a day unless all', async () => {
      await workers.announce(
        db,
        { id: 'old:1:dddd', host: 'old', pid: 1, version: '0.0.9', concurrency: 1 },
        { runningJobIds: [], finishedJobs: 0, providers: [] },
      );
      await age('old:1:dddd', 2 * 24 * 3600);
      const fleet = apiNode();
      assert.equal(
        (await fleet.list()).some((worker) => worker.id === 'old:1:dddd'),
        false,
      );
      assert.equal(
        (await fleet.list({ all: true })).some((worker) => worker.id === 'old:1:dddd'),
        true,
      );
      assert.equal(await workers.prune(db, 24 * 3600), 1);
      assert.equal(
        (await fleet.list({ all: true })).some((worker) => worker.id === 'old:1:dddd'),
        false,
      );
    });
  });
}
