import { createReadStream, openAsBlob } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { presentBatch, presentJob } from '../../api/presenters.ts';
import { fileStemForKey, isBatchFinished } from '../../domain/batch.ts';
import type { BatchRequest, BatchSource } from '../../services/batches/batch-import.service.ts';
import { encodeCursor } from '../../services/generation/generation.service.ts';
import { CliError } from '../api-client.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import {
  designOptions,
  MIN_QUALITY_HELP,
  qualityText,
  STYLE_PACK_HELP,
  warningLines,
} from '../design-options.ts';
import { runCommand } from '../program.ts';
import { createProgressLine } from '../progress.ts';

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

type BatchView = ReturnType<typeof presentBatch>;
type JobView = ReturnType<typeof presentJob>;

/** What the command needs from a server or from this process. */
interface BatchTarget {
  create(): Promise<BatchView>;
  state(id: string): Promise<BatchView>;
  /** Every job of the batch with `status`, a page at a time. */
  jobs(id: string, status: 'succeeded' | 'failed'): AsyncGenerator<JobView>;
  bytes(image: JobView['images'][number]): Promise<Uint8Array>;
}

const POLL_MS = 500;

export function registerBatchCommand(program: Command): void {
  program
    .command('batch')
    .description('make images for every row of a CSV or JSON file; invalid rows are reported by line')
    .argument(
      '<file>',
      'FILE.csv (header = template params, plus n, seed, brand, sku) or FILE.json (an array of rows)',
    )
    .requiredOption('--template <name>', 'the template every row fills')
    .option('--brand <slug>', 'brand kit (a row may name its own in a brand column)')
    .option('-n <count>', 'images per row (1–10)', '1')
    .option('--provider <id>', 'image provider (default: automatic)')
    .option('--priority <priority>', 'urgent, normal or batch', 'batch')
    .option('--key-column <name>', 'the column naming each row (default: sku, else id)')
    .option('--style-pack <pack>', STYLE_PACK_HELP)
    .option('--min-quality <score>', MIN_QUALITY_HELP)
    .option('--out <dir>', 'write the images here, named by the key column')
    .option('--json', 'print the report as JSON')
    .action((file: string, options: BatchOptions, command: Command) =>
      runCommand(async () => {
        const request = toBatchRequest(options);
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const run = async (batchTarget: BatchTarget) => {
          const created = await batchTarget.create();
          const finished = await follow(batchTarget, created, !options.json);
          const failedRows: Array<{ row: number; key: string | null; error: string }> = [];
          for await (const job of batchTarget.jobs(finished.id, 'failed')) {
            failedRows.push({
              row: Number(job.metadata.batch_row),
              key: (job.metadata.batch_key as string | undefined) ?? null,
              error: job.error ? `${job.error.code}: ${job.error.message}` : 'failed',
            });
          }
          failedRows.sort((a, b) => a.row - b.row);
          const warned: Array<{ row: number; key: string | null; lines: string[] }> = [];
          for await (const job of batchTarget.jobs(finished.id, 'succeeded')) {
            const lines = warningLines(job.warnings, '    ');
            if (lines.length === 0) continue;
            const row = Number(job.metadata.batch_row);
            const key = (job.metadata.batch_key as string | undefined) ?? null;
            const scores = job.images.map((image) => qualityText(image)).join('; ');
            warned.push({ row, key, lines: [`    ${scores}`, ...lines] });
          }
          warned.sort((a, b) => a.row - b.row);
          const files = options.out ? await writeImages(batchTarget, finished.id, options.out) : [];
          return { batch: finished, failedRows, files, warned };
        };
        const outcome =
          target.kind === 'remote'
            ? await run(remoteTarget(target.client, file, request))
            : await withLocalProcess(target.config, ['worker'], async ({ container }) =>
                run(localTarget(container, file, request)),
              );
        report(outcome, options.json);
        const { batch } = outcome;
        return batch.error_count > 0 || batch.counts.failed > 0 || batch.status !== 'succeeded' ? 2 : 0;
      }),
    );
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

export async function readJsonRows(file: string): Promise<Array<Record<string, unknown>>> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
  const rows = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown })?.rows;
  if (!Array.isArray(rows))
    throw new CliError(`${file}: a JSON batch is an array of rows, or {"rows": [...]}`);
  return rows as Array<Record<string, unknown>>;
}

const isJson = (file: string) => path.extname(file).toLowerCase() === '.json';

function localTarget(
  container: Parameters<Parameters<typeof withLocalProcess>[2]>[0]['container'],
  file: string,
  request: BatchRequest,
): BatchTarget {
  const view = async (id: string) => presentBatch(await container.batches.state(id));
  return {
    async create() {
      const source: BatchSource = isJson(file)
        ? { kind: 'json', rows: await readJsonRows(file) }
        : { kind: 'csv', bytes: createReadStream(file) };
      const { batch } = await container.batchImports.create(request, source, { apiKeyId: null });
      return view(batch.id);
    },
    state: view,
    async *jobs(id, status) {
      let cursor: string | undefined;
      for (;;) {
        const page = await container.generations.list({ batchId: id, status, limit: 200, cursor });
        const assets = await container.deps.assets.listForJobs(
          container.db,
          page.map((job) => job.id),
        );
        for (const job of page) {
          yield presentJob(
            job,
            assets.filter((asset) => asset.job_id === job.id),
            container.assets,
          );
        }
        if (page.length < 200) return;
        const last = page.at(-1)!;
        cursor = encodeCursor(last);
      }
    },
    bytes: async (image) => (await container.assets.read(image.id)).bytes,
  };
}

function remoteTarget(
  client: Extract<ReturnType<typeof resolveTarget>, { kind: 'remote' }>['client'],
  file: string,
  request: BatchRequest,
): BatchTarget {
  return {
    async create() {
      if (isJson(file))
        return client.request<BatchView>('POST', '/v1/batches', {
          ...request,
          rows: await readJsonRows(file),
        });
      const form = new FormData();
      for (const [name, value] of Object.entries(request))
        if (value !== undefined) form.set(name, String(value));
      form.set('file', await openAsBlob(file, { type: 'text/csv' }), path.basename(file));
      return client.requestForm<BatchView>('/v1/batches', form);
    },
    state: (id) => client.request<BatchView>('GET', `/v1/batches/${encodeURIComponent(id)}`),
    async *jobs(id, status) {
      let cursor: string | null = null;
      do {
        const query = `batch_id=${encodeURIComponent(id)}&status=${status}&limit=200${cursor ? `&cursor=${cursor}` : ''}`;
        const page: { data: JobView[]; next_cursor: string | null } = await client.request(
          'GET',
          `/v1/jobs?${query}`,
        );
        yield* page.data;
        cursor = page.next_cursor;
      } while (cursor);
    },
    bytes: (image) => client.download(image.url),
  };
}

/** Polls the batch until it finishes, drawing rows done, rate, ETA and failures on a terminal. */
async function follow(target: BatchTarget, created: BatchView, showProgress: boolean): Promise<BatchView> {
  const progress = createProgressLine({ enabled: showProgress, label: `batch ${created.total} rows` });
  const started = Date.now();
  let current = created;
  while (!isBatchFinished(current.status)) {
    const { succeeded, failed, canceled } = current.counts;
    const done = succeeded + failed + canceled;
    const seconds = (Date.now() - started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const eta = rate > 0 ? `ETA ${Math.ceil((current.total - done) / rate)}s` : 'ETA –';
    progress.update(
      done / Math.max(1, current.total),
      `${done}/${current.total} rows · ${rate.toFixed(1)}/s · ${eta} · ${failed} failed`,
    );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await target.state(created.id);
  }
  progress.update(1, `${current.total}/${current.total} rows · ${current.counts.failed} failed`);
  progress.finish();
  return current;
}

async function writeImages(target: BatchTarget, batchId: string, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for await (const job of target.jobs(batchId, 'succeeded')) {
    const stem = fileStemForKey(
      (job.metadata.batch_key as string | undefined) ?? null,
      Number(job.metadata.batch_row),
    );
    for (const [index, image] of job.images.entries()) {
      const name = `${stem}${job.images.length > 1 ? `-${index + 1}` : ''}.${image.format === 'jpeg' ? 'jpg' : image.format}`;
      const file = path.join(outDir, name);
      await writeFile(file, await target.bytes(image));
      files.push(file);
    }
  }
  return files.sort();
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
  for (const error of batch.errors) process.stderr.write(`  line ${error.row}: ${error.message}\n`);
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
