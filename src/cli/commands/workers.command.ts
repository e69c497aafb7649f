import type { Command } from 'commander';
import { presentWorker } from '../../api/routes/workers.routes.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';

type WorkerJson = ReturnType<typeof presentWorker>;
interface WorkersPage {
  data: WorkerJson[];
  heartbeat_seconds: number;
  stale_after_seconds: number;
}

export function registerWorkersCommand(program: Command): void {
  program
    .command('workers')
    .description('worker processes of the fleet: state, running jobs, providers and their GPUs')
    .option('--all', 'also workers not heard from in the last 24 hours')
    .option('--json', 'print JSON')
    .action((options: { all?: boolean; json?: boolean }, command: Command) =>
      runCommand(async () => {
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const page =
          target.kind === 'remote'
            ? await target.client.request<WorkersPage>('GET', `/v1/workers${options.all ? '?all=true' : ''}`)
            : await withLocalProcess(target.config, [], async ({ container }) => ({
                data: (await container.fleet.list({ all: options.all })).map(presentWorker),
                heartbeat_seconds: container.fleet.heartbeatSeconds,
                stale_after_seconds: container.fleet.staleSeconds,
              }));
        if (options.json) process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
        else process.stdout.write(describeWorkers(page));
        // Exit 2 when no worker is active: queued jobs would not run (scripts can check this).
        return page.data.some((worker) => worker.state === 'active') ? 0 : 2;
      }),
    );
}

/** A table of workers, then one line per GPU server behind their providers. */
export function describeWorkers(page: WorkersPage): string {
  if (page.data.length === 0) {
    return 'No worker has reported in the last 24 hours. `vitrine serve` runs one; on PostgreSQL, so does `vitrine worker` (same DATABASE_URL).\n';
  }
  const rows = page.data.map((worker) => [
    worker.id,
    worker.state,
    worker.state === 'stopped' ? 'stopped' : `${formatSeconds(worker.seen_seconds_ago)} ago`,
    `${worker.running_job_ids.length}/${worker.concurrency}`,
    String(worker.finished_jobs),
    worker.providers.map((provider) => `${provider.id}${provider.healthy ? '' : ' (unhealthy)'}`).join(', '),
  ]);
  const header = ['WORKER', 'STATE', 'LAST SEEN', 'RUNNING', 'FINISHED', 'PROVIDERS'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `${cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')}\n`;
  let text = line(header) + rows.map(line).join('');
  for (const worker of page.data) {
    for (const provider of worker.providers) {
      for (const backend of provider.backends) {
        const gpu = backend.gpu;
        const memory =
          gpu && gpu.memory_used_bytes !== null && gpu.memory_total_bytes !== null
            ? `, ${gib(gpu.memory_used_bytes)}/${gib(gpu.memory_total_bytes)} GiB used`
            : '';
        const queue = backend.queue_depth === null ? '' : `, queue ${backend.queue_depth}`;
        const state = backend.ok
          ? `${gpu?.name ?? 'GPU'}${memory}${queue}`
          : `unreachable: ${backend.message}`;
        text += `  ${worker.id} ${provider.id} ${backend.url}: ${state}\n`;
      }
    }
  }
  const active = page.data.filter((worker) => worker.state === 'active').length;
  text += `${active} active; a worker reports every ${page.heartbeat_seconds} s and counts as lost after ${page.stale_after_seconds} s of silence.\n`;
  return text;
}

function gib(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(1);
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}
