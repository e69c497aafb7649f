import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { Loose } from '../support/http.ts';
import { type ServerSubprocess, startServerSubprocess } from '../support/server.ts';
import { TempDirs } from '../support/temp.ts';
import { pollUntil } from '../support/wait.ts';

const JOBS = 24;
const KILLS = 6;

/** The pids whose parent is `parent`, read from /proc (Linux). */
function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

describe('render processes killed under a running server (embedded database)', () => {
  const dirs = new TempDirs();
  let server: ServerSubprocess | undefined;
  after(async () => {
    await server?.kill();
    dirs.cleanup();
  });

  test('SIGKILL of render processes during renders never takes the server down; every job still succeeds', async (t) => {
    const running = await startServerSubprocess({
      dataDir: dirs.make('vitrine-render-crash-'),
      env: { VITRINE_RENDER_PROCESSES: '2', VITRINE_JOB_MAX_ATTEMPTS: '20' },
    });
    server = running;
    const ids: string[] = [];
    for (let index = 0; index < JOBS; index++) {
      const response = await running.client.post('/v1/generations', {
        template: index % 2 === 0 ? 'live_cover' : 'product_hero',
        params: { title: `Render crash ${index}` },
        n: 2,
        priority: 'batch',
      });
      assert.equal(response.status, 202, response.text);
      ids.push(response.body.id);
    }
    const pid = running.child.pid!;
    let kills = 0;
    while (kills < KILLS) {
      const victims = await pollUntil(() => childrenOf(pid).slice(0, 1 + (kills % 2)), {
        timeoutMs: 30_000,
        intervalMs: 5,
        what: 'a render process to kill',
      }).catch(() => [] as number[]);
      if (victims.length === 0) break;
      for (const victim of victims) {
        try {
          process.kill(victim, 'SIGKILL');
          kills++;
        } catch {
          // Gone already.
        }
      }
      const health = await running.client.get('/healthz');
      assert.equal(health.status, 200, 'the server answers between kills');
    }
    t.diagnostic(`render processes killed: ${kills}`);
    assert.ok(kills >= 3, `killed ${kills} render processes`);

    const finished = await pollUntil(
      async () => {
        const page = await running.client.get<{ data: Loose[] }>('/v1/jobs?limit=100');
        const jobs = page.body.data;
        return jobs.length === JOBS && jobs.every((job) => ['succeeded', 'failed'].includes(job.status))
          ? jobs
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200, what: 'every job finished' },
    );
    for (const job of finished) {
      assert.equal(job.status, 'succeeded', `job ${job.id}: ${JSON.stringify(job.error)}`);
      assert.equal(job.images.length, 2);
    }
    assert.equal(running.child.exitCode, null, 'the server is still running');
    assert.doesNotMatch(running.stderr(), /Unhandled 'error' event|EPIPE/);
  });
});
