import sharp from 'sharp';
import { AppError } from '../domain/errors.ts';
import { modelBackdrop, toLab } from './cutout-backdrop.ts';
import { type CutoutConfidence, judgeCutout } from './cutout-confidence.ts';
import { productMask } from './cutout-mask.ts';
import { connectedPieces } from './mask-ops.ts';

/**
 * Product cut-out without a model. The backdrop is modelled from the photo's border (plain,
 * gradient or two-tone; see cutout-backdrop.ts), the product is what a flood from the border cannot
 * reach through backdrop or soft shadow, kept in one piece with its enclosed parts (cutout-mask.ts),
 * and every result carries a confidence with its reasons (cutout-confidence.ts): a low one means the
 * layout must not show the cut-out as if it were right.
 */

export type { CutoutConfidence } from './cutout-confidence.ts';

export interface CutoutResult {
  /**
   * PNG with the background transparent — or, when `cut` is false, the whole photo (upright), because
   * the cut-out could not be trusted: the layout then shows it as a framed photo.
   */
  png: Uint8Array;
  cut: boolean;
  width: number;
  height: number;
  /** True unless the confidence is high: a person should look before publishing. */
  needsReview: boolean;
  /** What happened and how sure it is, in a sentence, for the job's record. */
  note: string;
  /** Fraction of the photo kept as product. */
  foreground: number;
  /** Which remover produced it: `backdrop-model` here, `already-transparent`, or a model's name. */
  method: string;
  confidence: CutoutConfidence;
  /** Facts about the photo a shop should hear about (cropped at the frame, several objects). */
  intake: PhotoIntake;
}

/** What the cut-out learnt about the photo itself, for intake warnings. */
export interface PhotoIntake {
  /** The photo's own size (after EXIF orientation). */
  width: number;
  height: number;
  /** Share of the product's outline lying on the photo's edge (0: fully inside the frame). */
  touchesFrame: number;
  /** Separate objects seen besides the one kept. */
  otherObjects: number;
  /** The photo already had transparency and was used as it is. */
  alreadyTransparent: boolean;
}

/** What a background remover offers: the built-in one below, or a model-based one (ONNX matting). */
export interface BackgroundRemover {
  readonly id: string;
  removeBackground(bytes: Uint8Array, signal?: AbortSignal): Promise<CutoutResult>;
}

/** Analysis runs at this size (longer side): enough for a clean outline, fast in plain JS. */
const ANALYSIS_SIDE = 512;
/** The cut-out PNG is at most this large; the studio never draws a product larger. */
const MAX_OUTPUT_SIDE = 1600;

export interface ProductMask {
  /** 255 product, 0 backdrop, at `width`×`height` (the analysis size). */
  mask: Uint8Array;
  /** The mask with a soft, anti-aliased edge (a difference matte against the backdrop). */
  alpha: Uint8Array;
  width: number;
  height: number;
  confidence: CutoutConfidence;
  foreground: number;
  touchesFrame: number;
  otherObjects: number;
}

/** The product's mask of decoded RGBA pixels (any size; analysed as given). Pure. */
export function findProductMask(rgba: Uint8Array, width: number, height: number): ProductMask {
  const lab = toLab(rgba, width, height);
  const analysis = productMask(lab, modelBackdrop(lab));
  return {
    mask: analysis.mask,
    alpha: analysis.alpha,
    width,
    height,
    confidence: judgeCutout(analysis, analysis.model),
    foreground: analysis.foreground,
    touchesFrame: analysis.touchesFrame,
    otherObjects: analysis.droppedPieces,
  };
}

/** The built-in remover: backdrop model, one-piece mask, feathered edge, trimmed to the product. */
export async function cutOutProduct(
  bytes: Uint8Array,
  options: { trim?: boolean } = {},
): Promise<CutoutResult> {
  const trim = options.trim ?? true;
  // rotate() with no angle applies the EXIF orientation, so a phone's portrait photo stands upright.
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize(MAX_OUTPUT_SIDE, MAX_OUTPUT_SIDE, { fit: 'inside', withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      // Bytes that are no image are the caller's input, not a fault of ours.
      throw new AppError('image_invalid', 'The product photo could not be decoded (PNG, JPEG or WebP)', {
        cause: error,
      });
    });
  const { width, height } = info;
  const rgba = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

  let transparent = 0;
  for (let at = 3; at < rgba.length; at += 4) if (rgba[at]! < 250) transparent += 1;
  if (transparent > (width * height) / 100) {
    const png = await sharp(data, { raw: { width, height, channels: 4 } })
      .png()
      .toBuffer();
    const foreground = 1 - transparent / (width * height);
    return {
      png: new Uint8Array(png),
      cut: true,
      width,
      height,
      needsReview: false,
      note: 'the photo is already cut out (it has transparency): used as it is',
      foreground,
      method: 'already-transparent',
      confidence: { level: 'high', score: 1, reasons: ['the photo came with its own transparency'] },
      intake: { width, height, touchesFrame: 0, otherObjects: 0, alreadyTransparent: true },
    };
  }

  const scale = Math.min(1, ANALYSIS_SIDE / Math.max(width, height));
  const [aw, ah] = [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
  const small =
    scale === 1
      ? rgba
      : new Uint8Array(
          await sharp(data, { raw: { width, height, channels: 4 } })
            .resize(aw, ah, { fit: 'fill', kernel: 'cubic' })
            .raw()
            .toBuffer(),
        );
  const found = findProductMask(small, aw, ah);
  const intake: PhotoIntake = {
    width,
    height,
    touchesFrame: found.touchesFrame,
    otherObjects: found.otherObjects,
    alreadyTransparent: false,
  };
  const note = `${found.confidence.level} confidence: ${found.confidence.reasons.join('; ')}`;
  if (found.confidence.level === 'low') {
    // Never a doubtful cut-out: the whole photo, for the layout to frame deliberately.
    const png = await sharp(data, { raw: { width, height, channels: 4 } })
      .removeAlpha()
      .png()
      .toBuffer();
    return {
      png: new Uint8Array(png),
      cut: false,
      width,
      height,
      needsReview: true,
      note,
      foreground: found.foreground,
      method: 'backdrop-model',
      confidence: found.confidence,
      intake,
    };
  }

  // The matte scaled to the output, smoothed over about half a pixel of the analysis size.
  const alpha = await sharp(found.alpha, { raw: { width: aw, height: ah, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'cubic' })
    .blur(Math.max(0.4, 0.4 / scale))
    .extractChannel(0)
    .raw()
    .toBuffer();
  // Every pixel of the (one-piece) mask stays at least half opaque at the delivered size, so a
  // thin part (a glass's stem) never comes loose from the rest when the matte is scaled up.
  const solid = await sharp(found.mask, { raw: { width: aw, height: ah, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'nearest' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  for (let index = 0; index < alpha.length; index += 1)
    if (solid[index]! && alpha[index]! < 128) alpha[index] = 128;
  keepOnePiece(alpha, width, height);
  const out = new Uint8Array(rgba);
  for (let index = 0; index < width * height; index += 1) out[index * 4 + 3] = alpha[index]!;
  bleedEdgeColours(out, width, height);
  let image = sharp(out, { raw: { width, height, channels: 4 } });
  let [w, h] = [width, height];
  if (trim) {
    const box = alphaBox(alpha, width, height);
    if (box) {
      image = sharp(await image.extract(box).raw().toBuffer(), {
        raw: { width: box.width, height: box.height, channels: 4 },
      });
      [w, h] = [box.width, box.height];
    }
  }
  const png = await image.png().toBuffer();
  return {
    png: new Uint8Array(png),
    cut: true,
    width: w,
    height: h,
    needsReview: found.confidence.level !== 'high',
    note,
    foreground: found.foreground,
    method: 'backdrop-model',
    confidence: found.confidence,
    intake,
  };
}

/**
 * Scaling the matte up can lift a faint pixel beside a sharp corner over half opacity, an island
 * of its own: at the delivered size too, the product is one piece (alpha ≥ 128) and nothing else is.
 */
function keepOnePiece(alpha: Uint8Array, width: number, height: number) {
  const solid = new Uint8Array(alpha.length);
  for (let index = 0; index < alpha.length; index += 1) solid[index] = alpha[index]! >= 128 ? 255 : 0;
  const pieces = connectedPieces(solid, width, height);
  const largest = pieces.sizes.indexOf(Math.max(0, ...pieces.sizes.slice(1)));
  for (let index = 0; index < alpha.length; index += 1) {
    const label = pieces.labels[index]!;
    if (label > 0 && label !== largest) alpha[index] = 127;
  }
}

/**
 * The see-through edge pixels still carry the backdrop's colour mixed in (a grey halo on a dark
 * scene): they take the colour of the nearest solid product pixel instead, a few pixels deep.
 */
function bleedEdgeColours(rgba: Uint8Array, width: number, height: number) {
  const solid = new Uint8Array(width * height);
  for (let index = 0; index < solid.length; index += 1) solid[index] = rgba[index * 4 + 3]! >= 250 ? 1 : 0;
  for (let pass = 0; pass < 6; pass += 1) {
    const next: number[] = [];
    for (let index = 0; index < solid.length; index += 1) {
      if (solid[index] || rgba[index * 4 + 3] === 0) continue;
      const x = index % width;
      const from =
        x > 0 && solid[index - 1] === 1
          ? index - 1
          : x < width - 1 && solid[index + 1] === 1
            ? index + 1
            : index >= width && solid[index - width] === 1
              ? index - width
              : index + width < solid.length && solid[index + width] === 1
                ? index + width
                : -1;
      if (from < 0) continue;
      rgba[index * 4] = rgba[from * 4]!;
      rgba[index * 4 + 1] = rgba[from * 4 + 1]!;
      rgba[index * 4 + 2] = rgba[from * 4 + 2]!;
      next.push(index);
    }
    for (const index of next) solid[index] = 1;
    if (next.length === 0) break;
  }
  // A faint pixel with no product near it is a speck of backdrop: fully transparent.
  for (let index = 0; index < solid.length; index += 1) if (!solid[index]) rgba[index * 4 + 3] = 0;
}

function alphaBox(alpha: Uint8Array, width: number, height: number) {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      if (alpha[y * width + x]! < 8) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  if (right < 0) return null;
  return { left, top, width: right - left + 1, height: bottom - top + 1 };
}

export const backdropModelRemover: BackgroundRemover = {
  id: 'backdrop-model',
  removeBackground: (bytes) => cutOutProduct(bytes),
};
