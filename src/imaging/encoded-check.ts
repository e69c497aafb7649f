import { crc32 } from 'node:zlib';
import type { ImageCheck } from '../domain/quality.ts';
import { checkGeneratedImage, isUniform } from './image.processor.ts';

/**
 * `checkGeneratedImage` for a PNG this process has just encoded from `rgba`, without decoding the
 * file again: where the pixels are (a render process), decoding them back costs more than the
 * rest of the check (docs/benchmarks.md, "The spine"). The checks keep their meaning:
 *
 * - **decodes**: the bytes are a whole PNG — its signature, an 8-bit RGB header, every chunk's
 *   CRC (so no byte was lost or changed after the encoder wrote it), image data, and the end chunk
 *   last — written by libvips' lossless encoder from exactly these pixels;
 * - **exact size**: read from the file's own header, not from the canvas;
 * - **not one flat color**: the encoded pixels on a 128×128 grid vary (lossless: they are the
 *   pixels the file decodes to). Only when the grid looks flat is the file decoded and judged
 *   like any other image, so a detail between grid points cannot fail a good image.
 */
export async function checkEncodedPng(
  png: Uint8Array,
  rgba: Uint8Array,
  expected: { width: number; height: number },
): Promise<ImageCheck> {
  const header = pngHeader(png);
  if (!header)
    return { ok: false, width: 0, height: 0, format: null, problems: ['the image does not decode'] };
  const { width, height } = header;
  // A file that is not of these pixels, or a grid that looks flat: the file is judged alone.
  if (width * height * 4 !== rgba.length || isUniform(gridSample(rgba, width, height, GRID), 4)) {
    return checkGeneratedImage(png, expected);
  }
  const problems: string[] = [];
  if (width !== expected.width || height !== expected.height) {
    problems.push(`the image is ${width}×${height}, not the asked ${expected.width}×${expected.height}`);
  }
  return { ok: problems.length === 0, width, height, format: 'png', problems };
}

const GRID = 128;
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The size in a PNG's header when the file is whole: signature, IHDR first (8-bit RGB, no
 * interlace), every chunk's CRC right, at least one IDAT, and IEND ending the file. Else null.
 */
export function pngHeader(png: Uint8Array): { width: number; height: number } | null {
  if (png.length < 8 + 25 + 12 || SIGNATURE.some((byte, index) => png[index] !== byte)) return null;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let offset = 8;
  let header: { width: number; height: number } | null = null;
  let imageData = false;
  while (offset + 12 <= png.length) {
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > png.length) return null;
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(end - 4)) return null;
    if (!header) {
      // IHDR: width, height, bit depth 8, color type 2 (RGB), compression, filter, interlace 0.
      if (type !== 'IHDR' || length !== 13) return null;
      const at = offset + 8;
      if (png[at + 8] !== 8 || png[at + 9] !== 2 || png[at + 10] || png[at + 11] || png[at + 12]) return null;
      header = { width: view.getUint32(at), height: view.getUint32(at + 4) };
    } else if (type === 'IDAT') imageData = true;
    else if (type === 'IEND') return imageData && end === png.length ? header : null;
    offset = end;
  }
  return null;
}

/** The pixels at the points of a `side`×`side` grid over an RGBA image, as RGBA. */
function gridSample(rgba: Uint8Array, width: number, height: number, side: number): Uint8Array {
  const columns = Math.min(side, width);
  const rows = Math.min(side, height);
  const sample = new Uint8Array(columns * rows * 4);
  let at = 0;
  for (let row = 0; row < rows; row++) {
    const y = Math.floor(((row + 0.5) * height) / rows);
    for (let column = 0; column < columns; column++) {
      const x = Math.floor(((column + 0.5) * width) / columns);
      const index = (y * width + x) * 4;
      sample[at++] = rgba[index]!;
      sample[at++] = rgba[index + 1]!;
      sample[at++] = rgba[index + 2]!;
      sample[at++] = 255;
    }
  }
  return sample;
}
