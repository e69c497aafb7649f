import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { AppError } from '../domain/errors.ts';
import type { ImageMeasurements } from '../domain/marketplace-profiles.ts';
import { connectedPieces, morph } from './mask-ops.ts';

/**
 * Measures what the marketplace profiles judge (domain/marketplace-profiles.ts): how white the
 * border ring is and where it is not, how much of the frame the content spans, and how many separate
 * things stand on the white.
 */

/** A pixel is pure white when every channel is at least this (one level of slack for rounding). */
const WHITE = 254;
/** Below this on any channel a pixel is content rather than white paper (faint shadows included). */
const CONTENT = 245;
const OBJECT_SIDE = 400;

export async function measureImage(bytes: Uint8Array, maxPixels = 40_000_000): Promise<ImageMeasurements> {
  let metadata: Metadata;
  let data: Buffer;
  let info: OutputInfo;
  try {
    const image = sharp(bytes, { limitInputPixels: maxPixels }).rotate();
    metadata = await image.metadata();
    ({ data, info } = await image
      .clone()
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }));
  } catch (error) {
    throw new AppError('image_invalid', 'The file is not an image Vitrine can read (PNG, JPEG, WebP)', {
      cause: error,
    });
  }
  const { width, height } = info;
  const ring = Math.max(2, Math.round(Math.min(width, height) * 0.01));
  let [ringPixels, white] = [0, 0];
  const offenders = { top: 0, bottom: 0, left: 0, right: 0, corners: 0 };
  const corner = Math.round(Math.min(width, height) * 0.1);
  for (let y = 0; y < height; y += 1) {
    const inRow = y < ring || y >= height - ring;
    for (let x = 0; x < width; x += 1) {
      if (!inRow && x >= ring && x < width - ring) {
        x = width - ring - 1;
        continue;
      }
      ringPixels += 1;
      const at = (y * width + x) * 3;
      if (data[at]! >= WHITE && data[at + 1]! >= WHITE && data[at + 2]! >= WHITE) {
        white += 1;
        continue;
      }
      const nearCorner = (x < corner || x >= width - corner) && (y < corner || y >= height - corner);
      if (nearCorner) offenders.corners += 1;
      else if (y < ring) offenders.top += 1;
      else if (y >= height - ring) offenders.bottom += 1;
      else if (x < ring) offenders.left += 1;
      else offenders.right += 1;
    }
  }
  const offendingTotal = ringPixels - white;
  const borderOffenders = Object.entries(offenders)
    .filter(([, count]) => offendingTotal > 0 && count / offendingTotal >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([where]) => (where === 'corners' ? 'corners' : `${where} edge`));

  // Content and objects on a small copy: the extent does not need every pixel.
  const scale = Math.min(1, OBJECT_SIDE / Math.max(width, height));
  const [sw, sh] = [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
  const small =
    scale === 1
      ? data
      : await sharp(data, { raw: { width, height, channels: 3 } })
          .resize(sw, sh, { fit: 'fill' })
          .raw()
          .toBuffer();
  const content = new Uint8Array(sw * sh);
  let [left, top, right, bottom] = [sw, sh, -1, -1];
  for (let index = 0; index < sw * sh; index += 1) {
    const at = index * 3;
    if (small[at]! < CONTENT || small[at + 1]! < CONTENT || small[at + 2]! < CONTENT) {
      content[index] = 255;
      const [x, y] = [index % sw, Math.floor(index / sw)];
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  // Letters of one line, a product and its shadow: close things merge into one object.
  const merged = morph(content, sw, sh, Math.max(1, Math.round(Math.min(sw, sh) * 0.015)), 'dilate');
  const pieces = connectedPieces(merged, sw, sh);
  const sums = pieces.sizes.map(() => ({ area: 0, x: 0, y: 0 }));
  for (let index = 0; index < sw * sh; index += 1) {
    const label = pieces.labels[index]!;
    if (!label || !content[index]) continue;
    const sum = sums[label]!;
    sum.area += 1;
    sum.x += index % sw;
    sum.y += Math.floor(index / sw);
  }
  const objects = sums
    .slice(1)
    .filter((sum) => sum.area > 0)
    .map((sum) => ({ area: sum.area / (sw * sh), x: sum.x / sum.area / sw, y: sum.y / sum.area / sh }))
    .sort((a, b) => b.area - a.area);

  // The profile's description, ASCII or UTF-16 (mluc): drop the NULs and look for sRGB's names.
  const icc = metadata.icc ? Buffer.from(metadata.icc).toString('latin1').replaceAll('\0', '') : '';
  return {
    width,
    height,
    space: metadata.space ?? 'srgb',
    foreignIcc: icc !== '' && !/sRGB|IEC ?61966/i.test(icc),
    borderWhite: ringPixels === 0 ? 1 : white / ringPixels,
    borderOffenders,
    content:
      right < 0
        ? null
        : { x: left / sw, y: top / sh, w: (right - left + 1) / sw, h: (bottom - top + 1) / sh },
    objects,
  };
}
