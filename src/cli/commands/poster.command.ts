import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { PosterRequest } from '../../services/studio/poster.service.ts';
import { CliError } from '../api-client.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { designOptions, MIN_QUALITY_HELP, STYLE_PACK_HELP } from '../design-options.ts';
import { runCommand } from '../program.ts';
import { createProgressLine } from '../progress.ts';
import {
  exitCodeForJob,
  finishLocalJob,
  IMAGE_TYPES,
  isFile,
  type JobView,
  report,
  writeImages,
} from './generate.command.ts';

interface PosterOptions {
  brand?: string;
  size?: string;
  product?: string;
  template?: string;
  format?: string;
  seed?: string;
  n?: string;
  stylePack?: string;
  minQuality?: string;
  out: string;
  wait: string;
  json?: boolean;
}

export function registerPosterCommand(program: Command): void {
  program
    .command('poster')
    .argument('<brief>', 'the poster in words, e.g. "夏季清仓促销,满200减50" or "Summer Sale 20% OFF"')
    .description('make a poster from a brief (the offer is read from it) and write it to --out')
    .option('--brand <slug>', 'brand kit')
    .option('--size <WxH>', 'size in pixels, e.g. 1080x1920 (default: the template’s, or 1080x1920)')
    .option('--product <photo>', 'product photo: a local file, an http(s) URL or an asset id')
    .option('--template <name>', 'fill this template instead of choosing one for the size')
    .option('--format <format>', 'png, jpeg or webp')
    .option('--seed <n>', 'seed, for a reproducible result')
    .option('-n <count>', 'variants: different designs of the brief (1–10)', '1')
    .option('--style-pack <pack>', STYLE_PACK_HELP)
    .option('--min-quality <score>', MIN_QUALITY_HELP)
    .option('--out <dir>', 'folder for the poster', 'out')
    .option('--wait <seconds>', 'how long to wait for the poster', '120')
    .option('--json', 'print the job (with the parsed offer in metadata.poster) as JSON')
    .action((brief: string, options: PosterOptions, command: Command) =>
      runCommand(async () => {
        const request = toRequest(brief, options);
        const waitSeconds = Number(options.wait);
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const progress = createProgressLine({ enabled: !options.json, label: 'poster' });
        const localProduct = options.product && isLocalPhoto(options.product) ? options.product : null;
        let job: JobView;
        let files: string[];
        if (target.kind === 'remote') {
          if (localProduct) {
            const bytes = await readFile(localProduct);
            request.product_asset_id = await target.client.uploadImage(bytes, photoType(localProduct));
          }
          const created = await target.client.request<JobView>('POST', '/v1/posters', request);
          job = await target.client.followJob(created.id, waitSeconds * 1000, (event, data) => {
            if (event === 'progress') progress.update(Number(data.progress), 'running');
          });
          progress.finish();
          files = await writeImages(options.out, job, (url) => target.client.download(url));
        } else {
          [job, files] = await withLocalProcess(target.config, ['worker'], async ({ container }) => {
            if (localProduct) {
              request.product_asset_id = (await container.assets.upload(await readFile(localProduct))).id;
            }
            const created = await container.posters.create(request, { apiKeyId: null });
            return finishLocalJob(container, created.job.id, { waitSeconds, out: options.out, progress });
          });
        }
        report(job, files, options.json);
        return exitCodeForJob(job, waitSeconds, 'poster job');
      }),
    );
}

function toRequest(brief: string, options: PosterOptions): PosterRequest {
  if (!brief.trim()) throw new CliError('give the poster’s brief, e.g. vitrine poster "Summer Sale 20% OFF"');
  const size = options.size ? /^(\d+)x(\d+)$/i.exec(options.size) : null;
  if (options.size && !size)
    throw new CliError(`--size takes WIDTHxHEIGHT, e.g. 1080x1920; got '${options.size}'`);
  const format = options.format as PosterRequest['format'];
  if (format && !['png', 'jpeg', 'webp'].includes(format))
    throw new CliError('--format takes png, jpeg or webp');
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new CliError('--seed takes a whole number');
  const n = Number(options.n ?? '1');
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new CliError('-n takes a whole number from 1 to 10');
  const request: PosterRequest = {
    brief,
    n,
    ...designOptions(options),
    brand: options.brand,
    width: size ? Number(size[1]) : undefined,
    height: size ? Number(size[2]) : undefined,
    template: options.template,
    format,
    seed,
  };
  const product = options.product;
  if (product && /^https?:\/\//i.test(product)) request.product_image_url = product;
  else if (product && !isLocalPhoto(product)) {
    if (IMAGE_TYPES[path.extname(product).toLowerCase()])
      throw new CliError(`--product: no file at ${product}`);
    request.product_asset_id = product;
  }
  return request;
}

function isLocalPhoto(value: string): boolean {
  return !/^https?:\/\//i.test(value) && isFile(value);
}

function photoType(file: string): string {
  const type = IMAGE_TYPES[path.extname(file).toLowerCase()];
  if (!type) throw new CliError(`--product takes a PNG, JPEG or WebP photo; got ${file}`);
  return type;
}
