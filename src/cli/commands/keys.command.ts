import type { Command } from 'commander';
import { presentApiKey } from '../../api/presenters.ts';
import { type ApiKeyScope, apiKeyScopes } from '../../db/api-key.repository.ts';
import { CliError } from '../api-client.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';

type KeyView = ReturnType<typeof presentApiKey> & { key?: string };

export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('API keys: create, list, revoke');

  keys
    .command('create')
    .description('create an API key; its secret is printed once')
    .requiredOption('--name <name>', 'what the key is for')
    .option('--scopes <scopes>', `comma-separated: ${apiKeyScopes.join(', ')}`, 'generate,read')
    .option('--daily-budget <usd>', 'the most its jobs may cost per UTC day, in USD')
    .option('--json', 'print {"id", "key", …} as JSON')
    .action(
      (options: { name: string; scopes: string; dailyBudget?: string; json?: boolean }, command: Command) =>
        runCommand(async () => {
          const scopes = parseScopes(options.scopes);
          const budget = options.dailyBudget === undefined ? undefined : Number(options.dailyBudget);
          if (budget !== undefined && !(Number.isFinite(budget) && budget >= 0))
            throw new CliError('--daily-budget takes an amount in USD, e.g. 25 or 7.5');
          const body = {
            name: options.name,
            scopes,
            ...(budget === undefined ? {} : { daily_budget_usd: budget }),
          };
          const created = await onTarget(
            command,
            (client) => client.request<KeyView>('POST', '/v1/api-keys', body),
            async (container) => {
              const record = await container.apiKeys.create(body);
              return { ...presentApiKey(record), key: record.key };
            },
          );
          if (options.json) process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
          else {
            process.stdout.write(
              `Created ${created.id} (${created.scopes.join(', ')}). The key, shown once:\n`,
            );
            process.stdout.write(`${created.key}\n`);
          }
        }),
    );

  keys
    .command('list')
    .description('list API keys (never their secrets)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }, command: Command) =>
      runCommand(async () => {
        const list = await onTarget(
          command,
          async (client) => (await client.request<{ data: KeyView[] }>('GET', '/v1/api-keys')).data,
          async (container) => (await container.apiKeys.list()).map(presentApiKey),
        );
        if (options.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        for (const key of list) {
          const state = key.revoked_at
            ? `revoked ${key.revoked_at}`
            : `last used ${key.last_used_at ?? 'never'}`;
          process.stdout.write(
            `${key.id}  ${key.key_prefix}…  ${key.scopes.join(',').padEnd(21)} ${key.name}  (${state})\n`,
          );
        }
      }),
    );

  keys
    .command('revoke')
    .description('revoke an API key by id')
    .argument('<id>', 'the key id (from keys list)')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }, command: Command) =>
      runCommand(async () => {
        const revoked = await onTarget(
          command,
          (client) => client.request<KeyView>('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`),
          async (container) => presentApiKey(await container.apiKeys.revoke(id)),
        );
        if (options.json) process.stdout.write(`${JSON.stringify(revoked, null, 2)}\n`);
        else process.stdout.write(`Revoked ${revoked.id} (${revoked.name})\n`);
      }),
    );
}

function parseScopes(text: string): ApiKeyScope[] {
  const scopes = text.split(',').map((scope) => scope.trim());
  const unknown = scopes.filter((scope) => !(apiKeyScopes as readonly string[]).includes(scope));
  if (unknown.length > 0 || scopes.length === 0) {
    throw new CliError(`--scopes takes ${apiKeyScopes.join(', ')}; unknown: ${unknown.join(', ')}`);
  }
  return scopes as ApiKeyScope[];
}

async function onTarget<T>(
  command: Command,
  remote: (client: import('../api-client.ts').ApiClient) => Promise<T>,
  local: (container: import('../../app/container.ts').Container) => Promise<T>,
): Promise<T> {
  const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
  if (target.kind === 'remote') return remote(target.client);
  return withLocalProcess(target.config, [], ({ container }) => local(container));
}
