/**
 * Batches at scale (issue 5): accepting a large CSV, end-to-end rows per second, exact-cache hits
 * through the API, and near-duplicate lookups among many cached prompts.
 *
 *   node bench/batches.bench.ts [--accept-rows 100000] [--batch-rows 10000] [--cache-requests 200]
 *                               [--similar-prompts 100000] [--similar-lookups 1000] [--concurrency 4]
 *
 * Embedded database (PGlite) in a temporary data dir, or PostgreSQL when DATABASE_URL is set.
 * Accepting runs in an API-only process (the fan-out does not start), so its time and peak RSS are
 * the import's own; the end-to-end batch runs in a process with both roles.
 */
import { mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess } from '../src/app/server.ts';
import { loadConfig } from '../src/config/env.ts';
import { SimilarPromptIndex } from '../src/domain/similar-prompt-index.ts';

const { values } = parseArgs({
  options: {
    'accept-rows': { type: 'string', default: '100000' },
    'batch-rows': { type: 'string', default: '10000' },
    'cache-requests': { type: 'string', default: '200' },
    'similar-prompts': { type: 'string', default: '100000' },
    'similar-lookups': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
  },
});

const PRODUCTS = [
  'linen shirt',
  'ceramic mug',
  'wool coat',
  'silk scarf',
  '亚麻衬衫',
  '陶瓷马克杯',
  '羊毛大衣',
  '真丝围巾',
];
const COLORS = ['red', 'navy', 'ivory', 'olive', '红色', '藏青', '米白', '橄榄绿'];

function catalogCsv(rows: number, prefix: string): string {
  const lines = ['sku,title,subtitle,price'];
  for (let index = 0; index < rows; index++) {
    const product = PRODUCTS[index % PRODUCTS.length]!;
    const color = COLORS[(index >> 3) % COLORS.length]!;
    lines.push(
      `${prefix}-${index},"${color} ${product} ${index}","Style ${index % 97}, ""classic"" cut",¥${(index % 500) + 9}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

async function withServer<T>(
  roles: Array<'api' | 'worker'>,
  work: (url: string, key: string, running: Awaited<ReturnType<typeof startProcess>>) => Promise<T>,
) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-batches-'));
  const config = loadConfig(
    {},
    {
      VITRINE_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      VITRINE_WORKER_CONCURRENCY: values.concurrency,
      DATABASE_URL: process.env.DATABASE_URL,
      VITRINE_DATABASE_SCHEMA: process.env.DATABASE_URL ? `bench_${Date.now()}` : undefined,
      VITRINE_BATCH_UPLOAD_MAX_BYTES: String(512 * 1024 * 1024),
    },
  );
  const running = await startProcess(config, { roles: new Set(roles) });
  try {
    return await work(running.url!, running.bootstrapKey!.key, running);
  } finally {
    await running.stop({ graceful: false });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function upload(url: string, key: string, file: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('file', await openAsBlob(file, { type: 'text/csv' }), 'catalog.csv');
  const response = await fetch(`${url}/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: form,
  });
  const body = (await response.json()) as { id: string; total: number; status: string };
  if (response.status !== 202) throw new Error(`upload answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
const percentile = (samples: number[], p: number) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;
const work = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-csv-'));
const results: Record<string, unknown> = {
  machine: `${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  database: process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite',
};

// 1. Accepting a large CSV (API only: rows are read, checked and stored; nothing renders).
const acceptRows = Number(values['accept-rows']);
const acceptFile = path.join(work, 'accept.csv');
writeFileSync(acceptFile, catalogCsv(acceptRows, 'ACC'));
await withServer(['api'], async (url, key) => {
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const batch = await upload(url, key, acceptFile, { template: 'product_hero' });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (batch.total !== acceptRows) throw new Error(`accepted ${batch.total} of ${acceptRows} rows`);
  results.accept = {
    rows: acceptRows,
    megabytes: Math.round(((Buffer.byteLength(catalogCsv(10, 'X')) / 10) * acceptRows) / 1e5) / 10,
    seconds: Math.round(seconds * 10) / 10,
    peak_rss_mb: Math.round(peakRss / 2 ** 20),
    rss_before_mb: Math.round(rssBefore / 2 ** 20),
  };
  console.error('accept', results.accept);
});

// 2. End to end: a batch through fan-out, queue, studio renders, checks, storage; then cache hits.
const batchRows = Number(values['batch-rows']);
const batchFile = path.join(work, 'batch.csv');
writeFileSync(batchFile, catalogCsv(batchRows, 'E2E'));
await withServer(['api', 'worker'], async (url, key, running) => {
  const started = performance.now();
  const batch = await upload(url, key, batchFile, { template: 'product_hero' });
  await new Promise<void>((resolve) => {
    const poll = setInterval(async () => {
      const state = (await (
        await fetch(`${url}/v1/batches/${batch.id}`, { headers: { authorization: `Bearer ${key}` } })
      ).json()) as { status: string };
      if (['succeeded', 'failed', 'canceled'].includes(state.status)) {
        clearInterval(poll);
        resolve();
      }
    }, 250);
  });
  const seconds = (performance.now() - started) / 1000;
  const state = await running.container.batches.state(batch.id);
  results.end_to_end = {
    rows: batchRows,
    seconds: Math.round(seconds * 10) / 10,
    rows_per_second: Math.round((batchRows / seconds) * 10) / 10,
    counts: state.counts,
  };
  console.error('end to end', results.end_to_end);

  // 3. Exact-cache hits through the API: the same rows asked for again, one request at a time.
  const requests = Number(values['cache-requests']);
  const latencies: number[] = [];
  for (let index = 0; index < requests; index++) {
    const row = index % batchRows;
    const product = PRODUCTS[row % PRODUCTS.length]!;
    const color = COLORS[(row >> 3) % COLORS.length]!;
    const body = {
      template: 'product_hero',
      params: {
        title: `${color} ${product} ${row}`,
        subtitle: `Style ${row % 97}, "classic" cut`,
        price: `¥${(row % 500) + 9}`,
      },
      priority: 'batch',
    };
    const begun = performance.now();
    const response = await fetch(`${url}/v1/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const job = (await response.json()) as { cache: string; status: string };
    latencies.push(performance.now() - begun);
    if (job.cache !== 'exact' || job.status !== 'succeeded')
      throw new Error(`request ${index} was not a hit: ${JSON.stringify(job)}`);
  }
  results.exact_hit = {
    requests,
    p50_ms: Math.round(median(latencies) * 10) / 10,
    p99_ms: Math.round(percentile(latencies, 0.99) * 10) / 10,
  };
  console.error('exact hit', results.exact_hit);
});

// 4. Near-duplicate lookups among many cached prompts (the in-memory index; one scope, worst case).
const promptCount = Number(values['similar-prompts']);
const index = new SimilarPromptIndex();
const promptOf = (n: number) =>
  `Professional e-commerce product photo of ${COLORS[n % 8]} ${PRODUCTS[(n >> 3) % 8]} model ${n}, soft studio light, clean background`;
const buildStarted = performance.now();
for (let n = 0; n < promptCount; n++) index.add(`k${n}`, 'scope', promptOf(n));
const buildSeconds = (performance.now() - buildStarted) / 1000;
const lookups = Number(values['similar-lookups']);
const lookupTimes: number[] = [];
let hits = 0;
for (let n = 0; n < lookups; n++) {
  const target = Math.floor((n * 7919) % promptCount);
  // Half near-duplicates (a changed ending), half prompts seen nowhere.
  const query = n % 2 === 0 ? `${promptOf(target)}!` : `A photo of a ${n} unseen gadget on a kitchen counter`;
  const begun = performance.now();
  if (index.find('scope', query, 0.9)) hits++;
  lookupTimes.push(performance.now() - begun);
}
results.similar_lookup = {
  prompts: promptCount,
  lookups,
  hits,
  p50_ms: Math.round(median(lookupTimes) * 100) / 100,
  p99_ms: Math.round(percentile(lookupTimes, 0.99) * 100) / 100,
  index_build_seconds: Math.round(buildSeconds * 10) / 10,
  rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
};
console.error('similar', results.similar_lookup);
rmSync(work, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
