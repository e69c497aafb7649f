import type { Command } from 'commander';
import { startProcess } from '../../app/server.ts';
import { loadConfig, type Role } from '../../config/env.ts';
import { CliError } from '../api-client.ts';
import { runCommand } from '../program.ts';

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('run the API, the workers and the web pages (the default roles)')
    .option('--port <n>', 'port to listen on (PORT)')
    .option('--host <host>', 'address to listen on (HOST)')
    .option('--roles <roles>', 'api, worker or api,worker (VITRINE_ROLES)')
    .action((options: { port?: string; host?: string; roles?: string }) =>
      runCommand(async () => {
        const config = loadConfig({ PORT: options.port, HOST: options.host, VITRINE_ROLES: options.roles });
        await runUntilSignal(config, config.roles);
      }),
    );

  program
    .command('worker')
    .description('run only queue workers (scale out next to each GPU; needs DATABASE_URL to share work)')
    .option('--concurrency <n>', 'jobs at once in this process (VITRINE_WORKER_CONCURRENCY)')
    .action((options: { concurrency?: string }) =>
      runCommand(async () => {
        const config = loadConfig({ VITRINE_WORKER_CONCURRENCY: options.concurrency });
        if (config.database.kind === 'pglite') {
          // The embedded database belongs to one process: a worker beside `vitrine serve` could not
          // open it, and alone it would share no work with anyone.
          throw new CliError(
            'vitrine worker needs DATABASE_URL (PostgreSQL): workers share jobs through one database, and the embedded one serves a single process. On one machine, `vitrine serve` (or npm start) already runs the workers.',
          );
        }
        await runUntilSignal(config, new Set<Role>(['worker']));
      }),
    );
}

async function runUntilSignal(
  config: ReturnType<typeof loadConfig>,
  roles: ReadonlySet<Role>,
): Promise<void> {
  const running = await startProcess(config, { roles });
  const out = process.stdout;
  if (running.url) {
    out.write(`\nVitrine is running at ${running.url}\n`);
    out.write(`  Web studio:     ${running.url}/ (sign in with an API key)\n`);
    out.write(`  API reference:  ${running.url}/docs\n`);
    out.write(
      `  Database:       ${config.database.kind === 'pglite' ? config.database.dir : 'PostgreSQL (DATABASE_URL)'}\n`,
    );
    out.write(`  Images:         ${running.container.deps.blobs.location}\n`);
    if (running.bootstrapKey) {
      out.write(`\n  Admin API key (shown once — store it now):\n    ${running.bootstrapKey.key}\n`);
      out.write(`  Use it as a Bearer token, or under Authorize in ${running.url}/docs\n`);
      // A fragment stays in the browser: the key is not sent in the request line nor logged.
      out.write(`\n  Sign in to the web studio:\n    ${running.url}/login#key=${running.bootstrapKey.key}\n`);
      out.write(`\n  First image:\n    curl -X POST '${running.url}/v1/generations?wait=30' \\\n`);
      out.write(
        `      -H "Authorization: Bearer ${running.bootstrapKey.key}" -H "Content-Type: application/json" \\\n`,
      );
      out.write(`      -d '{"template":"product_hero","params":{"title":"Linen shirt","price":"$49"}}'\n`);
    }
    out.write('\n');
  } else {
    out.write(`Vitrine worker running (concurrency ${config.worker.concurrency}); Ctrl-C stops it.\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`\n${signal}: finishing running jobs and stopping…\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.stop({ graceful: true }).finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
