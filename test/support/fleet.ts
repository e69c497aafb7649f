import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { CLI_MAIN, cliEnvironment, REPO_ROOT } from './server.ts';

export interface WorkerSubprocess {
  child: ChildProcess;
  pid: number;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, as a crash or a machine lost; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (finish running jobs, say goodbye), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `node src/cli/main.ts worker` with its own environment (its own VITRINE_DATA_DIR). Ready
 * is not read from its output: a test waits for the worker's heartbeat in `GET /v1/workers`.
 */
export function spawnWorker(
  env: Record<string, string | undefined>,
  args: readonly string[] = [],
): WorkerSubprocess {
  const child = spawn(process.execPath, [CLI_MAIN, 'worker', ...args], {
    cwd: REPO_ROOT,
    env: cliEnvironment(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    pid: child.pid!,
    stderr: () => stderr,
    exited,
    async kill() {
      if (gone()) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 20_000) {
      if (gone()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
