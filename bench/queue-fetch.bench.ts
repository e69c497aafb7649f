/**
 * pg-boss's fetch on the embedded database as jobs pile up: the plan PostgreSQL picks for it, and
 * its cost, with and without the tables analyzed (PGlite has no autovacuum: src/db/embedded-analyze.ts).
 *
 *   node bench/queue-fetch.bench.ts [--jobs 4000] [--analyze]
 *
 * Queues `--jobs` generation jobs (API role only: nothing runs them), fetches and completes each as a
 * worker would, then explains one more fetch. With --analyze the queue table is analyzed once, after
 * the first 100 fetches. This loop never yields to timers, so the server's periodic analysis does not
 * run in it: without --analyze the tables stay unanalyzed, as they were before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as plans from 'pg-boss/dist/plans.js';
import { startProcess } from '../src/app/server.ts';
import { loadConfig } from '../src/config/env.ts';
import { GENERATE_QUEUE } from '../src/queue/jobs.ts';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '4000' }, analyze: { type: 'boolean', default: false } },
});
const jobs = Number(values.jobs);
const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-queue-fetch-'));
const config = loadConfig({}, { VITRINE_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' });
const running = await startProcess(config, { roles: new Set(['api']) });
const { container } = running;
const { db } = container;
const enqueue = async (count: number) => {
  for (let i = 0; i < count; i++) {
    await container.generations.create(
      {
        template: 'product_hero',
        params: { title: `Job ${i}` },
        n: 1,
        priority: 'normal',
        cache: 'off',
        format: 'png',
      },
      { apiKeyId: null },
    );
  }
};
await enqueue(jobs);
// The statement pg-boss runs for a worker of batch size 1 (src/queue/queue.ts).
const fetch = (
  plans as unknown as { fetchNextJob(options: object): { text: string; values: unknown[] } }
).fetchNextJob({ schema: 'pgboss', table: 'job_common', name: GENERATE_QUEUE, policy: 'standard', limit: 1 });
const cpuStart = process.cpuUsage();
for (let i = 0; i < jobs; i++) {
  const [picked] = await db.query<{ id: string }>(fetch.text, fetch.values);
  if (i === 100 && values.analyze) await db.query('ANALYZE pgboss.job_common');
  await db.query(
    `UPDATE pgboss.job_common SET state = 'completed', completed_on = now() WHERE name = $1 AND id = $2`,
    [GENERATE_QUEUE, picked!.id],
  );
}
const cpu = process.cpuUsage(cpuStart);
await enqueue(5);
const plan = await db.query<Record<string, string>>(`EXPLAIN (ANALYZE) ${fetch.text}`, fetch.values);
await running.stop();
rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify(
    {
      jobs,
      analyzed: values.analyze,
      cpu_ms_per_fetch_and_complete: Number(((cpu.user + cpu.system) / 1000 / jobs).toFixed(2)),
      plan_of_the_next_fetch: plan.map((row) => Object.values(row)[0]),
    },
    null,
    2,
  )}\n`,
);
