/**
 * Side-by-side comparison of this checkout against another git revision, for a machine whose load
 * changes from minute to minute: the two run alternately (A, B, A, B …), each run in a fresh
 * process, and the medians of each side and their ratio are reported. The other revision is
 * exported with `git archive` into a temporary directory that shares this checkout's node_modules
 * and runs this checkout's bench/ (so both sides are measured by the same code).
 *
 *   node bench/compare.ts [--ref main] [--runs 3] [--bench spine] -- [arguments of the benchmark]
 *   node bench/compare.ts --ref main --runs 3 -- --jobs 1000 --latency-requests 50
 *   node bench/compare.ts --ref main --runs 2 --bench providers -- --naive-images 0
 *
 * Benchmarks that print one JSON object on their last lines are supported: spine.bench.ts, and
 * providers.bench.ts with --json (added by this script).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const separator = process.argv.indexOf('--');
const own = separator >= 0 ? process.argv.slice(2, separator) : process.argv.slice(2);
const benchArgs = separator >= 0 ? process.argv.slice(separator + 1) : [];
const { values } = parseArgs({
  args: own,
  options: {
    ref: { type: 'string', default: 'main' },
    runs: { type: 'string', default: '3' },
    bench: { type: 'string', default: 'spine' },
  },
});
const runs = Number(values.runs);
const here = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const script = `bench/${values.bench}.bench.ts`;
const args = values.bench === 'providers' ? [...benchArgs, '--json'] : benchArgs;

const baseline = mkdtempSync(path.join(tmpdir(), 'vitrine-compare-'));
execFileSync('sh', ['-c', `git -C "${here}" archive "${values.ref}" | tar -x -C "${baseline}"`]);
symlinkSync(path.join(here, 'node_modules'), path.join(baseline, 'node_modules'));
rmSync(path.join(baseline, 'bench'), { recursive: true, force: true });
cpSync(path.join(here, 'bench'), path.join(baseline, 'bench'), { recursive: true });
const revision = execFileSync('git', ['-C', here, 'rev-parse', '--short', values.ref]).toString().trim();
const head = execFileSync('git', ['-C', here, 'rev-parse', '--short', 'HEAD']).toString().trim();

function runOnce(directory: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(directory, script), ...args], {
      cwd: directory,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} in ${directory} exited with ${code}`));
      const start = output.lastIndexOf('\n{');
      try {
        resolve(JSON.parse(output.slice(start + 1)) as Record<string, unknown>);
      } catch {
        reject(new Error(`no JSON result from ${script}:\n${output.slice(-500)}`));
      }
    });
  });
}

/** Every numeric leaf, by its dotted path. */
function flatten(value: unknown, prefix = '', into = new Map<string, number>()) {
  if (typeof value === 'number') into.set(prefix, value);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) flatten(item, prefix ? `${prefix}.${key}` : key, into);
  return into;
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const sides = { base: [] as Map<string, number>[], head: [] as Map<string, number>[] };
const loads: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    // Alternate which side goes first, so neither always runs on a warmer or busier machine.
    const order: Array<'base' | 'head'> = run % 2 ? ['head', 'base'] : ['base', 'head'];
    for (const side of order) {
      loads.push(loadavg()[0]!);
      const result = await runOnce(side === 'base' ? baseline : here);
      sides[side].push(flatten(result));
      process.stderr.write(`run ${run + 1}/${runs} ${side} done\n`);
    }
  }
} finally {
  rmSync(baseline, { recursive: true, force: true });
}

const keys = [...sides.head[0]!.keys()].filter((key) => sides.base.every((run) => run.has(key)));
console.log(`\n${script} ${args.join(' ')}`);
console.log(
  `A = ${values.ref} (${revision}), B = this checkout (${head}${execFileSync('git', ['-C', here, 'status', '--porcelain']).length ? ', with uncommitted changes' : ''}); ${runs} runs each, alternating`,
);
console.log(
  `load average (1 min) at the start of each run: ${loads.map((load) => load.toFixed(1)).join(', ')}\n`,
);
console.log('| measure | A median | B median | B / A | A runs | B runs |');
console.log('|---|---|---|---|---|---|');
for (const key of keys) {
  const a = sides.base.map((run) => run.get(key)!);
  const b = sides.head.map((run) => run.get(key)!);
  const ratio = median(a) === 0 ? '—' : (median(b) / median(a)).toFixed(3);
  console.log(`| ${key} | ${median(a)} | ${median(b)} | ${ratio} | ${a.join(', ')} | ${b.join(', ')} |`);
}
