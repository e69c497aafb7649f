import type { Command } from 'commander';
import { lockDataDir, readLockOwner } from '../../app/data-dir-lock.ts';
import { loadConfig } from '../../config/env.ts';
import { openPglite, openPostgres } from '../../db/client.ts';
import { migrate } from '../../db/migrator.ts';
import type { ProviderInfo } from '../../providers/registry.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';

export function registerSystemCommands(program: Command): void {
  program
    .command('providers')
    .description('configured image providers, their health and capabilities')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }, command: Command) =>
      runCommand(async () => {
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const providers =
          target.kind === 'remote'
            ? (await target.client.request<{ data: ProviderInfo[] }>('GET', '/v1/providers?refresh=true'))
                .data
            : await withLocalProcess(target.config, [], ({ container }) =>
                container.deps.providers.describe({ refresh: true }),
              );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(providers, null, 2)}\n`);
          return;
        }
        for (const provider of providers) process.stdout.write(describeProvider(provider));
        return providers.every((provider) => provider.health?.ok) ? 0 : 2;
      }),
    );

  program
    .command('migrate')
    .description('apply database migrations (start does this too)')
    .action(() =>
      runCommand(async () => {
        const config = loadConfig();
        const lock = config.database.kind === 'pglite' ? lockDataDir(config.dataDir, null) : null;
        try {
          const db =
            config.database.kind === 'pglite'
              ? await openPglite(config.database.dir)
              : await openPostgres(config.database.url, { schema: config.database.schema });
          try {
            const result = await migrate(db);
            process.stdout.write(
              result.applied.length
                ? `Applied ${result.applied.join(', ')}\n`
                : `Up to date (${result.total} migrations)\n`,
            );
          } finally {
            await db.close();
          }
        } finally {
          lock?.release();
        }
      }),
    );

  program
    .command('doctor')
    .description('check configuration, database, storage and providers')
    .action((_options: unknown, command: Command) =>
      runCommand(async () => {
        const lines: Array<[boolean, string]> = [];
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        // With --server the local data directory is not what is being checked: say nothing of it.
        if (target.kind === 'local')
          lines.push([
            true,
            `configuration valid (${target.config.database.kind === 'pglite' ? `embedded database in ${target.config.dataDir}` : 'PostgreSQL'})`,
          ]);
        if (target.kind === 'remote') {
          const ready = (await fetch(`${target.client.baseUrl}/readyz`)
            .then((r) => r.json())
            .catch((e: Error) => ({ status: e.message }))) as { status: string };
          lines.push([ready.status === 'ready', `server ${target.client.baseUrl}: ${JSON.stringify(ready)}`]);
          const providers = await target.client
            .request<{ data: ProviderInfo[] }>('GET', '/v1/providers?refresh=true')
            .then((page) => page.data)
            .catch((error: Error) => {
              lines.push([false, `providers: ${error.message}`]);
              return [];
            });
          for (const provider of providers) lines.push(providerLine(provider));
        } else {
          const owner =
            target.config.database.kind === 'pglite' ? readLockOwner(target.config.dataDir) : null;
          if (owner) {
            lines.push([
              true,
              `a Vitrine process (pid ${owner.pid}${owner.url ? `, ${owner.url}` : ''}) holds the embedded database; checking through it needs --server`,
            ]);
          } else {
            await withLocalProcess(target.config, [], async ({ container }) => {
              lines.push([true, 'database reachable, migrations applied, queue started']);
              await container.deps.blobs
                .checkWritable()
                .then(() => lines.push([true, `asset storage writable (${container.deps.blobs.location})`]))
                .catch((error: Error) => lines.push([false, `asset storage: ${error.message}`]));
              for (const provider of await container.deps.providers.describe({ refresh: true })) {
                lines.push(providerLine(provider));
              }
            });
          }
        }
        for (const [ok, text] of lines) process.stdout.write(`${ok ? '✓' : '✗'} ${text}\n`);
        return lines.every(([ok]) => ok) ? 0 : 2;
      }),
    );
}

function providerLine(provider: ProviderInfo): [boolean, string] {
  const circuit = provider.circuit.state === 'closed' ? '' : `, circuit ${provider.circuit.state}`;
  return [
    Boolean(provider.health?.ok) && provider.circuit.state !== 'open',
    `provider ${provider.id} (${provider.kind}): ${provider.health?.ok ? 'healthy' : provider.health?.message}${circuit}`,
  ];
}

function describeProvider(provider: ProviderInfo): string {
  const health = provider.health?.ok ? 'healthy' : `unhealthy: ${provider.health?.message ?? 'unknown'}`;
  const caps = provider.capabilities;
  const { limits, calls, circuit } = provider;
  const pace = calls.requestsPerSecond === null ? 'no pace limit' : `${calls.requestsPerSecond} calls/s`;
  const circuitText =
    circuit.state === 'closed'
      ? 'circuit closed'
      : `circuit ${circuit.state} (last failure: ${circuit.lastFailure})`;
  const prices = Object.keys(provider.prices.models).length
    ? `${Object.keys(provider.prices.models).length} priced models, others $${provider.prices.default ?? 0}/image`
    : `$${provider.prices.default ?? 0}/image`;
  return (
    `${provider.id} (${provider.kind}) — ${health}, ${circuitText}\n` +
    `  models: ${provider.models.join(', ')} (default ${provider.default_model})\n` +
    `  up to ${caps.maxImagesPerCall} images a call, ${caps.maxSide}px a side, formats ${caps.formats.join('/')}` +
    `${caps.layouts ? ', renders templates' : ''}${caps.seeds ? ', seeds' : ''}${caps.imageInput ? ', image input' : ''}\n` +
    `  limits: ${pace}, ${limits.max_concurrency} at once, ${limits.timeout_ms / 1000}s timeout; ` +
    `${calls.inFlight} in flight, ${calls.rateLimitedCalls} rate-limited so far\n` +
    `  price: ${prices}\n`
  );
}
