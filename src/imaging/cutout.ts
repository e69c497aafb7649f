import sharp from 'sharp';

/**
 * Product cut-out without a model: the background is whatever color region touches the border,
 * found by a flood fill from the edge over pixels close to the border's dominant color. That is
 * exact on the plain studio backdrops most product photos use; on a busy background it cannot be,
 * so the result is flagged `needsReview` rather than silently wrong.
 */

export interface CutoutResult {
  /** PNG with the background transparent (or the photo unchanged when nothing could be cut). */
  png: Uint8Array;
  width: number;
  height: number;
  /** True when the background was not plain enough for a color cut-out to be trusted. */
  needsReview: boolean;
  /** Why, in a sentence, for the job's record. */
  note: string;
  /** Fraction of the pixels kept as product. */
  foreground: number;
  /** Which remover produced it: `color-flood` here; a model-based remover names itself. */
  method: string;
}

/**
 * What a background remover offers. The color flood fill below is the built-in one; a model-based
 * remover (an image provider with a segmentation model) implements the same interface.
 */
export interface BackgroundRemover {
  readonly id: string;
  removeBackground(bytes: Uint8Array, signal?: AbortSignal): Promise<CutoutResult>;
}

export interface MaskResult {
  /** One byte per pixel: 255 product, 0 background. */
  mask: Uint8Array;
  /** The estimated background color. */
  background: [number, number, number];
  /** Fraction of border pixels far from the background color: 0 on a plain backdrop. */
  borderSpread: number;
  foreground: number;
}

/** Color distance (Euclidean RGB) under which a pixel counts as backdrop. */
const BACKGROUND_TOLERANCE = 42;
/** Above this share of off-color border pixels the backdrop is not plain. */
const MAX_PLAIN_BORDER_SPREAD = 0.08;
const MAX_WORKING_SIDE = 1600;

/** Finds the edge-connected background of an RGBA image. Pure, so tests can feed known pixels. */
export function backgroundMask(rgba: Uint8Array, width: number, height: number): MaskResult {
  const pixelCount = width * height;
  const border: number[] = [];
  for (let x = 0; x < width; x += 1) border.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y += 1) border.push(y * width, y * width + width - 1);
  const channel = (c: number) => {
    const values = border.map((index) => rgba[index * 4 + c]!).sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)]!;
  };
  const background: [number, number, number] = [channel(0), channel(1), channel(2)];
  const distance = (index: number) => {
    const at = index * 4;
    // A transparent pixel is backdrop whatever its color channels say.
    if (rgba[at + 3]! < 16) return 0;
    return Math.hypot(
      rgba[at]! - background[0],
      rgba[at + 1]! - background[1],
      rgba[at + 2]! - background[2],
    );
  };
  const off = border.filter((index) => distance(index) > BACKGROUND_TOLERANCE).length;

  const isBackground = new Uint8Array(pixelCount);
  const queue = new Int32Array(pixelCount);
  let head = 0;
  let tail = 0;
  for (const index of border) {
    if (!isBackground[index] && distance(index) <= BACKGROUND_TOLERANCE) {
      isBackground[index] = 1;
      queue[tail++] = index;
    }
  }
  while (head < tail) {
    const index = queue[head++]!;
    const x = index % width;
    const neighbors = [
      x > 0 ? index - 1 : -1,
      x < width - 1 ? index + 1 : -1,
      index >= width ? index - width : -1,
      index + width < pixelCount ? index + width : -1,
    ];
    for (const next of neighbors) {
      if (next < 0 || isBackground[next]) continue;
      if (distance(next) <= BACKGROUND_TOLERANCE) {
        isBackground[next] = 1;
        queue[tail++] = next;
      }
    }
  }
  const mask = new Uint8Array(pixelCount);
  let kept = 0;
  for (let index = 0; index < pixelCount; index += 1) {
    if (!isBackground[index]) {
      mask[index] = 255;
      kept += 1;
    }
  }
  return { mask, background, borderSpread: off / border.length, foreground: kept / pixelCount };
}

/** The built-in remover: color flood fill from the border, feathered edge, trimmed to the product. */
export async function cutOutProduct(
  bytes: Uint8Array,
  options: { trim?: boolean } = {},
): Promise<CutoutResult> {
  const trim = options.trim ?? true;
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize(MAX_WORKING_SIDE, MAX_WORKING_SIDE, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const rgba = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const result = (
    png: Uint8Array,
    w: number,
    h: number,
    rest: Omit<CutoutResult, 'png' | 'width' | 'height' | 'method'>,
  ) => ({
    png,
    width: w,
    height: h,
    method: 'color-flood',
    ...rest,
  });

  let transparent = 0;
  for (let at = 3; at < rgba.length; at += 4) if (rgba[at]! < 250) transparent += 1;
  if (transparent > (width * height) / 100) {
    const png = await sharp(data, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer();
    return result(new Uint8Array(png), width, height, {
      needsReview: false,
      note: 'the photo is already cut out (it has transparency)',
      foreground: 1 - transparent / (width * height),
    });
  }

  const found = backgroundMask(rgba, width, height);
  const plain = found.borderSpread <= MAX_PLAIN_BORDER_SPREAD;
  const sensible = found.foreground >= 0.02 && found.foreground <= 0.97;
  if (!sensible) {
    // Nothing or everything was backdrop: show the photo as it is and ask a human.
    const png = await sharp(data, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer();
    return result(new Uint8Array(png), width, height, {
      needsReview: true,
      note: `no product separated from the background (${Math.round(found.foreground * 100)}% kept); the photo is used uncut`,
      foreground: found.foreground,
    });
  }

  // A feathered edge: the hard mask blurred by about a pixel per 500 px of image.
  const sigma = Math.max(0.6, Math.max(width, height) / 500);
  const alpha = await sharp(found.mask, { raw: { width, height, channels: 1 } })
    .blur(sigma)
    .extractChannel(0)
    .raw()
    .toBuffer();
  const out = new Uint8Array(rgba);
  for (let index = 0; index < width * height; index += 1) {
    // Only fade outward: the blurred mask may dim the product's own edge pixels, never raise the backdrop's.
    out[index * 4 + 3] = found.mask[index] ? Math.max(alpha[index]!, 128) : Math.min(alpha[index]!, 127);
  }
  let image = sharp(out, { raw: { width, height, channels: 4 } });
  let [w, h] = [width, height];
  if (trim) {
    const box = boundingBox(found.mask, width, height, Math.ceil(sigma * 3));
    image = sharp(await image.extract(box).raw().toBuffer(), {
      raw: { width: box.width, height: box.height, channels: 4 },
    });
    [w, h] = [box.width, box.height];
  }
  const png = await image.png().toBuffer();
  return result(new Uint8Array(png), w, h, {
    needsReview: !plain,
    note: plain
      ? 'background removed (plain backdrop)'
      : `background is not plain (${Math.round(found.borderSpread * 100)}% of the border differs); check the cut-out`,
    foreground: found.foreground,
  });
}

function boundingBox(mask: Uint8Array, width: number, height: number, margin: number) {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (!mask[y * width + x]) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  left = Math.max(0, left - margin);
  top = Math.max(0, top - margin);
  right = Math.min(width - 1, right + margin);
  bottom = Math.min(height - 1, bottom + margin);
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

export const colorFloodRemover: BackgroundRemover = {
  id: 'color-flood',
  removeBackground: (bytes) => cutOutProduct(bytes),
};
