/**
 * Live-stream scripts, measured on the annotated set the repo ships (test/fixtures/live-scripts):
 *
 *   node bench/scripts.bench.ts [--runs 50] [--n 4] [--concurrency 4] [--analysis-only]
 *
 * 1. Analysis quality of the offline (heuristic) analyzer per split (dev: written against;
 *    heldout, heldout2 and heldout3: held out at first, then used for development in issue 15's
 *    generalization rounds; heldout4: written before the round that studied v3, development data in
 *    the next; heldout5: never tuned on): segment boundary F1, product naming, selling-point recall and
 *    precision (all, and those with confidence ≥ 0.8), offer facts and segments exactly right, mood
 *    agreement. The evaluator is the one the unit tests use (test/support/live-scripts.ts).
 * 2. Analysis time of a 3,000-character Chinese script (annotated scripts joined), jieba loaded once
 *    first (its load is reported apart): median and p95 over --runs.
 * 3. The storyboard: `render` of the five-product Chinese show (5 visuals per product segment, --n
 *    options each) on the studio engine in one process on the embedded database, until the whole
 *    batch has finished (skipped with --analysis-only: parts 1 and 2 need no render workers).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startProcess } from '../src/app/server.ts';
import { loadConfig } from '../src/config/env.ts';
import { analyzeHeuristically } from '../src/domain/script/heuristic-analyzer.ts';
import { chineseWords } from '../src/text/chinese-words.ts';
import {
  LIVE_SCRIPTS_DIR,
  loadAnnotatedScripts,
  scoreScript,
  summarize,
} from '../test/support/live-scripts.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    n: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '4' },
    'analysis-only': { type: 'boolean', default: false },
  },
});

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (samples: number[], p: number) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;

const results: Record<string, unknown> = {
  machine: `${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
};

// 1. Quality on the annotated set.
const loadStarted = performance.now();
const chinese = chineseWords();
chinese.keywords('家人们晚上好,这款亚麻衬衫透气显瘦', 5, ['n']);
const jiebaLoadMs = performance.now() - loadStarted;
const scripts = loadAnnotatedScripts();
for (const split of ['dev', 'heldout', 'heldout2', 'heldout3', 'heldout4', 'heldout5', 'all']) {
  const chosen = scripts.filter((script) => split === 'all' || script.split === split);
  const summary = summarize(
    chosen.map((script) => scoreScript(script, analyzeHeuristically(script.text, { chinese }))),
  );
  results[`quality_${split}`] = Object.fromEntries(
    Object.entries(summary).map(([name, value]) => [name, round(value)]),
  );
}
for (const split of ['dev', 'heldout', 'heldout2', 'heldout3', 'heldout4', 'heldout5'])
  console.error(split, results[`quality_${split}`]);

// 2. Analysis time of a 3,000-character Chinese script.
const chineseTexts = scripts.filter((script) => script.language === 'zh').map((script) => script.text);
let long = '';
for (const text of chineseTexts) {
  if (long.length >= 3000) break;
  long += `${text.trim()}\n\n`;
}
long = long.slice(0, 3000);
const runs = Number(values.runs);
analyzeHeuristically(long, { chinese });
const times: number[] = [];
for (let run = 0; run < runs; run++) {
  const started = performance.now();
  analyzeHeuristically(long, { chinese });
  times.push(performance.now() - started);
}
results.analysis_3000_chars = {
  characters: long.length,
  runs,
  median_ms: round(percentile(times, 0.5), 1),
  p95_ms: round(percentile(times, 0.95), 1),
  jieba_load_ms: Math.round(jiebaLoadMs),
};
console.error('analysis', results.analysis_3000_chars);

if (values['analysis-only']) {
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}

// 3. Render to the whole storyboard finished, studio engine, embedded database.
const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-scripts-'));
const config = loadConfig(
  {},
  {
    VITRINE_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    VITRINE_WORKER_CONCURRENCY: values.concurrency,
  },
);
const running = await startProcess(config, { roles: new Set(['api', 'worker']) });
try {
  const { scriptRenders, batches } = running.container;
  const show = readFileSync(path.join(LIVE_SCRIPTS_DIR, 'zh-five-products.txt'), 'utf8');
  const started = performance.now();
  const { batch, script } = await scriptRenders.render(
    { text: show, n: Number(values.n) },
    { apiKeyId: null },
  );
  const accepted = performance.now() - started;
  let state = await batches.state(batch.id);
  while (!['succeeded', 'failed', 'canceled'].includes(state.batch.status)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await batches.state(batch.id);
  }
  const seconds = (performance.now() - started) / 1000;
  const images = (state.counts.succeeded ?? 0) * Number(values.n);
  results.storyboard = {
    script: 'zh-five-products',
    segments: script.segments.length,
    visuals: state.batch.total,
    options_per_visual: Number(values.n),
    images,
    worker_concurrency: Number(values.concurrency),
    accepted_ms: Math.round(accepted),
    seconds: round(seconds, 1),
    images_per_second: round(images / seconds, 1),
    status: state.batch.status,
    counts: state.counts,
  };
  console.error('storyboard', results.storyboard);
} finally {
  await running.stop({ graceful: false });
  rmSync(dataDir, { recursive: true, force: true });
}

console.log(JSON.stringify(results, null, 2));
