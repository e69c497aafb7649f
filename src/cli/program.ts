import { Command, Option } from 'commander';
import { DataDirBusyError } from '../app/data-dir-lock.ts';
import { StartupError } from '../app/startup-error.ts';
import { ConfigError } from '../config/env.ts';
import { AppError } from '../domain/errors.ts';
import { CliError } from './api-client.ts';
import { registerAskCommand } from './commands/ask.command.ts';
import { registerBatchCommand } from './commands/batch.command.ts';
import { registerCheckCommand } from './commands/check.command.ts';
import { registerEstimateCommand } from './commands/estimate.command.ts';
import { registerGenerateCommand } from './commands/generate.command.ts';
import { registerKeysCommand } from './commands/keys.command.ts';
import { registerPosterCommand } from './commands/poster.command.ts';
import { registerProductsCommands } from './commands/products.command.ts';
import { registerScriptCommand } from './commands/script.command.ts';
import { registerServeCommands } from './commands/serve.command.ts';
import { registerShopifyCommand } from './commands/shopify.command.ts';
import { registerStorageCommands } from './commands/storage.command.ts';
import { registerSystemCommands } from './commands/system.command.ts';
import { registerWorkersCommand } from './commands/workers.command.ts';

/** `vitrine`: every command runs in-process on the embedded database, or against --server. */
export function buildProgram(): Command {
  const program = new Command('vitrine')
    .description('Vitrine — on-brand images for e-commerce, at batch scale, through any image model')
    .version('0.1.0')
    .addOption(new Option('--server <url>', 'talk to a running Vitrine server instead of the local database'))
    .addOption(new Option('--key <key>', 'API key for --server (or VITRINE_API_KEY)'))
    .showHelpAfterError();
  registerServeCommands(program);
  registerGenerateCommand(program);
  registerPosterCommand(program);
  registerScriptCommand(program);
  registerBatchCommand(program);
  registerEstimateCommand(program);
  registerCheckCommand(program);
  registerAskCommand(program);
  registerProductsCommands(program);
  registerKeysCommand(program);
  registerShopifyCommand(program);
  registerSystemCommands(program);
  registerWorkersCommand(program);
  registerStorageCommands(program);
  return program;
}

/** Runs a command body, turning known errors into a clear message and the contract's exit codes. */
// biome-ignore lint/suspicious/noConfusingVoidType: command bodies that exit 0 return nothing
export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (error) {
    process.exitCode = reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`vitrine: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ConfigError || error instanceof DataDirBusyError || error instanceof StartupError) {
    process.stderr.write(`vitrine: ${error.message}\n`);
    return 1;
  }
  if (error instanceof AppError) {
    const issues =
      (error.details as { issues?: Array<{ field: string; message: string }> } | undefined)?.issues ?? [];
    process.stderr.write(
      `vitrine: ${error.message}${issues.map((i) => `\n  ${i.field}: ${i.message}`).join('')}\n`,
    );
    return error.code === 'invalid_request' || error.code === 'not_found' ? 1 : 2;
  }
  process.stderr.write(`vitrine: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 2;
}
