import type { ImageFormat } from '../domain/template.ts';
import {
  encodeCanvas,
  type RenderLayoutInput,
  type RenderReport,
  renderLayoutWithReport,
} from './layout-renderer.ts';

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
