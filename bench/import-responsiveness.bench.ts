/**
 * Does the server stay responsive while it imports a large CSV (issue 13)? A real server process
 * (`vitrine serve`, API and worker, as `npm start` runs it) takes a 100,000-row upload while this
 * process asks `/healthz` back to back, and reports the latency of those probes during the import
 * (from the upload's first byte to its 202) and during the fan-out that follows.
 *
 *   node bench/import-responsiveness.bench.ts [--rows 100000] [--after-seconds 10]
 *
 * The embedded database (PGlite) always; PostgreSQL as well when DATABASE_URL is set. The server is
 * a separate process, so the probes' own event loop is never the one being measured.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    'after-seconds': { type: 'string', default: '10' },
  },
});
const ROWS = Number(values.rows);
const AFTER_MS = Number(values['after-seconds']) * 1000;
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function catalogCsv(rows: number): string {
  const lines = ['sku,title,subtitle,price'];
  for (let index = 0; index < rows; index++) {
    lines.push(
      `SKU-${index},"Linen shirt ${index} 亚麻衬衫","Style ${index % 97}, ""classic"" cut",¥${(index % 500) + 9}`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

interface Server {
  url: string;
  key: string;
  child: ChildProcess;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [path.join(REPO, 'src/cli/main.ts'), 'serve'], {
    cwd: REPO,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let url = '';
  let keyNext = false;
  for await (const line of createInterface({ input: child.stdout! })) {
    const running = /Vitrine is running at (\S+)/.exec(line);
    if (running) url = running[1]!;
    if (keyNext) return { url, key: line.trim(), child };
    if (/Admin API key/.test(line)) keyNext = true;
  }
  throw new Error('the server exited before it was ready');
}

/** Probes /healthz one after another until `stop` resolves; each latency in ms. */
async function probe(url: string, stop: Promise<unknown>): Promise<number[]> {
  let stopped = false;
  void stop.finally(() => {
    stopped = true;
  });
  const latencies: number[] = [];
  while (!stopped) {
    const started = performance.now();
    try {
      // A connection of its own each time: a pooled one the server closed as idle would fail.
      const response = await fetch(`${url}/healthz`, { headers: { connection: 'close' } });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
    } catch (error) {
      console.error(
        `probe failed after ${Math.round(performance.now() - started)} ms: ${(error as Error).message}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return latencies;
}

function summary(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]! * 10) / 10;
  return { probes: sorted.length, p50_ms: at(0.5), p95_ms: at(0.95), p99_ms: at(0.99), max_ms: at(1) };
}

async function measure(engine: 'PGlite' | 'PostgreSQL', csvFile: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-import-'));
  const env: Record<string, string> = {
    VITRINE_DATA_DIR: dataDir,
    VITRINE_BATCH_UPLOAD_MAX_BYTES: String(512 * 1024 * 1024),
  };
  if (engine === 'PostgreSQL') {
    env.DATABASE_URL = process.env.DATABASE_URL!;
    env.VITRINE_DATABASE_SCHEMA = `bench_import_${Date.now()}`;
  }
  const server = await startServer(env);
  try {
    const form = new FormData();
    form.set('template', 'product_hero');
    form.set('file', await openAsBlob(csvFile, { type: 'text/csv' }), 'catalog.csv');
    const started = performance.now();
    const upload = fetch(`${server.url}/v1/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.key}` },
      body: form,
    }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { total: number },
    }));
    upload.catch(() => {});
    const during = await probe(server.url, upload);
    const answer = await upload;
    const importSeconds = (performance.now() - started) / 1000;
    if (answer.status !== 202 || answer.body.total !== ROWS)
      throw new Error(`the upload answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    const after = await probe(server.url, new Promise((resolve) => setTimeout(resolve, AFTER_MS)));
    return {
      engine,
      rows: ROWS,
      import_seconds: Math.round(importSeconds * 10) / 10,
      healthz_during_import: summary(during),
      healthz_during_fanout_and_renders: summary(after),
    };
  } finally {
    server.child.kill('SIGKILL');
    await once(server.child, 'exit').catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const work = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-import-csv-'));
const csvFile = path.join(work, 'catalog.csv');
writeFileSync(csvFile, catalogCsv(ROWS));
const results: Record<string, unknown> = {
  machine: `${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  runs: [await measure('PGlite', csvFile)],
};
if (process.env.DATABASE_URL) (results.runs as unknown[]).push(await measure('PostgreSQL', csvFile));
rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify(results, null, 2));
