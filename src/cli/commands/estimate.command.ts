import { createReadStream, openAsBlob } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { BatchSource } from '../../services/batches/batch-import.service.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';
import { type BatchOptions, readJsonRows, toBatchRequest } from './batch.command.ts';
import { type GenerateOptions, toRequest } from './generate.command.ts';

interface Estimate {
  cost_usd: number;
  currency: 'USD';
  images: number;
  provider: string;
  model: string;
  rows?: number;
  invalid_rows?: number;
}

type EstimateOptions = GenerateOptions & BatchOptions;

export function registerEstimateCommand(program: Command): void {
  program
    .command('estimate')
    .description('what a generation (same options as generate) or a batch (a FILE, as batch) would cost')
    .argument('[file]', 'FILE.csv or FILE.json: estimate a batch')
    .option('--prompt <text>', 'what to make')
    .option('--template <name>', 'a template')
    .option(
      '--param <key=value>',
      'a template param (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('-n <count>', 'images (per row for a batch)', '1')
    .option('--brand <slug>', 'brand kit')
    .option('--size <WxH>', 'size in pixels')
    .option('--provider <id>', 'image provider')
    .option('--model <model>', 'model of the provider')
    .option('--priority <priority>', 'urgent, normal or batch', 'normal')
    .option('--key-column <name>', 'a batch: the column naming each row')
    .option('--json', 'print the estimate as JSON')
    .action((file: string | undefined, options: EstimateOptions, command: Command) =>
      runCommand(async () => {
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        let estimate: Estimate;
        if (file) {
          const request = toBatchRequest(options);
          const isJson = path.extname(file).toLowerCase() === '.json';
          if (target.kind === 'remote') {
            if (isJson) {
              estimate = await target.client.request('POST', '/v1/estimate', {
                ...request,
                rows: await readJsonRows(file),
              });
            } else {
              const form = new FormData();
              for (const [name, value] of Object.entries(request))
                if (value !== undefined) form.set(name, String(value));
              form.set('file', await openAsBlob(file, { type: 'text/csv' }), path.basename(file));
              estimate = await target.client.requestForm('/v1/estimate', form);
            }
          } else {
            const source: BatchSource = isJson
              ? { kind: 'json', rows: await readJsonRows(file) }
              : { kind: 'csv', bytes: createReadStream(file) };
            estimate = await withLocalProcess(target.config, [], ({ container }) =>
              container.batchImports.estimate(request, source),
            );
          }
        } else {
          const request = toRequest({ ...options, out: '', wait: '0' });
          if (target.kind === 'remote')
            estimate = await target.client.request('POST', '/v1/estimate', request);
          else {
            const plan = await withLocalProcess(target.config, [], ({ container }) =>
              container.generations.preview(request),
            );
            estimate = {
              cost_usd: plan.estimatedCostUsd,
              currency: 'USD',
              images: request.n,
              provider: plan.providerId,
              model: plan.model,
            };
          }
        }
        if (options.json) process.stdout.write(`${JSON.stringify(estimate, null, 2)}\n`);
        else {
          const rows =
            estimate.rows === undefined
              ? ''
              : ` for ${estimate.rows} rows (${estimate.invalid_rows} invalid)`;
          process.stdout.write(
            `$${estimate.cost_usd} ${estimate.currency}: ${estimate.images} image(s)${rows} on ${estimate.provider}/${estimate.model}\n`,
          );
        }
      }),
    );
}
