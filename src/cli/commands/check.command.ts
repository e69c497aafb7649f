import { openAsBlob } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { marketplaceProfileIds } from '../../domain/marketplace-profiles.ts';
import { checkImageBytes, type ImageCheckResult } from '../../services/checks/image-check.service.ts';
import { CliError } from '../api-client.ts';
import { type GlobalOptions, resolveTarget } from '../context.ts';
import { runCommand } from '../program.ts';

interface CheckOptions {
  profile: string;
  json?: boolean;
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(`check a photo against a marketplace profile (${marketplaceProfileIds.join(', ')})`)
    .argument('<photo>', 'PNG, JPEG or WebP file')
    .requiredOption('--profile <name>', `one of ${marketplaceProfileIds.join(', ')}`)
    .option('--json', 'print the result as JSON')
    .action((photo: string, options: CheckOptions, command: Command) =>
      runCommand(async () => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const target = resolveTarget(globals);
        let result: ImageCheckResult;
        if (target.kind === 'remote') {
          const form = new FormData();
          form.set('profile', options.profile);
          form.set('image', await openAsBlob(photo), path.basename(photo));
          result = await target.client.requestForm<ImageCheckResult>('/v1/checks', form);
        } else {
          // Pixels only: no database needed, so no process is started.
          const bytes = await readFile(photo).catch((error: NodeJS.ErrnoException) => {
            throw new CliError(
              `cannot read ${photo}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
              1,
            );
          });
          result = await checkImageBytes(
            new Uint8Array(bytes),
            options.profile,
            target.config.limits.maxInputPixels,
          );
        }
        if (options.json || globals.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else process.stdout.write(formatResult(photo, result));
        // Exit 2 when the photo fails: scripts can gate an upload on it.
        return result.passed ? 0 : 2;
      }),
    );
}

function formatResult(photo: string, result: ImageCheckResult): string {
  const lines = [
    `${path.basename(photo)}: ${result.passed ? 'PASSES' : 'FAILS'} ${result.profile} (${result.title})`,
    ...result.checks.map((check) => `  ${check.passed ? '✓' : '✗'} ${check.name}: ${check.detail}`),
    ...result.not_checked.map((what) => `  · not checked: ${what}`),
  ];
  return `${lines.join('\n')}\n`;
}
