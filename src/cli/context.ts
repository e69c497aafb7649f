import { type RunningProcess, startProcess } from '../app/server.ts';
import { type Config, loadConfig, type Role } from '../config/env.ts';
import { ApiClient } from './api-client.ts';

export interface GlobalOptions {
  server?: string;
  key?: string;
  json?: boolean;
}

/** Where a command does its work: a server over HTTP (--server / VITRINE_URL), or this process. */
export type Target =
  | { kind: 'remote'; client: ApiClient; config: Config }
  | { kind: 'local'; config: Config };

export function resolveTarget(globals: GlobalOptions): Target {
  const config = loadConfig({ VITRINE_URL: globals.server, VITRINE_API_KEY: globals.key });
  if (config.serverUrl)
    return { kind: 'remote', client: new ApiClient(config.serverUrl, config.apiKey), config };
  return { kind: 'local', config };
}

/** Runs `work` on an in-process Vitrine (embedded database unless DATABASE_URL), then stops it. */
export async function withLocalProcess<T>(
  config: Config,
  roles: readonly Role[],
  work: (running: RunningProcess) => Promise<T>,
): Promise<T> {
  const running = await startProcess(config, { roles: new Set(roles) });
  try {
    return await work(running);
  } finally {
    await running.stop({ graceful: true });
  }
}
