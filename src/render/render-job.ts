import type { ImageFormat } from '../domain/template.ts';
import {
  encodeCanvas,
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
}

export async function runRenderJob(job: RenderJob): Promise<RenderOutput> {
  const { canvas, report } = await renderLayoutWithReport({
    ...job.input,
    fullSizeBackdrop: job.input.fullSizeBackdrop ?? job.format !== 'png',
  });
  return { bytes: await encodeCanvas(canvas, job.format, job.quality), report };
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
