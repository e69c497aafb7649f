/**
 * The spine's benchmark: jobs per second through the whole path (queue → studio render → checks →
 * blob store → database) and the latency Vitrine adds to a single interactive request.
 *
 *   npm run bench -- [--jobs 1000] [--latency-requests 200] [--concurrency 4] [--format png]
 *                    [--worker-processes N] [--profile FILE.cpuprofile] [--sql-stats]
 *
 * Uses the embedded database (PGlite) in a temporary data dir, or PostgreSQL when DATABASE_URL is set.
 * With --worker-processes (PostgreSQL only) this process runs only the API and N `vitrine worker`
 * processes render: the scale-out set-up. Render time is then not visible here, so only throughput
 * and the POST→done latency are reported.
 *
 * Besides jobs/s it reports the CPU milliseconds each job cost (this process, and its render
 * processes): on a shared machine elapsed time swings with the neighbours' load, CPU per job much
 * less. Memory is broken down at the RSS peak (JS heap, the embedded database's WebAssembly memory,
 * other external memory). --profile writes a CPU profile of the throughput phase alone; --sql-stats
 * (embedded database) counts statements per job and lists the costliest on stderr.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startProcess } from '../src/app/server.ts';
import { loadConfig } from '../src/config/env.ts';
import type { ImageFormat } from '../src/domain/template.ts';
import {
  cpuMeter,
  memoryPeak,
  startAllocationProfile,
  startCpuProfile,
  toMb,
} from './support/process-stats.ts';
import { installSqlStats } from './support/sql-stats.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    'latency-requests': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '4' },
    format: { type: 'string', default: 'png' },
    'worker-processes': { type: 'string', default: '0' },
    profile: { type: 'string' },
    'allocation-profile': { type: 'string' },
    'sql-stats': { type: 'boolean', default: false },
  },
});
// Installed before the database opens: it watches PGlite's wire messages.
const sqlStats = values['sql-stats'] ? installSqlStats() : null;
const workerProcesses = Number(values['worker-processes']);
if (workerProcesses > 0 && !process.env.DATABASE_URL)
  throw new Error('--worker-processes needs DATABASE_URL');
const jobCount = Number(values.jobs);
const latencyRequests = Number(values['latency-requests']);
const format = values.format as ImageFormat;

const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-'));
const environment: Record<string, string | undefined> = {
  VITRINE_DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'warn',
  VITRINE_WORKER_CONCURRENCY: values.concurrency,
  VITRINE_RENDER_PROCESSES: process.env.VITRINE_RENDER_PROCESSES,
  DATABASE_URL: process.env.DATABASE_URL,
  VITRINE_DATABASE_SCHEMA: process.env.DATABASE_URL ? `bench_${Date.now()}` : undefined,
};
const config = loadConfig({}, environment);
const running = await startProcess(config, {
  roles: new Set(workerProcesses > 0 ? ['api'] : ['api', 'worker']),
});
const workers = Array.from({ length: workerProcesses }, () =>
  spawn(process.execPath, [fileURLToPath(new URL('../src/cli/main.ts', import.meta.url)), 'worker'], {
    env: { ...process.env, ...environment, PORT: undefined } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  }),
);
const { container } = running;
const key =
  running.bootstrapKey?.key ?? (await container.apiKeys.create({ name: 'bench', scopes: ['admin'] })).key;

// Time every provider call, so the latency Vitrine adds can be separated from the render itself.
const studio = container.deps.providers.get('studio');
const renderMsBySeed = new Map<number, number>();
const generate = studio.generate.bind(studio);
Object.assign(studio, {
  async generate(...args: Parameters<typeof generate>) {
    const started = performance.now();
    const result = await generate(...args);
    renderMsBySeed.set(args[0].seeds[0]!, performance.now() - started);
    return result;
  },
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const median = (list: number[]) =>
  percentile(
    [...list].sort((a, b) => a - b),
    50,
  );

// Warm-up: fonts, code paths, database caches.
for (let i = 0; i < 10; i++) {
  const { job } = await container.generations.create(
    {
      template: 'product_hero',
      params: { title: `Warm-up ${i}` },
      n: 1,
      priority: 'normal',
      cache: 'off',
      format,
    },
    { apiKeyId: null },
  );
  await container.generations.waitForFinish(job.id, 30_000);
}

// 1. Throughput: enqueue all jobs, then wait for the last to finish.
const walLsn = async () =>
  (await container.db.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn'))[0]!.lsn;
const lsnBytes = (lsn: string) => {
  const [high, low] = lsn.split('/');
  return Number.parseInt(high!, 16) * 2 ** 32 + Number.parseInt(low!, 16);
};
const walBefore = await walLsn();
const profile = values.profile ? await startCpuProfile() : null;
const allocations = values['allocation-profile'] ? await startAllocationProfile() : null;
const throughputStarted = performance.now();
const cpu = cpuMeter();
sqlStats?.start();
const memory = memoryPeak({ intervalMs: 100, wasmBytes: container.db.embeddedMemoryBytes });
const ids: string[] = [];
// In one process, finished jobs are counted from the job events (free); with worker processes the
// database is polled (their events do not reach this process without PostgreSQL notifications).
const finished = new Set<string>();
const allFinished = Promise.withResolvers<void>();
const unsubscribe = container.deps.events.subscribe('*', (event) => {
  if (event.type !== 'done') return;
  if (event.status !== 'succeeded') allFinished.reject(new Error(`job ${event.jobId} ${event.status}`));
  finished.add(event.jobId);
  if (ids.length === jobCount && finished.size >= jobCount) allFinished.resolve();
});
for (let i = 0; i < jobCount; i++) {
  const { job } = await container.generations.create(
    {
      template: 'product_hero',
      params: { title: i % 2 ? `亚麻衬衫 No.${i}` : `Linen shirt No.${i}`, price: `¥${100 + (i % 400)}` },
      n: 1,
      priority: 'normal',
      cache: 'off',
      format,
    },
    { apiKeyId: null },
  );
  ids.push(job.id);
}
const enqueueSeconds = (performance.now() - throughputStarted) / 1000;
if (workerProcesses > 0) {
  for (;;) {
    const counts = await container.deps.jobs.countByStatus(container.db);
    if (counts.failed) throw new Error(`${counts.failed} jobs failed`);
    if (!counts.queued && !counts.running) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
} else {
  if (ids.every((id) => finished.has(id))) allFinished.resolve();
  await allFinished.promise;
}
unsubscribe();
const throughputSeconds = (performance.now() - throughputStarted) / 1000;
const cpuSpent = cpu.stop();
const walBytesPerJob = (lsnBytes(await walLsn()) - lsnBytes(walBefore)) / ids.length;
const database = sqlStats?.stop(jobCount);
const { peak, peakChildrenRss } = memory.stop();
if (profile) await profile.stop(values.profile!);
if (allocations) await allocations.stop(values['allocation-profile']!);
const totalRender = ids.length;

// 2. Added latency of single interactive requests over HTTP: POST ?wait → succeeded, minus render.
const added: number[] = [];
const totals: number[] = [];
for (let i = 0; i < latencyRequests; i++) {
  const started = performance.now();
  const response = await fetch(`${running.url}/v1/generations?wait=30`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      template: 'product_hero',
      params: { title: `Interactive ${i}` },
      priority: 'urgent',
      cache: 'off',
      format,
    }),
  });
  const job = (await response.json()) as { status: string; seed: number };
  const total = performance.now() - started;
  if (job.status !== 'succeeded') throw new Error(`interactive job ${job.status}`);
  const render = renderMsBySeed.get(job.seed) ?? Number.NaN;
  totals.push(total);
  added.push(total - render);
}
added.sort((a, b) => a - b);
totals.sort((a, b) => a - b);

for (const worker of workers) worker.kill('SIGTERM');
await running.stop();
rmSync(dataDir, { recursive: true, force: true });

const result = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  database: config.database.kind,
  worker_processes: workerProcesses,
  format,
  worker_concurrency: Number(values.concurrency),
  throughput: {
    jobs: totalRender,
    seconds: Number(throughputSeconds.toFixed(2)),
    jobs_per_second: Number((totalRender / throughputSeconds).toFixed(1)),
    enqueue_seconds: Number(enqueueSeconds.toFixed(2)),
    median_render_ms: workerProcesses > 0 ? null : Number(median([...renderMsBySeed.values()]).toFixed(1)),
    cpu_ms_per_job: {
      main: Number((cpuSpent.mainMs / totalRender).toFixed(2)),
      main_event_loop: Number((cpuSpent.eventLoopMs / totalRender).toFixed(2)),
      render_processes: Number((cpuSpent.childrenMs / totalRender).toFixed(2)),
    },
    wal_kb_per_job: Number((walBytesPerJob / 1024).toFixed(1)),
    peak_rss_mb: toMb(peak.rss),
    at_peak_mb: {
      js_heap: toMb(peak.heapUsed),
      embedded_database_wasm: toMb(peak.wasm),
      other_external: toMb(peak.external - peak.wasm),
      array_buffers: toMb(peak.arrayBuffers),
    },
    render_processes_peak_rss_mb: toMb(peakChildrenRss),
    ...(database ? { embedded_database: database } : {}),
  },
  interactive: {
    requests: latencyRequests,
    total_ms: {
      p50: Number(percentile(totals, 50).toFixed(1)),
      p99: Number(percentile(totals, 99).toFixed(1)),
    },
    added_ms: {
      p50: Number(percentile(added, 50).toFixed(1)),
      p99: Number(percentile(added, 99).toFixed(1)),
    },
  },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
