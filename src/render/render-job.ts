import type { ImageFormat } from '../domain/template.ts';
import { encodeCanvas, type RenderLayoutInput, renderLayout } from './layout-renderer.ts';

/** One image to draw and encode: plain data, so it can cross to a render process. */
export interface RenderJob {
  input: RenderLayoutInput;
  format: ImageFormat;
  quality: number;
}

export async function runRenderJob(job: RenderJob): Promise<Uint8Array> {
  const canvas = await renderLayout(job.input);
  return encodeCanvas(canvas, job.format, job.quality);
}
