import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { BatchRequest } from '../../services/batches/batch-import.service.ts';
import { CliError } from '../api-client.ts';
import {
  type BatchTarget,
  type BatchView,
  localBatchTarget,
  readJsonRows,
  remoteBatchTarget,
} from '../batch/batch-target.ts';
import { continuationHelp, followBatch, progressText, watchInterrupt } from '../batch/follow.ts';
import { BatchImageWriter } from '../batch/image-writer.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import {
  designOptions,
  MIN_QUALITY_HELP,
  qualityText,
  STYLE_PACK_HELP,
  warningLines,
} from '../design-options.ts';
import { runCommand } from '../program.ts';

export { readJsonRows };

export interface BatchOptions {
  template: string;
  brand?: string;
  n: string;
  provider?: string;
  priority: string;
  keyColumn?: string;
  stylePack?: string;
  minQuality?: string;
  out?: string;
  json?: boolean;
}

/** Exit code after Ctrl-C, as a shell reports a process ended by SIGINT. */
const INTERRUPTED = 130;

export function registerBatchCommand(program: Command): void {
  const batch = program
    .command('batch')
    .usage('FILE --template NAME [options] | status|cancel|download|list …')
    .description(
      'make images for every row of a CSV or JSON file (invalid rows are reported by line); follow, cancel or download a batch',
    );
  batch
    .command('run <file>', { isDefault: true })
    .description('(the default: `vitrine batch FILE …`) make images for every row of FILE')
    .requiredOption('--template <name>', 'the template every row fills')
    .option('--brand <slug>', 'brand kit (a row may name its own in a brand column)')
    .option('-n <count>', 'images per row (1–10)', '1')
    .option('--provider <id>', 'image provider (default: automatic)')
    .option('--priority <priority>', 'urgent, normal or batch', 'batch')
    .option('--key-column <name>', 'the column naming each row (default: sku, else id)')
    .option('--style-pack <pack>', STYLE_PACK_HELP)
    .option('--min-quality <score>', MIN_QUALITY_HELP)
    .option('--out <dir>', 'write the images here as rows finish, named by the key column')
    .option('--json', 'print the report as JSON')
    .action((file: string, options: BatchOptions, command: Command) =>
      runCommand(async () => {
        const request = toBatchRequest(options);
        return withBatchTarget(command, ['worker'], (target) => runBatch(target, file, request, options));
      }),
    );
  batch
    .command('status <id>')
    .description("a batch's progress and counts; --wait follows it to the end")
    .option('--wait', 'follow until it finishes (in-process: runs it here meanwhile)')
    .option('--json', 'print the batch as JSON')
    .action((id: string, options: { wait?: boolean; json?: boolean }, command: Command) =>
      runCommand(async () =>
        withBatchTarget(command, options.wait ? ['worker'] : [], async (target) => {
          const interrupt = watchInterrupt(() => {});
          try {
            const first = await target.state(id);
            const state = options.wait
              ? await followBatch(target, first, { showProgress: !options.json, signal: interrupt.signal })
              : first;
            if (options.json) process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
            else printState(state);
            if (interrupt.signal.aborted) {
              process.stderr.write(`\n${continuationHelp(target, id, undefined)}`);
              return INTERRUPTED;
            }
            return 0;
          } finally {
            interrupt.dispose();
          }
        }),
      ),
    );
  batch
    .command('cancel <id>')
    .description('cancel the rest of a batch: queued rows at once, running ones aborted')
    .option('--json', 'print the batch as JSON')
    .action((id: string, options: { json?: boolean }, command: Command) =>
      runCommand(async () =>
        withBatchTarget(command, [], async (target) => {
          const state = await target.cancel(id);
          if (options.json) process.stdout.write(`${JSON.stringify(state, null, 2)}\n`);
          else printState(state);
          return 0;
        }),
      ),
    );
  batch
    .command('download <id>')
    .description("write a batch's images (named as in its zip) and manifest.csv into a directory")
    .requiredOption('--out <dir>', 'where to write')
    .option('--wait', 'follow until it finishes, writing images as rows succeed')
    .action((id: string, options: { out: string; wait?: boolean }, command: Command) =>
      runCommand(async () =>
        withBatchTarget(command, options.wait ? ['worker'] : [], async (target) => {
          const writer = new BatchImageWriter(target, id, options.out);
          const interrupt = watchInterrupt(() => {});
          try {
            let state = await target.state(id);
            if (options.wait)
              state = await followBatch(target, state, {
                showProgress: true,
                writer,
                signal: interrupt.signal,
              });
            for await (const job of target.jobs(id, 'succeeded')) await writer.write(job);
            await mkdir(options.out, { recursive: true });
            await writeFile(path.join(options.out, 'manifest.csv'), await target.manifest(id));
            process.stdout.write(
              `${writer.files.length} image(s) of ${writer.rowsWritten} row(s) and manifest.csv in ${options.out}\n`,
            );
            if (interrupt.signal.aborted) {
              process.stderr.write(`\n${continuationHelp(target, id, options.out)}`);
              return INTERRUPTED;
            }
            return verifyWritten(state, writer, options.out) ? 0 : 2;
          } finally {
            interrupt.dispose();
          }
        }),
      ),
    );
  batch
    .command('list')
    .description('the latest batches, newest first')
    .option('--limit <count>', 'how many', '20')
    .option('--json', 'print them as JSON')
    .action((options: { limit: string; json?: boolean }, command: Command) =>
      runCommand(async () =>
        withBatchTarget(command, [], async (target) => {
          const limit = Number(options.limit);
          if (!Number.isInteger(limit) || limit < 1 || limit > 100)
            throw new CliError('--limit takes a whole number from 1 to 100');
          const batches = await target.list(limit);
          if (options.json) process.stdout.write(`${JSON.stringify(batches, null, 2)}\n`);
          else for (const state of batches) printState(state);
          return 0;
        }),
      ),
    );
}

/** Runs `work` against --server, or in this process with `roles` (['worker'] makes batches progress). */
async function withBatchTarget(
  command: Command,
  roles: Array<'worker'>,
  work: (target: BatchTarget) => Promise<number>,
): Promise<number> {
  const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
  if (target.kind === 'remote') return work(remoteBatchTarget(target.client));
  return withLocalProcess(target.config, roles, async ({ container }) =>
    work(localBatchTarget(container, target.config.dataDir)),
  );
}

async function runBatch(
  target: BatchTarget,
  file: string,
  request: BatchRequest,
  options: BatchOptions,
): Promise<number> {
  let accepted = false;
  const interrupt = watchInterrupt(() =>
    process.stderr.write(
      `\nvitrine: interrupted — ${accepted ? 'stopping' : `finishing reading ${path.basename(file)} so the batch is kept whole`} (Ctrl-C again to quit at once)\n`,
    ),
  );
  try {
    const created = await target.create(file, request);
    accepted = true;
    // Printed at once, terminal or not: the id is what every other batch command takes.
    process.stderr.write(
      `batch ${created.id} accepted: ${created.total} row(s) to make${created.error_count > 0 ? `, ${created.error_count} invalid` : ''}\n`,
    );
    const writer = options.out ? new BatchImageWriter(target, created.id, options.out) : undefined;
    const finished = await followBatch(target, created, {
      showProgress: !options.json,
      writer,
      signal: interrupt.signal,
    });
    if (interrupt.signal.aborted) {
      process.stderr.write(
        `vitrine: stopped following at ${progressText(finished)}${writer ? `; ${writer.files.length} image(s) in ${options.out}` : ''}.\n${continuationHelp(target, created.id, options.out)}`,
      );
      return INTERRUPTED;
    }
    const failedRows: Array<{ row: number; key: string | null; error: string }> = [];
    for await (const job of target.jobs(finished.id, 'failed')) {
      failedRows.push({
        row: Number(job.metadata.batch_row),
        key: (job.metadata.batch_key as string | undefined) ?? null,
        error: job.error ? `${job.error.code}: ${job.error.message}` : 'failed',
      });
    }
    failedRows.sort((a, b) => a.row - b.row);
    const warned: Array<{ row: number; key: string | null; lines: string[] }> = [];
    for await (const job of target.jobs(finished.id, 'succeeded')) {
      // The last pass also writes any row the polling missed, so --out ends complete.
      await writer?.write(job);
      const lines = warningLines(job.warnings, '    ');
      if (lines.length === 0) continue;
      const row = Number(job.metadata.batch_row);
      const key = (job.metadata.batch_key as string | undefined) ?? null;
      const scores = job.images.map((image) => qualityText(image)).join('; ');
      warned.push({ row, key, lines: [`    ${scores}`, ...lines] });
    }
    warned.sort((a, b) => a.row - b.row);
    const files = [...(writer?.files ?? [])].sort();
    report({ batch: finished, failedRows, files, warned }, options.json);
    const complete = writer ? verifyWritten(finished, writer, options.out!) : true;
    const someFailed =
      finished.error_count > 0 || finished.counts.failed > 0 || finished.status !== 'succeeded';
    return someFailed || !complete ? 2 : 0;
  } finally {
    interrupt.dispose();
  }
}

/** Every succeeded row must have its images on disk; otherwise say so (exit 2), never pass silently. */
function verifyWritten(batch: BatchView, writer: BatchImageWriter, out: string): boolean {
  if (writer.rowsWritten >= batch.counts.succeeded) return true;
  process.stderr.write(
    `vitrine: only ${writer.rowsWritten} of ${batch.counts.succeeded} succeeded rows were written to ${out}; run \`vitrine batch download ${batch.id} --out ${out}\` again\n`,
  );
  return false;
}

export function toBatchRequest(options: BatchOptions): BatchRequest {
  const n = Number(options.n);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new CliError('-n takes a whole number from 1 to 10');
  if (!['urgent', 'normal', 'batch'].includes(options.priority))
    throw new CliError('--priority takes urgent, normal or batch');
  return {
    template: options.template,
    brand: options.brand,
    n,
    provider: options.provider,
    priority: options.priority as BatchRequest['priority'],
    cache: 'exact',
    key_column: options.keyColumn,
    ...designOptions(options),
  };
}

function printState(batch: BatchView): void {
  process.stdout.write(
    `batch ${batch.id} ${batch.status}: ${progressText(batch)}, ${batch.counts.canceled} canceled, ${batch.error_count} invalid; template ${batch.template}; cost $${batch.cost_usd}\n`,
  );
}

function report(
  outcome: {
    batch: BatchView;
    failedRows: Array<{ row: number; key: string | null; error: string }>;
    files: string[];
    warned: Array<{ row: number; key: string | null; lines: string[] }>;
  },
  json: boolean | undefined,
): void {
  const { batch, failedRows, files, warned } = outcome;
  if (json) {
    const warnedRows = warned.map(({ row, key, lines }) => ({
      row,
      key,
      warnings: lines.map((l) => l.trim()),
    }));
    process.stdout.write(
      `${JSON.stringify({ ...batch, failed_rows: failedRows, warned_rows: warnedRows, files }, null, 2)}\n`,
    );
    return;
  }
  const { succeeded, failed, canceled } = batch.counts;
  process.stdout.write(
    `batch ${batch.id} ${batch.status}: ${succeeded} succeeded, ${failed} failed, ${canceled} canceled, ${batch.error_count} invalid; cost $${batch.cost_usd}\n`,
  );
  for (const error of batch.errors)
    process.stderr.write(`  line ${error.row}${error.key ? ` (${error.key})` : ''}: ${error.message}\n`);
  if (batch.error_count > batch.errors.length)
    process.stderr.write(`  … and ${batch.error_count - batch.errors.length} more invalid rows\n`);
  for (const row of failedRows)
    process.stderr.write(`  line ${row.row}${row.key ? ` (${row.key})` : ''} failed: ${row.error}\n`);
  for (const row of warned) {
    process.stderr.write(`  line ${row.row}${row.key ? ` (${row.key})` : ''} succeeded with warnings:\n`);
    for (const line of row.lines) process.stderr.write(`${line}\n`);
  }
  if (files.length > 0) process.stdout.write(`${files.length} image(s) in ${path.dirname(files[0]!)}\n`);
}
