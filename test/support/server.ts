import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type RunningProcess, startProcess } from '../../src/app/server.ts';
import type { Config, Role } from '../../src/config/env.ts';
import { HttpClient } from './http.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI_MAIN = path.join(REPO_ROOT, 'src/cli/main.ts');

export interface InProcessServer {
  url: string;
  /** The admin key created at this start; null when the database had an active key already. */
  adminKey: string | null;
  running: RunningProcess;
  stop(): Promise<void>;
}

/** `startProcess` with the API and the workers, on the config's port (tests use PORT 0). */
export async function startInProcessServer(
  config: Config,
  options: { roles?: readonly Role[]; workerConcurrency?: number } = {},
): Promise<InProcessServer> {
  const running = await startProcess(config, {
    roles: new Set(options.roles ?? ['api', 'worker']),
    workerConcurrency: options.workerConcurrency,
  });
  if (!running.url) throw new Error('the process started without the api role');
  let stopped: Promise<void> | null = null;
  return {
    url: running.url,
    adminKey: running.bootstrapKey?.key ?? null,
    running,
    stop: () => {
      stopped ??= running.stop({ graceful: false });
      return stopped;
    },
  };
}

/** The environment a spawned CLI sees: the machine's PATH and HOME, and nothing of the test's own. */
export function cliEnvironment(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'silent',
  };
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env;
}

export interface ServerSubprocess {
  url: string;
  /** Parsed from the line after "Admin API key"; null when this start created none. */
  adminKey: string | null;
  child: ChildProcess;
  client: HttpClient;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, and SIGKILL if it is not gone within `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash; resolves when it has exited. */
  kill(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

/**
 * Spawns `node src/cli/main.ts serve` and resolves once it printed "Vitrine is running at URL" (and,
 * on a new data dir, the admin key on the line after "Admin API key").
 * Rejects (with its stderr) when the process exits first or does not start within a minute.
 */
export async function startServerSubprocess(options: {
  dataDir: string;
  env?: Record<string, string | undefined>;
  port?: number;
  /** True (default) on a data dir without keys: waits for the admin key the banner prints. */
  expectAdminKey?: boolean;
}): Promise<ServerSubprocess> {
  const child = spawn(process.execPath, [CLI_MAIN, 'serve'], {
    cwd: REPO_ROOT,
    env: cliEnvironment({
      VITRINE_DATA_DIR: options.dataDir,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));

  const lines = createInterface({ input: child.stdout! });
  const expectAdminKey = options.expectAdminKey ?? true;
  const ready = new Promise<{ url: string; adminKey: string | null }>((resolve, reject) => {
    let url: string | null = null;
    let adminKey: string | null = null;
    let keyLineNext = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${STARTUP_TIMEOUT_MS} ms\n${stderr}`));
    }, STARTUP_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      resolve({ url: url!, adminKey });
    };
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      const running = /Vitrine is running at (\S+)/.exec(line);
      if (running) url = running[1]!;
      if (keyLineNext) {
        adminKey = line.trim();
        keyLineNext = false;
        if (url) done();
      }
      if (/Admin API key/.test(line)) keyLineNext = true;
      // Without a new key the banner ends with the empty line after "Database:".
      if (url && !expectAdminKey && line.trim() === '') done();
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before it was ready:\n${stderr}`));
    });
  });
  const { url, adminKey } = await ready;

  const waitGone = async () => {
    await exited;
  };
  return {
    url,
    adminKey,
    child,
    client: new HttpClient(url, adminKey),
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await waitGone();
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await waitGone();
    },
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node src/cli/main.ts ...args` to its end (killed after `timeoutMs`). */
export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    cwd: REPO_ROOT,
    env: cliEnvironment(options.env ?? {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}
