import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { buildConfig, type TestConfig } from '../support/engines.ts';
import { HttpClient } from '../support/http.ts';
import { CLI_MAIN, cliEnvironment, REPO_ROOT, runCli, startInProcessServer } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const ROWS = 40;

function catalog(file: string): void {
  const lines = ['sku,title,subtitle'];
  for (let index = 0; index < ROWS; index++) lines.push(`LIVE-${index},今晚8点直播 ${index},满200减50`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** A CLI process whose stderr is read as it comes. */
function spawnCli(args: readonly string[], env: Record<string, string | undefined>) {
  const child: ChildProcess = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: REPO_ROOT,
    env: cliEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = once(child, 'close').then(([code]) => code as number | null);
  return { child, closed, stdout: () => stdout, stderr: () => stderr };
}

const files = (dir: string) => {
  try {
    return readdirSync(dir).filter((name) => name.endsWith('.png'));
  } catch {
    return [];
  }
};

describe('vitrine batch: the id at once, files as rows finish, Ctrl-C says how to go on (spawned CLI)', () => {
  const dirs = new TempDirs();
  const configs: TestConfig[] = [];
  after(async () => {
    for (const config of configs) await config.dispose();
    dirs.cleanup();
  });

  test('against a server: Ctrl-C exits 130 and the batch goes on; status, download and cancel by id', async () => {
    const work = dirs.make('vitrine-cli-follow-remote-');
    const testConfig = buildConfig('pglite', path.join(work, 'data'));
    configs.push(testConfig);
    const server = await startInProcessServer(testConfig.config, { workerConcurrency: 1 });
    try {
      const file = path.join(work, 'live.csv');
      catalog(file);
      const out = path.join(work, 'out');
      const env = { VITRINE_URL: server.url, VITRINE_API_KEY: server.adminKey ?? '' };
      const cli = spawnCli(['batch', file, '--template', 'live_cover', '--out', out], env);
      const id = await pollUntil(() => /batch (\S+) accepted: 40 row\(s\) to make/.exec(cli.stderr())?.[1], {
        timeoutMs: 60_000,
        intervalMs: 20,
        what: 'the batch id, printed at once',
      });
      const api = new HttpClient(server.url, server.adminKey);
      // Files appear while the batch still runs.
      await pollUntil(() => files(out).length >= 2, {
        timeoutMs: 60_000,
        what: 'images written as rows finish',
      });
      const midway = await api.get(`/v1/batches/${id}`);
      assert.notEqual(midway.body.status, 'succeeded', 'the batch was still running when files appeared');
      cli.child.kill('SIGINT');
      assert.equal(await cli.closed, 130);
      assert.match(cli.stderr(), new RegExp(`Batch ${id} goes on on the server`));
      assert.match(cli.stderr(), new RegExp(`batch status ${id} --wait`));
      assert.match(cli.stderr(), new RegExp(`batch cancel ${id}`));
      assert.match(cli.stderr(), new RegExp(`batch download ${id} --out`));

      const status = await runCli(['batch', 'status', id!, '--wait', '--json'], { env });
      assert.equal(status.code, 0, status.stderr);
      assert.equal(JSON.parse(status.stdout).status, 'succeeded', 'the batch went on without the CLI');
      const download = await runCli(['batch', 'download', id!, '--out', out], { env });
      assert.equal(download.code, 0, download.stderr);
      assert.equal(files(out).length, ROWS, 'every row is in the directory');
      assert.ok(readdirSync(out).includes('manifest.csv'));

      const second = await api.post('/v1/batches', {
        template: 'live_cover',
        rows: Array.from({ length: 20 }, (_, index) => ({ sku: `X-${index}`, title: `Cancel ${index}` })),
      });
      const canceled = await runCli(['batch', 'cancel', second.body.id, '--json'], { env });
      assert.equal(canceled.code, 0, canceled.stderr);
      assert.ok(['canceled', 'succeeded'].includes(JSON.parse(canceled.stdout).status));
    } finally {
      await server.stop();
    }
  });

  test('in-process: Ctrl-C keeps the accepted batch, which a later command finishes and downloads', async () => {
    const work = dirs.make('vitrine-cli-follow-local-');
    const env = { VITRINE_DATA_DIR: path.join(work, 'data'), VITRINE_WORKER_CONCURRENCY: '1' };
    const file = path.join(work, 'live.csv');
    catalog(file);
    const cli = spawnCli(['batch', file, '--template', 'live_cover'], env);
    const id = await pollUntil(() => /batch (\S+) accepted/.exec(cli.stderr())?.[1], {
      timeoutMs: 60_000,
      intervalMs: 20,
      what: 'the batch id',
    });
    cli.child.kill('SIGINT');
    assert.equal(await cli.closed, 130, cli.stderr());
    assert.match(cli.stderr(), new RegExp(`Batch ${id} is saved in`));

    const status = await runCli(['batch', 'status', id!, '--json'], { env });
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).total, ROWS, 'the batch is there, whole');
    const out = path.join(work, 'out');
    const download = await runCli(['batch', 'download', id!, '--out', out, '--wait'], {
      env,
      timeoutMs: 300_000,
    });
    assert.equal(download.code, 0, download.stderr);
    assert.equal(files(out).length, ROWS);
  });
});
