import type { ImageCheck } from '../domain/quality.ts';
import type { ImageFormat } from '../domain/template.ts';
import { checkEncodedPng } from '../imaging/encoded-check.ts';
import { checkGeneratedImage } from '../imaging/image.processor.ts';
import {
  canvasPixels,
  encodePixels,
  type RenderLayoutInput,
  type RenderReport,
  renderLayoutWithReport,
} from './layout-renderer.ts';
import { type SceneInit, sceneInit } from './scene-init.ts';

/** One image to draw and encode: plain data, so it can cross to a render process. */
export interface RenderJob {
  input: RenderLayoutInput;
  format: ImageFormat;
  quality: number;
}

export interface RenderOutput {
  bytes: Uint8Array;
  report: RenderReport;
  /** The service's image check of `bytes` against the asked size, made here where the pixels are. */
  check: ImageCheck;
}

export async function runRenderJob(job: RenderJob): Promise<RenderOutput> {
  const { canvas, report } = await renderLayoutWithReport({
    ...job.input,
    fullSizeBackdrop: job.input.fullSizeBackdrop ?? job.format !== 'png',
  });
  const pixels = canvasPixels(canvas);
  const bytes = await encodePixels(pixels, job.format, job.quality);
  const expected = { width: job.input.width, height: job.input.height };
  // A PNG is lossless: its check reads the pixels it was made from. JPEG and WebP change them,
  // so those are decoded and judged like any provider's image.
  const check =
    job.format === 'png'
      ? await checkEncodedPng(bytes, pixels.rgba, expected)
      : await checkGeneratedImage(bytes, expected);
  return { bytes, report, check };
}

/** Laying out a design and building the init image and mask of a background painted around its product. */
export interface SceneJob {
  scene: RenderLayoutInput;
}

export type PoolJob = RenderJob | SceneJob;
export type PoolOutput = RenderOutput | { scene: SceneInit | null };

/** Either kind of work a render process does: both cut the product out, which is CPU-bound. */
export async function runPoolJob(job: PoolJob): Promise<PoolOutput> {
  if ('scene' in job) return { scene: await sceneInit(job.scene) };
  return runRenderJob(job);
}
