/**
 * A fleet on several machines (issue 16): jobs per second through the API with two worker
 * processes, assets in S3 against assets on local files; and upload throughput to the in-process
 * S3 server against the local file store.
 *
 *   DATABASE_URL=postgres://… node bench/fleet.bench.ts [--jobs 300] [--runs 3] [--concurrency 2]
 *       [--upload-objects 300] [--upload-kb 256] [--large-mb 64] [--upload-concurrency 8]
 *
 * The fleet: `vitrine serve --roles api` and two `vitrine worker` processes (one render process
 * each), spawned, on PostgreSQL. With S3 each process has its own data directory and the bucket is
 * fauxqs in this process; with local files all three share one data directory (as they would
 * share an NFS mount). A batch of `--jobs` product_hero rows is posted to the API and timed until
 * the batch has succeeded.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalBlobStore } from '../src/storage/local.store.ts';
import { createS3BlobStore } from '../src/storage/s3.store.ts';
import { createS3Client } from '../src/storage/s3-client.ts';
import type { BlobStore } from '../src/storage/spec.ts';
import { dropSchemas, uniqueSchemaName } from '../test/support/engines.ts';
import { spawnWorker, type WorkerSubprocess } from '../test/support/fleet.ts';
import type { Loose } from '../test/support/http.ts';
import { startTestS3, type TestS3 } from '../test/support/s3-server.ts';
import { startServerSubprocess } from '../test/support/server.ts';
import { pollUntil } from '../test/support/wait.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '300' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '2' },
    'upload-objects': { type: 'string', default: '300' },
    'upload-kb': { type: 'string', default: '256' },
    'large-mb': { type: 'string', default: '64' },
    'upload-concurrency': { type: 'string', default: '8' },
    'skip-fleet': { type: 'boolean', default: false },
  },
});
const JOBS = Number(values.jobs);
const RUNS = Number(values.runs);

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** One fleet run: API + 2 workers, a batch of JOBS rows, seconds from POST to succeeded. */
async function fleetRun(storage: 'file' | 's3'): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL!;
  const schema = uniqueSchemaName();
  const dirs: string[] = [];
  const makeDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-fleet-'));
    dirs.push(dir);
    return dir;
  };
  const s3: TestS3 | null = storage === 's3' ? await startTestS3() : null;
  const s3Env = s3 ? { ...s3.env, S3_ENDPOINT: s3.directSettings.endpoint! } : {};
  const sharedDir = makeDir();
  const env = {
    ...s3Env,
    DATABASE_URL: databaseUrl,
    VITRINE_DATABASE_SCHEMA: schema,
    VITRINE_RENDER_PROCESSES: '1',
    VITRINE_HEARTBEAT_SECONDS: '2',
    LOG_LEVEL: 'warn',
  };
  const api = await startServerSubprocess({ dataDir: sharedDir, env: { ...env, VITRINE_ROLES: 'api' } });
  const workers: WorkerSubprocess[] = [];
  try {
    for (let index = 0; index < 2; index++) {
      workers.push(
        spawnWorker({
          ...env,
          VITRINE_DATA_DIR: storage === 's3' ? makeDir() : sharedDir,
          VITRINE_WORKER_CONCURRENCY: values.concurrency,
        }),
      );
    }
    await pollUntil(
      async () => {
        const { body } = await api.client.get('/v1/workers');
        return (body.data as Loose[]).filter((worker) => worker.state === 'active').length === 2;
      },
      { timeoutMs: 180_000, intervalMs: 250, what: 'two workers' },
    );
    const rows = Array.from({ length: JOBS }, (_, index) => ({
      sku: `B-${index}`,
      title: `${index % 2 ? '亚麻衬衫' : 'Linen shirt'} ${index}`,
      price: `¥${(index % 300) + 9}`,
    }));
    const started = performance.now();
    const created = await api.client.post('/v1/batches', { template: 'product_hero', rows, cache: 'off' });
    if (created.status !== 202) throw new Error(`batch refused: ${created.text}`);
    const done = await pollUntil(
      async () => {
        const { body } = await api.client.get(`/v1/batches/${created.body.id}`);
        return ['succeeded', 'failed', 'canceled'].includes(body.status) ? body : undefined;
      },
      { timeoutMs: 30 * 60_000, intervalMs: 100, what: 'the batch' },
    );
    const seconds = (performance.now() - started) / 1000;
    if (done.counts.succeeded !== JOBS) throw new Error(`batch ended ${JSON.stringify(done.counts)}`);
    return seconds;
  } finally {
    for (const worker of workers) await worker.stop();
    await api.stop();
    await s3?.stop();
    await dropSchemas(schema);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Puts `blobs` with `concurrency` writes in flight; MB/s and objects/s. */
async function uploadRun(store: BlobStore, blobs: readonly Uint8Array[], concurrency: number) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < blobs.length) await store.put(blobs[next++]!);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const bytes = blobs.reduce((sum, blob) => sum + blob.byteLength, 0);
  return { mbPerSecond: bytes / 2 ** 20 / seconds, objectsPerSecond: blobs.length / seconds, seconds };
}

async function uploads() {
  const objects = Number(values['upload-objects']);
  const size = Number(values['upload-kb']) * 1024;
  const large = Number(values['large-mb']) * 2 ** 20;
  const concurrency = Number(values['upload-concurrency']);
  const results: Record<string, Array<{ mbPerSecond: number; objectsPerSecond: number }>> = {
    's3 small': [],
    'file small': [],
    's3 large (multipart)': [],
    'file large': [],
  };
  for (let run = 0; run < RUNS; run++) {
    const small = Array.from({ length: objects }, () => randomBytes(size));
    const big = [randomBytes(large)];
    const s3 = await startTestS3();
    const s3Store = createS3BlobStore(createS3Client(s3.directSettings), s3.directSettings);
    const dir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-upload-'));
    const fileStore = createLocalBlobStore(dir);
    try {
      results['s3 small']!.push(await uploadRun(s3Store, small, concurrency));
      results['file small']!.push(await uploadRun(fileStore, small, concurrency));
      results['s3 large (multipart)']!.push(await uploadRun(s3Store, big, 1));
      results['file large']!.push(await uploadRun(fileStore, big, 1));
      const sha = createHash('sha256').update(big[0]!).digest('hex');
      if (!(await s3Store.has(sha))) throw new Error('the large object is missing');
    } finally {
      s3Store.close?.();
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `\nUploads: ${objects} × ${values['upload-kb']} KB (${concurrency} at once) and 1 × ${values['large-mb']} MB, ${RUNS} runs, medians`,
  );
  console.log('| store | MB/s | objects/s | runs (MB/s) |');
  console.log('|---|---|---|---|');
  for (const [name, runs] of Object.entries(results)) {
    console.log(
      `| ${name} | ${round(median(runs.map((r) => r.mbPerSecond)))} | ${round(median(runs.map((r) => r.objectsPerSecond)))} | ${runs.map((r) => round(r.mbPerSecond)).join(', ')} |`,
    );
  }
}

console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
if (!values['skip-fleet']) {
  if (!process.env.DATABASE_URL) {
    console.error(
      'The fleet needs PostgreSQL: set DATABASE_URL (or pass --skip-fleet for the uploads only).',
    );
    process.exit(1);
  }
  const times: Record<'file' | 's3', number[]> = { file: [], s3: [] };
  for (let run = 0; run < RUNS; run++) {
    // Alternate so the machine's load drifts over both the same way.
    for (const storage of ['file', 's3'] as const) {
      const seconds = await fleetRun(storage);
      times[storage].push(JOBS / seconds);
      console.log(`run ${run + 1} ${storage}: ${round(JOBS / seconds)} jobs/s (${round(seconds)} s)`);
    }
  }
  const file = median(times.file);
  const s3 = median(times.s3);
  console.log(
    `\nFleet: API + 2 workers (concurrency ${values.concurrency}, 1 render process each), ${JOBS} jobs, ${RUNS} runs, medians`,
  );
  console.log('| assets | jobs/s | runs |');
  console.log('|---|---|---|');
  console.log(
    `| local files (one shared data dir) | ${round(file)} | ${times.file.map((v) => round(v)).join(', ')} |`,
  );
  console.log(
    `| S3 (fauxqs in the bench process; separate data dirs) | ${round(s3)} | ${times.s3.map((v) => round(v)).join(', ')} |`,
  );
  console.log(`S3 / local files: ${round(s3 / file, 2)}`);
}
await uploads();
