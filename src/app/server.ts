import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { createApiApp } from '../api/app.ts';
import type { Config, Role } from '../config/env.ts';
import type { CreatedApiKey } from '../services/access/api-key.service.ts';
import { type Container, createContainer } from './container.ts';

export interface RunningProcess {
  container: Container;
  /** The base URL the API listens on; null for a worker-only process. */
  url: string | null;
  bootstrapKey: CreatedApiKey | null;
  stop(options?: { graceful?: boolean }): Promise<void>;
}

/**
 * Starts what `roles` asks for in this process: the HTTP API, the queue workers, or both (the
 * default, one process on a laptop).
 */
export async function startProcess(
  config: Config,
  options: { roles: ReadonlySet<Role>; workerConcurrency?: number },
): Promise<RunningProcess> {
  const container = await createContainer(config, { roles: options.roles });
  let server: ServerType | null = null;
  let url: string | null = null;
  let bootstrapKey: CreatedApiKey | null = null;
  try {
    if (options.roles.has('worker'))
      await container.startWorkers(options.workerConcurrency ?? config.worker.concurrency);
    if (options.roles.has('api')) {
      bootstrapKey = await container.apiKeys.ensureBootstrapKey();
      const app = createApiApp(container, { isQueueReady: () => true });
      const listening = await new Promise<{ server: ServerType; address: AddressInfo }>((resolve, reject) => {
        const created = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) =>
          resolve({ server: created, address: info }),
        );
        created.once('error', reject);
      });
      server = listening.server;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      url = `http://${host}:${listening.address.port}`;
      container.announceUrl(url);
    }
  } catch (error) {
    await container.close({ graceful: false });
    throw error;
  }
  return {
    container,
    url,
    bootstrapKey,
    async stop({ graceful = true } = {}) {
      if (server) {
        const closing = server;
        await new Promise<void>((resolve) => closing.close(() => resolve()));
      }
      await container.close({ graceful });
    },
  };
}
