import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Canvas, createCanvas, loadImage } from '@napi-rs/canvas';
import { ssim } from './ssim.ts';

/**
 * Comparing a render with its stored golden PNG, in plain pixel math: SSIM on luma (structure:
 * a moved block, another layout) and the share of pixels whose channels differ by more than
 * `CHANNEL_TOLERANCE` (colour: another palette). Anti-aliasing noise passes both. With
 * UPDATE_GOLDENS=1 the golden is (re)written instead and the comparison passes.
 */
export const MIN_SSIM = 0.97;
export const MAX_CHANGED_SHARE = 0.02;
const CHANNEL_TOLERANCE = 24;

export interface GoldenComparison {
  ssim: number;
  /** Share of pixels with a channel off by more than the tolerance. */
  changed: number;
  updated: boolean;
}

export async function compareWithGolden(canvas: Canvas, file: string): Promise<GoldenComparison> {
  if (process.env.UPDATE_GOLDENS === '1' || !existsSync(file)) {
    if (process.env.UPDATE_GOLDENS !== '1') {
      throw new Error(`${file} is missing: run UPDATE_GOLDENS=1 node --test test/golden/templates.test.ts`);
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, canvas.toBuffer('image/png'));
    return { ssim: 1, changed: 0, updated: true };
  }
  const golden = await loadImage(readFileSync(file));
  if (golden.width !== canvas.width || golden.height !== canvas.height) {
    throw new Error(
      `${file}: ${golden.width}×${golden.height}, the render is ${canvas.width}×${canvas.height}`,
    );
  }
  const goldenCanvas = createCanvas(golden.width, golden.height);
  goldenCanvas.getContext('2d').drawImage(golden, 0, 0);
  return comparePixels(pixelsOf(canvas), pixelsOf(goldenCanvas), canvas.width, canvas.height);
}

export function comparePixels(
  a: Uint8ClampedArray,
  b: Uint8ClampedArray,
  width: number,
  height: number,
): GoldenComparison {
  let changed = 0;
  for (let at = 0; at < a.length; at += 4) {
    if (
      Math.abs(a[at]! - b[at]!) > CHANNEL_TOLERANCE ||
      Math.abs(a[at + 1]! - b[at + 1]!) > CHANNEL_TOLERANCE ||
      Math.abs(a[at + 2]! - b[at + 2]!) > CHANNEL_TOLERANCE
    ) {
      changed += 1;
    }
  }
  return { ssim: ssim(a, b, width, height), changed: changed / (width * height), updated: false };
}

export function pixelsOf(canvas: Canvas): Uint8ClampedArray {
  return canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
}

export function matchesGolden(comparison: GoldenComparison): boolean {
  return comparison.ssim >= MIN_SSIM && comparison.changed <= MAX_CHANGED_SHARE;
}
