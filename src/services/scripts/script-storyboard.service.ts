import type { ScriptRepository } from '../../db/script.repository.ts';
import type { BatchRecord } from '../../domain/batch.ts';
import { AppError, notFound } from '../../domain/errors.ts';
import type { JobStatus } from '../../domain/job.ts';
import type { VisualRole } from '../../domain/script/script-analysis.ts';
import { makeSlideshow } from '../../video/ffmpeg-slideshow.ts';
import type { BatchService } from '../batches/batch.service.ts';
import type { BatchExportService } from '../batches/batch-export.service.ts';
import type { ServiceDeps } from '../deps.ts';
import type { ScriptAnalysisService, StoredScript } from './script-analysis.service.ts';

/** A visual of the storyboard: its images as they are rendered. */
export interface StoryboardVisual {
  role: VisualRole;
  template: string | null;
  status: JobStatus | 'queued';
  job_id: string | null;
  /** Paths in the batch's zip, e.g. `02-亚麻衬衫/cover-1.png`. */
  files: string[];
  urls: string[];
  /** The images' asset ids, in the order of `files`. */
  assets: string[];
  error: string | null;
}

/** One line of the run sheet: a segment of the show with its visuals. */
export interface RunSheetSegment {
  segment: number;
  group: string;
  label: string;
  kind: string;
  time: string | null;
  title: string;
  product: string | null;
  sku: string | null;
  offer: string | null;
  price: string | null;
  code: string | null;
  stock: number | null;
  mood: string;
  style_pack: string;
  /** `done` when every visual rendered, `rendering` while some run, `failed` when one failed. */
  status: 'done' | 'rendering' | 'failed';
  visuals: StoryboardVisual[];
}

export interface RunSheet {
  batch_id: string;
  script_id: string;
  title: string;
  status: BatchRecord['status'];
  segments: RunSheetSegment[];
}

type Deps = Pick<ServiceDeps, 'db' | 'blobs' | 'logger'> & {
  scripts: ScriptRepository;
  ffmpeg: string;
};

/** Seconds each cover stays on screen in the slideshow, and the crossfade between two. */
export const SLIDE_SECONDS = 4;
export const FADE_SECONDS = 0.8;
const VIDEO_SIZE = { width: 1080, height: 1920, fps: 20 };

/**
 * A script render's storyboard: the run sheet for the show's producer (CSV or JSON: segment, time,
 * product, offer, image files) and the slideshow of the segment covers for the waiting screen.
 */
export class ScriptStoryboardService {
  readonly #deps: Deps;
  readonly #analyses: Pick<ScriptAnalysisService, 'get'>;
  readonly #batches: Pick<BatchService, 'get'>;
  readonly #exports: Pick<BatchExportService, 'rows'>;
  /** Videos being made here, so two requests for one batch make it once. */
  readonly #making = new Map<string, Promise<{ bytes: Uint8Array; seconds: number }>>();

  constructor(
    deps: Deps,
    parts: {
      analyses: Pick<ScriptAnalysisService, 'get'>;
      batches: Pick<BatchService, 'get'>;
      exports: Pick<BatchExportService, 'rows'>;
    },
  ) {
    this.#deps = deps;
    this.#analyses = parts.analyses;
    this.#batches = parts.batches;
    this.#exports = parts.exports;
  }

  async runSheet(batchId: string): Promise<RunSheet> {
    const { batch, script } = await this.#scriptBatch(batchId);
    const rows = await this.#exports.rows(batch);
    const bySegment = new Map<number, StoryboardVisual[]>();
    const groups = new Map<number, string>();
    for (const row of rows) {
      const index = segmentOfGroup(row.group_name);
      groups.set(index, row.group_name ?? '');
      const list = bySegment.get(index) ?? [];
      list.push({
        role: (row.row_key ?? 'cover') as VisualRole,
        template: row.template,
        status: row.status ?? 'queued',
        job_id: row.job_id,
        files: row.files,
        urls: row.urls,
        assets: row.asset_ids,
        error: row.status === 'failed' && row.error ? `${row.error.code}: ${row.error.message}` : null,
      });
      bySegment.set(index, list);
    }
    return {
      batch_id: batch.id,
      script_id: script.id,
      title: script.title,
      status: batch.status,
      segments: script.segments.map((segment) => {
        const visuals = bySegment.get(segment.index) ?? [];
        const offer = segment.offers[0] ?? null;
        return {
          segment: segment.index + 1,
          group: groups.get(segment.index) ?? '',
          label: segment.label,
          kind: segment.kind,
          time: segment.time,
          title: segment.title,
          product: segment.product?.name ?? null,
          sku: segment.product?.sku ?? null,
          offer: offer && offer.type !== 'price' && offer.type !== 'none' ? offer.headline : null,
          price: offer?.price_text ?? null,
          code: offer?.code ?? null,
          stock: offer?.stock ?? null,
          mood: segment.emotion.mood,
          style_pack: segment.style_pack,
          status: visuals.some((visual) => visual.status === 'failed')
            ? 'failed'
            : visuals.every((visual) => visual.status === 'succeeded' || visual.status === 'canceled')
              ? 'done'
              : 'rendering',
          visuals,
        };
      }),
    };
  }

  /** The run sheet as CSV: one line per segment; images are the zip's paths, then their URLs. */
  async runSheetCsv(batchId: string): Promise<string> {
    const sheet = await this.runSheet(batchId);
    const header = [
      'segment',
      'time',
      'title',
      'product',
      'sku',
      'offer',
      'price',
      'code',
      'stock',
      'mood',
      'style_pack',
      'status',
      'images',
      'image_urls',
    ];
    const lines = sheet.segments.map((segment) =>
      [
        String(segment.segment),
        segment.time ?? '',
        segment.title,
        segment.product ?? '',
        segment.sku ?? '',
        segment.offer ?? '',
        segment.price ?? '',
        segment.code ?? '',
        segment.stock === null ? '' : String(segment.stock),
        segment.mood,
        segment.style_pack,
        segment.status,
        segment.visuals.flatMap((visual) => visual.files).join(' '),
        segment.visuals.flatMap((visual) => visual.urls).join(' '),
      ]
        .map(csvField)
        .join(','),
    );
    // A BOM, so spreadsheet programs read the Chinese as UTF-8.
    return `\ufeff${[header.join(','), ...lines].join('\r\n')}\r\n`;
  }

  /**
   * The slideshow of the segments' covers (the first option of each), in show order, with
   * crossfades and a chapter per segment ("20:05 亚麻衬衫"); made once, then served from storage.
   */
  async video(batchId: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array; seconds: number }> {
    const { db, scripts, blobs } = this.#deps;
    const stored = await scripts.findVideo(db, batchId);
    if (stored) {
      const bytes = await blobs.get(stored.sha256);
      if (bytes) return { bytes, seconds: stored.seconds };
    }
    const running = this.#making.get(batchId);
    if (running) return running;
    const making = this.#makeVideo(batchId, signal).finally(() => this.#making.delete(batchId));
    this.#making.set(batchId, making);
    return making;
  }

  async #makeVideo(batchId: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array; seconds: number }> {
    const { db, scripts, blobs } = this.#deps;
    const { batch, script } = await this.#scriptBatch(batchId);
    const rows = await this.#exports.rows(batch);
    const covers = rows.filter((row) => row.row_key === 'cover');
    const unfinished = covers.filter(
      (row) => row.status !== 'succeeded' && row.status !== 'failed' && row.status !== 'canceled',
    );
    if (unfinished.length > 0) {
      throw new AppError(
        'conflict',
        `The covers are still rendering (${covers.length - unfinished.length} of ${covers.length} done); ask for the video when the batch has finished`,
      );
    }
    const slides: Array<{ bytes: Uint8Array; chapter: string }> = [];
    for (const row of covers) {
      const sha = row.status === 'succeeded' ? row.asset_shas[0] : undefined;
      if (!sha) continue;
      const bytes = await blobs.get(sha);
      if (!bytes) throw new AppError('storage_failed', `The cover image ${sha} is missing from storage`);
      const segment = script.segments[segmentOfGroup(row.group_name)];
      slides.push({
        bytes,
        chapter: [segment?.time, segment?.title ?? row.group_name].filter(Boolean).join(' '),
      });
    }
    if (slides.length === 0) {
      throw new AppError('unprocessable', `Batch '${batchId}' has no rendered cover to make a video of`);
    }
    const video = await makeSlideshow(slides, {
      ffmpeg: this.#deps.ffmpeg,
      ...VIDEO_SIZE,
      slideSeconds: SLIDE_SECONDS,
      fadeSeconds: FADE_SECONDS,
      title: script.title,
      signal,
    });
    const sha256 = await blobs.put(video.bytes);
    await scripts.saveVideo(db, batchId, { sha256, bytes: video.bytes.byteLength, seconds: video.seconds });
    this.#deps.logger.info(
      { batchId, seconds: video.seconds, bytes: video.bytes.byteLength },
      'script video made',
    );
    return video;
  }

  async #scriptBatch(batchId: string): Promise<{ batch: BatchRecord; script: StoredScript }> {
    const batch = await this.#batches.get(batchId);
    if (!batch.script_id) {
      throw new AppError(
        'not_found',
        `Batch '${batchId}' is not the render of a script: it has no run sheet or video`,
      );
    }
    const script = await this.#analyses.get(batch.script_id).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') throw notFound('Script', batch.script_id!);
      throw error;
    });
    return { batch, script };
  }
}

/** Rows are grouped as "02-亚麻衬衫": the number is the segment's, whatever its title became since. */
function segmentOfGroup(group: string | null): number {
  return Number(/^(\d+)-/.exec(group ?? '')?.[1] ?? 0) - 1;
}

function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
