import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { presentBatch } from '../../api/presenters.ts';
import { isBatchFinished } from '../../domain/batch.ts';
import { AppError } from '../../domain/errors.ts';
import { VISUAL_ROLES, type VisualRole } from '../../domain/script/script-analysis.ts';
import type { AnalyzeRequest, StoredScript } from '../../services/scripts/script-analysis.service.ts';
import type { RunSheet } from '../../services/scripts/script-storyboard.service.ts';
import { CliError } from '../api-client.ts';
import { type GlobalOptions, resolveTarget, withLocalProcess } from '../context.ts';
import { runCommand } from '../program.ts';
import { createProgressLine } from '../progress.ts';
import { IMAGE_TYPES } from './generate.command.ts';

interface ScriptOptions {
  brand?: string;
  analyzer: string;
  n?: string;
  visuals?: string;
  productImage: string[];
  render?: boolean;
  video?: boolean;
  out?: string;
  json?: boolean;
}

type BatchView = ReturnType<typeof presentBatch>;

/** What the command needs from a server or from this process. */
interface ScriptTarget {
  upload(file: string): Promise<string>;
  analyze(request: AnalyzeRequest): Promise<StoredScript>;
  render(scriptId: string): Promise<BatchView>;
  batch(id: string): Promise<BatchView>;
  runSheet(id: string): Promise<RunSheet>;
  runSheetCsv(id: string): Promise<Uint8Array>;
  image(visual: RunSheet['segments'][number]['visuals'][number], index: number): Promise<Uint8Array>;
  video(id: string): Promise<Uint8Array>;
}

const POLL_MS = 500;

export function registerScriptCommand(program: Command): void {
  program
    .command('script')
    .description(
      'analyse a live-stream script (segments, keywords, selling points, offers, mood) and, with --render, make its storyboard',
    )
    .argument('<file>', 'the script as UTF-8 text (zh, en, es or mixed)')
    .option('--brand <slug>', 'brand kit')
    .option('--analyzer <kind>', 'heuristic (offline), llm (the chat model) or auto', 'heuristic')
    .option('-n <count>', 'options (images) per visual, 1–10 (default 4)')
    .option('--visuals <list>', `visuals per segment, comma-separated: ${VISUAL_ROLES.join(',')}`)
    .option(
      '--product-image <name=photo>',
      'a product photo for the product of that name (or segment number): a file, a URL or an asset id; repeatable',
      (value: string, list: string[]) => [...list, value],
      [],
    )
    .option('--render', 'render the storyboard: one batch, grouped by segment')
    .option('--video', 'also make the slideshow of the segment covers (needs ffmpeg); implies --render')
    .option(
      '--out <dir>',
      'write analysis.json, the images by segment, run-sheet.csv/json and slideshow.mp4 here',
    )
    .option('--json', 'print the analysis (and the run sheet) as JSON')
    .action((file: string, options: ScriptOptions, command: Command) =>
      runCommand(async () => {
        const text = await readScript(file);
        const base = toRequest(text, options);
        const render = Boolean(options.render || options.video);
        const target = resolveTarget(command.optsWithGlobals<GlobalOptions>());
        const run = async (scriptTarget: ScriptTarget) => {
          const request = {
            ...base,
            product_images: await productImages(scriptTarget, options.productImage),
          };
          const script = await scriptTarget.analyze(request);
          if (options.out) {
            await mkdir(options.out, { recursive: true });
            await writeFile(path.join(options.out, 'analysis.json'), `${JSON.stringify(script, null, 2)}\n`);
          }
          if (!options.json) printAnalysis(script);
          if (!render) return { script, exit: 0 };
          return { script, exit: await renderStoryboard(scriptTarget, script, options) };
        };
        const outcome =
          target.kind === 'remote'
            ? await run(remoteTarget(target.client))
            : await withLocalProcess(target.config, ['worker'], async ({ container }) =>
                run(localTarget(container)),
              );
        if (options.json && !render) process.stdout.write(`${JSON.stringify(outcome.script, null, 2)}\n`);
        return outcome.exit;
      }),
    );
}

async function readScript(file: string): Promise<string> {
  if (!existsSync(file)) throw new CliError(`no script at ${file}`);
  const bytes = await readFile(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${file} is not UTF-8 text; save the script as UTF-8`);
  }
}

function toRequest(text: string, options: ScriptOptions): AnalyzeRequest {
  if (!['heuristic', 'llm', 'auto'].includes(options.analyzer))
    throw new CliError('--analyzer takes heuristic, llm or auto');
  const n = options.n === undefined ? undefined : Number(options.n);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= 10))
    throw new CliError('-n takes a whole number from 1 to 10');
  const visuals = options.visuals?.split(',').map((visual) => visual.trim()) as VisualRole[] | undefined;
  const unknown = visuals?.find((visual) => !VISUAL_ROLES.includes(visual));
  if (unknown) throw new CliError(`--visuals: '${unknown}' is not one of ${VISUAL_ROLES.join(', ')}`);
  return { text, brand: options.brand, analyzer: options.analyzer as AnalyzeRequest['analyzer'], n, visuals };
}

/** `--product-image 亚麻衬衫=shirt.jpg`: local files are uploaded, URLs and asset ids passed on. */
async function productImages(
  target: ScriptTarget,
  pairs: readonly string[],
): Promise<Record<string, string>> {
  const images: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if (at <= 0 || at === pair.length - 1)
      throw new CliError(`--product-image takes NAME=PHOTO; got '${pair}'`);
    const [name, photo] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    if (/^https?:\/\//i.test(photo)) images[name] = photo;
    else if (existsSync(photo)) {
      if (!IMAGE_TYPES[path.extname(photo).toLowerCase()])
        throw new CliError(`--product-image takes a PNG, JPEG or WebP photo; got ${photo}`);
      images[name] = await target.upload(photo);
    } else images[name] = photo;
  }
  return images;
}

async function renderStoryboard(
  target: ScriptTarget,
  script: StoredScript,
  options: ScriptOptions,
): Promise<number> {
  const created = await target.render(script.id);
  const batch = await follow(target, created, !options.json);
  const sheet = await target.runSheet(batch.id);
  let exit = batch.status === 'succeeded' ? 0 : 2;
  const written: string[] = [];
  if (options.out) {
    for (const segment of sheet.segments) {
      for (const visual of segment.visuals) {
        for (const [index, file] of visual.files.entries()) {
          const destination = path.join(options.out, file);
          await mkdir(path.dirname(destination), { recursive: true });
          await writeFile(destination, await target.image(visual, index));
          written.push(destination);
        }
      }
    }
    await writeFile(path.join(options.out, 'run-sheet.csv'), await target.runSheetCsv(batch.id));
    await writeFile(path.join(options.out, 'run-sheet.json'), `${JSON.stringify(sheet, null, 2)}\n`);
  }
  let video: string | null = null;
  if (options.video) {
    const progress = createProgressLine({ enabled: !options.json, label: 'video' });
    progress.update(0, 'ffmpeg: slideshow of the covers');
    try {
      const bytes = await target.video(batch.id);
      video = path.join(options.out ?? '.', 'slideshow.mp4');
      await mkdir(path.dirname(video), { recursive: true });
      await writeFile(video, bytes);
      progress.update(1, 'done');
      progress.finish();
    } catch (error) {
      progress.finish();
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`vitrine: no video: ${message}\n`);
      exit = 2;
    }
  }
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ script, batch, run_sheet: sheet, files: written, video }, null, 2)}\n`,
    );
    return exit;
  }
  const { succeeded, failed } = batch.counts;
  process.stdout.write(
    `storyboard ${batch.id} ${batch.status}: ${succeeded} visuals rendered, ${failed} failed, ${sheet.segments.length} segments\n`,
  );
  for (const segment of sheet.segments) {
    for (const visual of segment.visuals.filter((item) => item.error)) {
      process.stderr.write(`  segment ${segment.segment} ${visual.role} failed: ${visual.error}\n`);
    }
  }
  if (options.out) {
    process.stdout.write(
      `${written.length} image(s) in ${options.out}/<segment>/, run-sheet.csv and run-sheet.json${video ? ', slideshow.mp4' : ''}\n`,
    );
  } else if (video) process.stdout.write(`video: ${video}\n`);
  return exit;
}

/** Polls the batch until it finishes, drawing visuals done and segments complete on a terminal. */
async function follow(target: ScriptTarget, created: BatchView, showProgress: boolean): Promise<BatchView> {
  const progress = createProgressLine({
    enabled: showProgress,
    label: `storyboard ${created.total} visuals`,
  });
  let current = created;
  while (!isBatchFinished(current.status)) {
    const { succeeded, failed, canceled } = current.counts;
    const done = succeeded + failed + canceled;
    progress.update(done / Math.max(1, current.total), `${done}/${current.total} visuals · ${failed} failed`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await target.batch(created.id);
  }
  progress.update(1, `${current.total}/${current.total} visuals · ${current.counts.failed} failed`);
  progress.finish();
  return current;
}

function printAnalysis(script: StoredScript): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `script ${script.id}: “${script.title}”, ${script.segments.length} segment(s), ${script.language}, analyzer ${script.analyzer}${script.model ? ` (${script.model})` : ''}`,
  );
  for (const note of script.notes) out(`  note: ${note.message}`);
  for (const segment of script.segments) {
    const offers = segment.offers
      .filter((offer) => offer.type !== 'price')
      .map((offer) => offer.headline)
      .join(', ');
    const price = segment.offers[0]?.price_text;
    const points = segment.selling_points
      .filter((point) => point.confidence >= 0.8)
      .slice(0, 4)
      .map((point) => point.text)
      .join(', ');
    out(
      `  ${String(segment.index + 1).padStart(2)}. ${segment.time ?? '     '} ${segment.title} [${segment.kind}, ${segment.emotion.mood} → ${segment.style_pack}]`,
    );
    if (points) out(`      selling points: ${points}`);
    if (offers || price) out(`      offer: ${[offers, price].filter(Boolean).join(' · ')}`);
  }
}

function localTarget(
  container: Parameters<Parameters<typeof withLocalProcess>[2]>[0]['container'],
): ScriptTarget {
  const view = async (id: string) => presentBatch(await container.batches.state(id));
  const caller = { apiKeyId: null };
  return {
    upload: async (file) => (await container.assets.upload(await readFile(file))).id,
    analyze: (request) => container.scriptAnalyses.analyze(request, caller),
    render: async (scriptId) =>
      view((await container.scriptRenders.render({ script_id: scriptId }, caller)).batch.id),
    batch: view,
    runSheet: (id) => container.scriptStoryboards.runSheet(id),
    runSheetCsv: async (id) => new TextEncoder().encode(await container.scriptStoryboards.runSheetCsv(id)),
    image: async (visual, index) => (await container.assets.read(visual.assets[index]!)).bytes,
    video: async (id) => {
      try {
        return (await container.scriptStoryboards.video(id)).bytes;
      } catch (error) {
        if (error instanceof AppError) throw new CliError(error.message, 2);
        throw error;
      }
    },
  };
}

function remoteTarget(
  client: Extract<ReturnType<typeof resolveTarget>, { kind: 'remote' }>['client'],
): ScriptTarget {
  const id = (value: string) => encodeURIComponent(value);
  return {
    upload: async (file) => {
      const type = IMAGE_TYPES[path.extname(file).toLowerCase()]!;
      return client.uploadImage(await readFile(file), type);
    },
    analyze: (request) => client.request<StoredScript>('POST', '/v1/scripts/analyze', request),
    render: (scriptId) => client.request<BatchView>('POST', '/v1/scripts/render', { script_id: scriptId }),
    batch: (batchId) => client.request<BatchView>('GET', `/v1/batches/${id(batchId)}`),
    runSheet: (batchId) => client.request<RunSheet>('GET', `/v1/batches/${id(batchId)}/run-sheet.json`),
    runSheetCsv: (batchId) => client.getBytes(`/v1/batches/${id(batchId)}/run-sheet.csv`),
    image: (visual, index) => client.download(visual.urls[index]!),
    video: (batchId) => client.getBytes(`/v1/batches/${id(batchId)}/video.mp4`),
  };
}
