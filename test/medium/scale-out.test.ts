import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startProcess } from '../../src/app/server.ts';
import { loadConfig } from '../../src/config/env.ts';
import { dropSchemas, engines, postgresUrl, uniqueSchemaName } from '../support/engines.ts';
import { TempDirs } from '../support/temp.ts';

const postgres = engines.find((engine) => engine.name === 'postgres')!;

// The fleet set-up: an API-only process and a worker-only process sharing one PostgreSQL.
describe('API and worker in separate processes (PostgreSQL)', { skip: postgres.skip }, () => {
  const temp = new TempDirs();
  const schema = uniqueSchemaName();
  after(async () => {
    temp.cleanup();
    await dropSchemas(schema);
  });

  test('a job created on the API process runs on the worker, and the API hears it finish at once', async () => {
    const environment = {
      VITRINE_DATA_DIR: temp.make(),
      PORT: '0',
      LOG_LEVEL: 'silent',
      DATABASE_URL: postgresUrl(),
      VITRINE_DATABASE_SCHEMA: schema,
    };
    const api = await startProcess(loadConfig({}, environment), { roles: new Set(['api']) });
    const worker = await startProcess(loadConfig({}, environment), { roles: new Set(['worker']) });
    try {
      // When the worker said each job was done (both processes live in this test's process).
      const workerDone = new Map<string, number>();
      worker.container.deps.events.subscribe('*', (event) => {
        if (event.type === 'done') workerDone.set(event.jobId, performance.now());
      });
      for (let round = 0; round < 3; round++) {
        const { job } = await api.container.generations.create(
          {
            template: 'product_hero',
            params: { title: `Fleet ${round}` },
            n: 1,
            priority: 'urgent',
            cache: 'off',
          },
          { apiKeyId: null },
        );
        const finished = await api.container.generations.waitForFinish(job.id, 10_000);
        const heard = performance.now();
        assert.equal(finished.status, 'succeeded');
        const done = workerDone.get(job.id);
        assert.ok(done !== undefined, 'the worker process ran the job');
        // The API process has no workers and polls the database only once a second: hearing of the
        // finish well under that after the worker announced it means the worker's NOTIFY reached it.
        // Timed from the worker's announcement, not from the request, so a slow render on a busy
        // machine does not count against the notification.
        const waited = heard - done;
        assert.ok(waited < 900, `the API heard the job finish ${Math.round(waited)} ms after the worker`);
      }
    } finally {
      await worker.stop();
      await api.stop();
    }
  });
});
