import { statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { presentJob } from '../../api/presenters.ts';
import { STYLE_IDS, type StyleId } from '../../domain/style-presets.ts';
import type { GenerationRequest } from '../../services/generation/generation-plan.ts';
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

export interface GenerateOptions {
  prompt?: string;
  template?: string;
  param: string[];
  n: string;
  brand?: string;
  size?: string;
  format?: string;
  provider?: string;
  model?: string;
  seed?: string;
  style?: string;
  priority?: string;
  stylePack?: string;
  minQuality?: string;
  out: string;
  wait: string;
  json?: boolean;
}

export type JobView = ReturnType<typeof presentJob>;

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('make images from a prompt or a template and write them to --out')
    .option('--prompt <text>', 'what to make')
    .option('--template <name>', 'a template, e.g. product_hero, live_cover')
    .option('--param <key=value>', 'a template param (repeatable)', collect, [])
    .option('-n <count>', 'images to make (1–10)', '1')
    .option('--brand <slug>', 'brand kit')
    .option('--size <WxH>', 'size in pixels, e.g. 1080x1920')
    .option('--format <format>', 'png, jpeg or webp')
    .option('--provider <id>', 'image provider (default: automatic)')
    .option('--model <model>', 'model of the provider')
    .option('--seed <n>', 'seed, for a reproducible result')
    .option('--style <preset>', `style preset: ${STYLE_IDS.join(', ')}`)
    .option('--style-pack <pack>', STYLE_PACK_HELP)
    .option('--min-quality <score>', MIN_QUALITY_HELP)
    .option('--priority <priority>', 'urgent, normal or batch', 'urgent')
    .option('--out <dir>', 'folder for the images', 'out')
    .option('--wait <seconds>', 'how long to wait for the images', '120')
    .option('--json', 'print the job as JSON')
    .action((options: GenerateOptions, command: Command) =>
      runCommand(async () => {
        const request = toRequest(options);
        const waitSeconds = Number(options.wait);
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const progress = createProgressLine({ enabled: !options.json, label: `generating ${request.n}` });
        let job: JobView;
        let files: string[];
        if (target.kind === 'remote') {
          await uploadLocalFiles(request, (bytes, type) => target.client.uploadImage(bytes, type));
          const created = await target.client.request<JobView>('POST', '/v1/generations', request);
          job = await target.client.followJob(created.id, waitSeconds * 1000, (event, data) => {
            if (event === 'progress') progress.update(Number(data.progress), 'running');
            if (event === 'status') progress.update(Number(data.progress ?? 0), String(data.status));
          });
          progress.finish();
          files = await writeImages(options.out, job, (url) => target.client.download(url));
        } else {
          [job, files] = await withLocalProcess(target.config, ['worker'], async ({ container }) => {
            await uploadLocalFiles(request, async (bytes) => (await container.assets.upload(bytes)).id);
            const created = await container.generations.create(request, { apiKeyId: null });
            return finishLocalJob(container, created.job.id, { waitSeconds, out: options.out, progress });
          });
        }
        report(job, files, options.json);
        return exitCodeForJob(job, waitSeconds, 'job');
      }),
    );
}

type LocalContainer = Parameters<Parameters<typeof withLocalProcess>[2]>[0]['container'];

/**
 * In-process: follows the job's progress until it finishes (or `waitSeconds` pass), then writes its
 * images to `out`. Answers the job as the API would, with the files written.
 */
export async function finishLocalJob(
  container: LocalContainer,
  jobId: string,
  options: { waitSeconds: number; out: string; progress: ReturnType<typeof createProgressLine> },
): Promise<readonly [JobView, string[]]> {
  const { progress } = options;
  const stopListening = container.deps.events.subscribe(jobId, (event) => {
    if (event.type === 'progress') progress.update(event.progress, 'running');
    if (event.type === 'status') progress.update(0, event.status);
  });
  const finished = await container.generations.waitForFinish(jobId, options.waitSeconds * 1000);
  stopListening();
  progress.finish();
  const assets = await container.deps.assets.listForJobs(container.db, [finished.id]);
  const view = presentJob(finished, assets, container.assets);
  const written = await writeImages(
    options.out,
    view,
    async (_url, id) => (await container.assets.read(id)).bytes,
  );
  return [view, written] as const;
}

/** 0 when the job succeeded, 2 when it failed; a job still going is an error that says so. */
export function exitCodeForJob(job: JobView, waitSeconds: number, what: string): number {
  if (job.status === 'succeeded') return 0;
  if (job.status === 'queued' || job.status === 'running') {
    throw new CliError(
      `The ${what} ${job.id} did not finish within ${waitSeconds} s; it goes on (vitrine --server … or GET /v1/jobs/${job.id})`,
      2,
    );
  }
  return 2;
}

export function toRequest(options: GenerateOptions): GenerationRequest {
  const params: Record<string, string> = {};
  for (const pair of options.param) {
    const at = pair.indexOf('=');
    if (at < 1) throw new CliError(`--param takes key=value, got '${pair}'`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const size = options.size ? /^(\d+)x(\d+)$/i.exec(options.size) : null;
  if (options.size && !size)
    throw new CliError(`--size takes WIDTHxHEIGHT, e.g. 1080x1920; got '${options.size}'`);
  const n = Number(options.n);
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new CliError('-n takes a whole number from 1 to 10');
  if (!options.prompt && !options.template) throw new CliError('give --prompt TEXT or --template NAME');
  const format = options.format as GenerationRequest['format'];
  if (format && !['png', 'jpeg', 'webp'].includes(format))
    throw new CliError('--format takes png, jpeg or webp');
  const priority = (options.priority ?? 'urgent') as GenerationRequest['priority'];
  if (!['urgent', 'normal', 'batch'].includes(priority))
    throw new CliError('--priority takes urgent, normal or batch');
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new CliError('--seed takes a whole number');
  const style = options.style as StyleId | undefined;
  if (style && !STYLE_IDS.includes(style)) throw new CliError(`--style takes one of ${STYLE_IDS.join(', ')}`);
  return {
    prompt: options.prompt,
    template: options.template,
    params: Object.keys(params).length ? params : undefined,
    brand: options.brand,
    n,
    width: size ? Number(size[1]) : undefined,
    height: size ? Number(size[2]) : undefined,
    format,
    provider: options.provider,
    model: options.model,
    seed,
    style,
    priority,
    cache: 'exact',
    ...designOptions(options),
  };
}

export async function writeImages(
  outDir: string,
  job: JobView,
  read: (url: string, id: string) => Promise<Uint8Array>,
): Promise<string[]> {
  if (job.images.length === 0) return [];
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const [index, image] of job.images.entries()) {
    const stem = job.template ?? 'image';
    const file = path.join(
      outDir,
      `${stem}-${job.id.slice(0, 8)}-${index + 1}.${image.format === 'jpeg' ? 'jpg' : image.format}`,
    );
    await writeFile(file, await read(image.url, image.id));
    files.push(file);
  }
  return files;
}

export function report(job: JobView, files: string[], json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ...job, files }, null, 2)}\n`);
    return;
  }
  if (job.status === 'succeeded') {
    process.stdout.write(
      `${job.images.length} image(s), ${job.width}×${job.height} ${job.format}, job ${job.id}\n`,
    );
    for (const [index, file] of files.entries()) {
      const image = job.images[index];
      process.stdout.write(`  ${file}${image ? `  (${qualityText(image)})` : ''}\n`);
    }
  } else {
    process.stderr.write(
      `job ${job.id} ${job.status}${job.error ? `: ${job.error.code}: ${job.error.message}` : ''}\n`,
    );
  }
  for (const line of warningLines(job.warnings)) process.stderr.write(`${line}\n`);
}

export const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** A param given as a path to a local image file (e.g. product_image=./shirt.jpg) is uploaded first. */
async function uploadLocalFiles(
  request: GenerationRequest,
  upload: (bytes: Uint8Array, contentType: string) => Promise<string>,
): Promise<void> {
  for (const [name, value] of Object.entries(request.params ?? {})) {
    const type = IMAGE_TYPES[path.extname(value).toLowerCase()];
    if (!type || /^https?:\/\//i.test(value) || !isFile(value)) continue;
    request.params![name] = await upload(await readFile(value), type);
  }
}

export function isFile(value: string): boolean {
  try {
    return statSync(value).isFile();
  } catch {
    return false;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
