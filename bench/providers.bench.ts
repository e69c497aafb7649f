/**
 * Rate-limit benchmark: a batch of images against a provider that takes 2 s a call and allows 10
 * calls a second (429 with retry-after beyond). The bound the rate limit sets is images / 10 s;
 * Vitrine's completion time is reported as a ratio of it, with the 429s it provoked and its failed
 * jobs, side by side with the naive client of pipeline tutorials (fixed 4-way concurrency, blind
 * retries after a fixed second).
 *
 *   npm run bench:providers -- [--images 1000] [--naive-images 1000] [--call-ms 2000] [--per-second 10]
 *                              [--trace calls.csv]
 *
 * `--trace` writes one line per Vitrine call: when its request was created and when its body was
 * written (this process's clock), and when the stand-in received it and what it answered (the
 * stand-in's clock), all in wall-clock milliseconds — to tell our pacing from the way to the vendor —
 * and how many calls were still waiting for their turn when it left (0: the pace had nothing to send).
 *
 * Embedded database by default; with DATABASE_URL, PostgreSQL.
 */
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess } from '../src/app/server.ts';
import { loadConfig } from '../src/config/env.ts';
import { startRateLimitedImageServerProcess } from './support/rate-limited-image-server.ts';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '1000' },
    'naive-images': { type: 'string', default: '1000' },
    'call-ms': { type: 'string', default: '2000' },
    'per-second': { type: 'string', default: '10' },
    trace: { type: 'string' },
  },
});
const images = Number(values.images);
const naiveImages = Number(values['naive-images']);
const callMs = Number(values['call-ms']);
const perSecond = Number(values['per-second']);
const SIZE = 1024;

/** When each of this process's requests was created and had its body written, by client request id. */
const requestTimes = new Map<string, { created?: number; bodySent?: number; waiting?: number }>();
/** How many calls were waiting for their turn with the vendor: read when each request is created. */
let waitingCalls: () => number = () => Number.NaN;
if (values.trace) {
  const clientId = (message: unknown) => {
    const headers = (message as { request?: { headers?: unknown } }).request?.headers;
    if (typeof headers === 'string') return /(?:^|\r\n)x-client-request-id: ([^\r]+)\r\n/i.exec(headers)?.[1];
    if (!Array.isArray(headers)) return undefined;
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === 'x-client-request-id') return String(headers[index + 1]);
    }
    return undefined;
  };
  const stamp = (field: 'created' | 'bodySent') => (message: unknown) => {
    const id = clientId(message);
    if (!id) return;
    const times = requestTimes.get(id) ?? {};
    times[field] ??= performance.timeOrigin + performance.now();
    if (field === 'created') times.waiting ??= waitingCalls();
    requestTimes.set(id, times);
  };
  subscribe('undici:request:create', stamp('created'));
  subscribe('undici:request:bodySent', stamp('bodySent'));
}

const vendor = await startRateLimitedImageServerProcess({ callMs, perSecond, size: SIZE });
const bound = (count: number) => (count / perSecond) * 1000;

async function runVitrine() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-providers-'));
  const configFile = path.join(dataDir, 'vitrine.yaml');
  // What a user would write for this vendor: its published rate, enough calls in flight to use it.
  writeFileSync(
    configFile,
    [
      'providers:',
      '  - kind: openai',
      '    api_key: sk-bench',
      `    base_url: ${vendor.url}`,
      `    limits: { requests_per_second: ${perSecond}, max_concurrency: 64, timeout_ms: 60000 }`,
    ].join('\n'),
  );
  const config = loadConfig(
    {},
    {
      VITRINE_DATA_DIR: dataDir,
      VITRINE_CONFIG: configFile,
      PORT: '0',
      LOG_LEVEL: 'warn',
      VITRINE_WORKER_CONCURRENCY: '64',
      // With DATABASE_URL the same run goes through PostgreSQL (a schema of its own).
      DATABASE_URL: process.env.DATABASE_URL,
      VITRINE_DATABASE_SCHEMA: process.env.DATABASE_URL ? `bench_providers_${Date.now()}` : undefined,
    },
  );
  const running = await startProcess(config, { roles: new Set(['api', 'worker']) });
  const { container } = running;
  const openai = container.deps.providers.get('openai');
  waitingCalls = () => openai.guardState().calls.waiting;
  const key =
    running.bootstrapKey?.key ?? (await container.apiKeys.create({ name: 'bench', scopes: ['admin'] })).key;
  // Only this run's jobs count, each once: on PostgreSQL job events travel through a NOTIFY channel
  // that other processes on the same database (other schemas) publish to as well.
  const ours = new Set<string>();
  const finishedJobs = new Map<string, boolean>();
  const allDone = Promise.withResolvers<void>();
  const checkDone = () => {
    if (ours.size < images || finishedJobs.size < images) return;
    for (const id of ours) if (!finishedJobs.has(id)) return;
    allDone.resolve();
  };
  const unsubscribe = container.deps.events.subscribe('*', (event) => {
    if (event.type !== 'done' || finishedJobs.has(event.jobId)) return;
    finishedJobs.set(event.jobId, event.status === 'succeeded');
    checkDone();
  });
  const started = performance.now();
  // On a loaded machine a submission can lose its connection; it is sent again with the same
  // Idempotency-Key, so it becomes one job whatever happened to the first try.
  const submitOne = async (index: number) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await fetch(`${running.url}/v1/generations`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'application/json',
            'idempotency-key': `bench-${index}`,
          },
          body: JSON.stringify({
            prompt: `linen shirt ${index}`,
            provider: 'openai',
            width: SIZE,
            height: SIZE,
            cache: 'off',
          }),
        });
        if (response.status !== 202 && response.status !== 200) {
          throw new Error(`submit: ${response.status} ${await response.text()}`);
        }
        const job = (await response.json()) as { id: string };
        ours.add(job.id);
        checkDone();
        return;
      } catch (error) {
        if (attempt === 5 || (error as Error).message.startsWith('submit:')) throw error;
        submitRetries += 1;
      }
    }
  };
  let submitRetries = 0;
  let next = 0;
  const submit = async () => {
    while (next < images) {
      next += 1;
      await submitOne(next);
    }
  };
  await Promise.all(Array.from({ length: 8 }, submit));
  const submittedMs = performance.now() - started;
  await allDone.promise;
  let failed = 0;
  for (const id of ours) if (finishedJobs.get(id) !== true) failed += 1;
  const elapsedMs = performance.now() - started;
  unsubscribe();
  const costs = await container.db.query<{ cost: string }>(
    "SELECT coalesce(sum(cost_usd), 0) AS cost FROM jobs WHERE status = 'succeeded'",
  );
  await running.stop({ graceful: true });
  return { elapsedMs, submittedMs, submitRetries, failed, costUsd: Number(costs[0]?.cost ?? 0) };
}

/** The tutorial pipeline: four workers, each retrying any failure after a fixed second. */
async function runNaive() {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < naiveImages) {
      next += 1;
      for (let attempt = 1; ; attempt += 1) {
        const response = await fetch(`${vendor.url}/v1/images/generations`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-bench', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'gpt-image-1', prompt: 'linen shirt', size: '1024x1024' }),
        });
        await response.arrayBuffer();
        if (response.ok) break;
        if (attempt === 5) {
          failed += 1;
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { elapsedMs: performance.now() - started, failed };
}

const vitrine = await runVitrine();
await vendor.refreshStats();
const vitrine429 = vendor.stats.rateLimited;
const vitrine429At = [...vendor.stats.rateLimitedAt];
const vitrineLastCallAt = vendor.stats.lastAcceptedAt;
const vitrineMaxPerSecond = vendor.stats.maxArrivalsPerSecond;
const vitrineTightestSpan = vendor.stats.tightestSpanMs;
if (values.trace) {
  const lines = ['id,created_ms,body_sent_ms,vendor_arrival_ms,status,waiting'];
  for (const arrival of await vendor.arrivals()) {
    const times = (arrival.id && requestTimes.get(arrival.id)) || {};
    lines.push(
      [arrival.id ?? '', ...[times.created, times.bodySent, arrival.at].map((ms) => ms?.toFixed(3) ?? '')]
        .concat(String(arrival.status), String(times.waiting ?? ''))
        .join(','),
    );
  }
  writeFileSync(values.trace, `${lines.join('\n')}\n`);
}
vendor.resetStats();
const naive = naiveImages > 0 ? await runNaive() : null;
await vendor.refreshStats();
const naive429 = vendor.stats.rateLimited;
await vendor.close();

const row = (
  name: string,
  count: number,
  result: { elapsedMs: number; failed: number },
  rateLimited: number,
) =>
  `| ${name} | ${count} | ${(result.elapsedMs / 1000).toFixed(1)} s | ${(bound(count) / 1000).toFixed(0)} s | ` +
  `**${(result.elapsedMs / bound(count)).toFixed(3)}** | ${rateLimited} | ${result.failed} |`;
console.log(`\nDatabase: ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)'}`);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
console.log(`Vendor stand-in: ${callMs} ms a call, ${perSecond} calls/s, 429 + retry-after beyond\n`);
console.log('| client | images | completion | bound (images / rate) | ratio | 429s received | failed |');
console.log('|---|---|---|---|---|---|---|');
console.log(row('Vitrine (openai adapter, rps 10, 64 workers)', images, vitrine, vitrine429));
if (naive) console.log(row('naive: 4-way, blind 1 s retries', naiveImages, naive, naive429));
console.log(
  `\n429s Vitrine received, seconds after the first call: ${vitrine429At.map((ms) => (ms / 1000).toFixed(1)).join(', ') || 'none'}`,
);
console.log(
  `The vendor accepted Vitrine's last call ${(vitrineLastCallAt / 1000).toFixed(1)} s after its first (ideal: ${((images - 1) / perSecond).toFixed(1)} s)`,
);
console.log(
  `The most of Vitrine's calls that reached the vendor in any one-second window: ${vitrineMaxPerSecond} (the limit: ${perSecond})`,
);
console.log(
  `The shortest time in which ${perSecond + 1} of Vitrine's calls reached the vendor: ${vitrineTightestSpan === null ? 'n/a' : `${vitrineTightestSpan.toFixed(1)} ms`} (at least 1000 ms: never over the limit)`,
);
console.log(
  `Vitrine accepted all ${images} jobs in ${(vitrine.submittedMs / 1000).toFixed(1)} s (${vitrine.submitRetries} submissions sent again after a lost connection); cost recorded $${vitrine.costUsd.toFixed(2)}`,
);
