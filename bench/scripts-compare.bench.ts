/**
 * The offline script analyzer of another checkout against this one, on the same 3,000-character
 * Chinese script (the recipe of bench/scripts.bench.ts), run by run alternately so both see the same
 * load:
 *
 *   git archive <commit> src | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/node_modules
 *   node bench/scripts-compare.bench.ts /tmp/old [--runs 50]
 *
 * Prints the median and p95 of each, in milliseconds, of wall time and of the process's CPU time
 * (user + system: on a loaded machine the wall time mostly measures the wait for a core).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeHeuristically } from '../src/domain/script/heuristic-analyzer.ts';
import { chineseWords } from '../src/text/chinese-words.ts';
import { loadAnnotatedScripts } from '../test/support/live-scripts.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '50' } },
});
const otherRoot = path.resolve(positionals[0] ?? '/tmp/old');
const other = await import(path.join(otherRoot, 'src/domain/script/heuristic-analyzer.ts'));
const otherWords = await import(path.join(otherRoot, 'src/text/chinese-words.ts'));

const chinese = chineseWords();
const otherChinese = otherWords.chineseWords();
let long = '';
for (const script of loadAnnotatedScripts().filter((item) => item.language === 'zh')) {
  if (long.length >= 3000) break;
  long += `${script.text.trim()}\n\n`;
}
long = long.slice(0, 3000);

const times: Record<'other' | 'this', number[]> = { other: [], this: [] };
const cpu: Record<'other' | 'this', number[]> = { other: [], this: [] };
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
other.analyzeHeuristically(long, { chinese: otherChinese });
analyzeHeuristically(long, { chinese });
for (let run = 0; run < Number(values.runs); run++) {
  let started = performance.now();
  let cpuStarted = process.cpuUsage();
  other.analyzeHeuristically(long, { chinese: otherChinese });
  cpu.other.push(cpuMs(cpuStarted));
  times.other.push(performance.now() - started);
  started = performance.now();
  cpuStarted = process.cpuUsage();
  analyzeHeuristically(long, { chinese });
  cpu.this.push(cpuMs(cpuStarted));
  times.this.push(performance.now() - started);
}
const percentile = (samples: number[], p: number) =>
  Math.round(
    [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]! * 10,
  ) / 10;
console.log(
  JSON.stringify({
    characters: long.length,
    runs: Number(values.runs),
    other: {
      root: otherRoot,
      median_ms: percentile(times.other, 0.5),
      p95_ms: percentile(times.other, 0.95),
      cpu_median_ms: percentile(cpu.other, 0.5),
    },
    this: {
      median_ms: percentile(times.this, 0.5),
      p95_ms: percentile(times.this, 0.95),
      cpu_median_ms: percentile(cpu.this, 0.5),
    },
  }),
);
