import { type BackdropModel, type LabImage, refineBackdrop } from './cutout-backdrop.ts';
import {
  boxBlur,
  connectedPieces,
  convexHullMask,
  fillEnclosedHoles,
  floodFromBorder,
  keepPieces,
  maxFilter,
  morph,
} from './mask-ops.ts';

/**
 * The product's mask from the backdrop model, in one piece:
 * 1. the backdrop is what a flood from the frame's border reaches through pixels that match the
 *    modelled backdrop, or that are a shadow of it (darker, same hue) with no sharp edge in them —
 *    so a soft shadow is left out, while a white product's sharp outline stops the flood;
 * 2. everything else is product; specks are opened away;
 * 3. pieces that belong together (a bottle cut in two by a label close to the backdrop colour) are
 *    joined through the pixels between them that are not pure backdrop; the main piece is kept
 *    and every other piece dropped — and counted, so the confidence says so;
 * 4. enclosed regions (a label, a frame's mat) are filled: inside the product they are product.
 */

export interface MaskAnalysis {
  /** 255 product, 0 backdrop; at the analysis size. */
  mask: Uint8Array;
  /** The same with a soft edge: the outline's pixels partly transparent as the photo mixes them. */
  alpha: Uint8Array;
  /** Share of the frame that is product. */
  foreground: number;
  /** Pieces that were left out (significant ones only) and the share of the frame they covered. */
  droppedPieces: number;
  droppedArea: number;
  /** Pieces joined into the main one through not-quite-backdrop pixels. */
  joinedPieces: number;
  /** Pixels of enclosed holes filled, as a share of the product. */
  filledHoles: number;
  /** Median ΔE step across the product's outline: how clearly it stands out. */
  edgeContrast: number;
  /** Share of the product's outline that lies on the frame's border. */
  touchesFrame: number;
  /** Share of the frame treated as shadow and left out. */
  shadow: number;
  /** Threshold used (ΔE), for the record. */
  threshold: number;
}

/** The lowest ΔE that counts as "not backdrop" whatever the noise (≈ a just-noticeable step). */
const MIN_THRESHOLD = 1.6;
/** How strong JPEG ringing is next to an edge, as a share of the edge's ΔE. */
const RINGING = 0.1;
/** A piece counts (as a dropped fragment or a second object) from this share of the largest one. */
const SIGNIFICANT_PIECE = 0.02;
/** Pieces this large next to the largest are taken for parts of the same product and joined. */
const PART_OF_PRODUCT = 0.1;

export function productMask(
  image: LabImage,
  initial: BackdropModel,
): MaskAnalysis & { model: BackdropModel } {
  // Two refinements of the backdrop model from what the first floods found to be backdrop.
  let model = initial;
  const edges = lightnessEdges(image.lab, image.width, image.height);
  let pass = separate(image, model, edges);
  for (let round = 0; round < 2; round += 1) {
    const clean = new Uint8Array(pass.backdrop.length);
    for (let index = 0; index < clean.length; index += 1)
      clean[index] = pass.backdrop[index] && !pass.shadowLike[index] ? 1 : 0;
    model = refineBackdrop(image, model, clean);
    pass = separate(image, model, edges);
  }
  return { ...finish(image, model, pass), model };
}

interface Separation {
  backdrop: Uint8Array;
  shadowLike: Uint8Array;
  smooth: Float32Array;
  threshold: number;
}

function separate(image: LabImage, model: BackdropModel, edges: Float32Array): Separation {
  const { width, height, lab } = image;
  const count = width * height;
  const smooth = boxBlur(model.distance, width, height, 1);
  const threshold = Math.max(MIN_THRESHOLD, model.noise * 1.1);
  // A soft shadow darkens at most a few L* per pixel; a product's outline steps faster.
  const edgeLimit = Math.max(3.2, model.noise * 2.5);
  const plain = new Uint8Array(count);
  const either = new Uint8Array(count);
  const shadowLike = new Uint8Array(count);
  // JPEG's blocks carry an edge's colour up to 8 px into the backdrop, at about a tenth of the
  // edge's strength: next to a strong edge the threshold rises with it.
  const nearby = maxFilter(smooth, width, height, 6);
  for (let index = 0; index < count; index += 1) {
    if (smooth[index]! <= Math.max(threshold, nearby[index]! * RINGING)) {
      plain[index] = 255;
      either[index] = 255;
      continue;
    }
    if (edges[index]! <= edgeLimit && isShadowOf(lab, model.backdrop, index)) {
      shadowLike[index] = 1;
      either[index] = 255;
    }
  }
  // The flood enters a shadow only through openings at least five pixels wide: where a white
  // product's shading meets its own contact shadow in the same tone, the gap is narrower.
  const wide = morph(either, width, height, 2, 'erode');
  const passable = new Uint8Array(count);
  for (let index = 0; index < count; index += 1) passable[index] = plain[index] || wide[index] ? 1 : 0;
  const reached = floodFromBorder(passable, width, height);
  // Shadow pixels next to reached ones (the eroded rim) belong to the shadow too.
  const grown = morph(
    reached.map((v) => v * 255),
    width,
    height,
    2,
    'dilate',
  );
  const backdrop = new Uint8Array(count);
  for (let index = 0; index < count; index += 1) {
    backdrop[index] = reached[index] || (grown[index] && either[index]) ? 1 : 0;
  }
  return { backdrop, shadowLike, smooth, threshold };
}

function finish(image: LabImage, model: BackdropModel, pass: Separation): MaskAnalysis {
  const { width, height } = image;
  const count = width * height;
  const { smooth, shadowLike, threshold } = pass;
  let mask: Uint8Array = new Uint8Array(count);
  let shadowPixels = 0;
  for (let index = 0; index < count; index += 1) {
    if (!pass.backdrop[index]) mask[index] = 255;
    else if (shadowLike[index]) shadowPixels += 1;
  }
  // Specks of noise and JPEG ringing: an opening by one pixel.
  mask = morph(morph(mask, width, height, 1, 'erode'), width, height, 1, 'dilate');

  let pieces = connectedPieces(mask, width, height);
  let joinedPieces = 0;
  const atLeast = (sizes: number[], share: number) => {
    const largest = Math.max(0, ...sizes.slice(1));
    return sizes.map((size, label) => label > 0 && size >= Math.max(4, largest * share));
  };
  const parts = atLeast(pieces.sizes, PART_OF_PRODUCT);
  // A smaller piece right next to the main one (a glass's stem under its bowl, across a faint rim)
  // is a part too.
  const mainLabel = pieces.sizes.indexOf(Math.max(0, ...pieces.sizes.slice(1)));
  if (mainLabel > 0) {
    const main = new Uint8Array(count);
    for (let index = 0; index < count; index += 1) if (pieces.labels[index] === mainLabel) main[index] = 255;
    const around = morph(
      main,
      width,
      height,
      Math.max(3, Math.round(Math.min(width, height) * 0.015)),
      'dilate',
    );
    const small = atLeast(pieces.sizes, SIGNIFICANT_PIECE);
    for (let index = 0; index < count; index += 1) {
      const label = pieces.labels[index]!;
      if (label > 0 && around[index] && small[label]) parts[label] = true;
    }
  }
  const partCount = parts.filter(Boolean).length;
  if (partCount > 1) {
    // Large pieces are parts of one product cut apart by something close to the backdrop colour
    // (a label, a seam): join them through the pixels between them that are clearly not backdrop.
    const hullOf = new Uint8Array(count);
    for (let index = 0; index < count; index += 1) if (parts[pieces.labels[index]!]) hullOf[index] = 255;
    const hull = convexHullMask(hullOf, width, height);
    const bridge = threshold * 0.8;
    for (let index = 0; index < count; index += 1) {
      if (hull[index] && !mask[index] && smooth[index]! > bridge && !shadowLike[index]) mask[index] = 255;
    }
    const joined = connectedPieces(mask, width, height);
    joinedPieces = partCount - atLeast(joined.sizes, PART_OF_PRODUCT).filter(Boolean).length;
    pieces = joined;
  }
  const keep = atLeast(pieces.sizes, SIGNIFICANT_PIECE);
  const largest = pieces.sizes.indexOf(Math.max(0, ...pieces.sizes.slice(1)));
  let droppedPieces = 0;
  let droppedArea = 0;
  for (let label = 1; label < pieces.sizes.length; label += 1) {
    if (label === largest) continue;
    droppedArea += pieces.sizes[label]!;
    if (keep[label]) droppedPieces += 1;
  }
  keepPieces(mask, pieces, (label) => label === largest);
  const filled = fillEnclosedHoles(mask, width, height);
  // Peel the halo a few pixels at a time, as far as JPEG ringing reaches (8 px blocks).
  const untrimmed = mask.slice();
  for (let round = 0; round < 3 && trimFringe(mask, model.distance, width, height) > 0; round += 1);
  // A contact shadow is too steep for the flood: peel it from under the product, row by row.
  for (let round = 0; round < 4 && peelContactShadow(image, model, mask) > 0; round += 1);
  // Trimming must never cut a part off (a glass's stem hangs on by a faint rim): if it did, the
  // untrimmed outline is kept — a faint halo is better than a missing part.
  if (significantPieces(mask, width, height) > 1) mask.set(untrimmed);
  keepLargestPiece(mask, width, height);

  let kept = 0;
  for (let index = 0; index < count; index += 1) if (mask[index]) kept += 1;
  const outline = outlineStats(mask, smooth, width, height);
  return {
    mask,
    alpha: softEdge(mask, model.distance, width, height),
    foreground: kept / count,
    droppedPieces,
    droppedArea: droppedArea / count,
    joinedPieces,
    filledHoles: kept > 0 ? filled / kept : 0,
    edgeContrast: outline.contrast,
    touchesFrame: outline.onFrame,
    shadow: shadowPixels / count,
    threshold,
  };
}

/**
 * Places the outline where the photo's edge is half-way between backdrop and product: a pixel in
 * the outer band is dropped when it differs from the backdrop by less than half as much as the
 * product does a few pixels further in. This removes the halo that JPEG's colour subsampling and
 * the low threshold leave around a product, without touching faint parts deep inside.
 */
function trimFringe(mask: Uint8Array, distance: Float32Array, width: number, height: number): number {
  const interior = morph(mask, width, height, 3, 'erode');
  const reach = 4;
  const offsets = [
    [reach, 0],
    [-reach, 0],
    [0, reach],
    [0, -reach],
    [3, 3],
    [-3, 3],
    [3, -3],
    [-3, -3],
  ] as const;
  const drop: number[] = [];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const index = y * width + x;
      if (!mask[index] || interior[index]) continue;
      const inner: number[] = [];
      for (const [dx, dy] of offsets) {
        const [nx, ny] = [x + dx, y + dy];
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const j = ny * width + nx;
        if (interior[j]) inner.push(distance[j]!);
      }
      if (inner.length === 0) continue;
      // The median of what lies further in: a halo pixel sees mostly product, a faint label's edge
      // mostly label.
      inner.sort((a, b) => a - b);
      if (distance[index]! < inner[Math.floor(inner.length / 2)]! * 0.5) drop.push(index);
    }
  }
  for (const index of drop) mask[index] = 0;
  return drop.length;
}

/**
 * A difference matte along the outline: a pixel on either side of the edge is as opaque as its
 * distance from the backdrop is a share of the product's own distance a few pixels in. Anti-aliased
 * edges come out as in the photo instead of as a staircase of whole pixels.
 */
function softEdge(mask: Uint8Array, distance: Float32Array, width: number, height: number): Uint8Array {
  const alpha = mask.slice();
  const interior = morph(mask, width, height, 2, 'erode');
  const ring = morph(mask, width, height, 1, 'dilate');
  const reach = 3;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const index = y * width + x;
      if (!ring[index] || interior[index]) continue;
      let [sum, n] = [0, 0];
      for (let dy = -reach; dy <= reach; dy += 1) {
        for (let dx = -reach; dx <= reach; dx += 1) {
          const [nx, ny] = [x + dx, y + dy];
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (interior[j]) {
            sum += distance[j]!;
            n += 1;
          }
        }
      }
      if (n === 0) continue;
      const share = distance[index]! / (sum / n);
      // Inside the mask never below half, outside never above: the mask decides, the matte softens.
      const value = Math.round(Math.min(1, Math.max(0, share)) * 255);
      alpha[index] = mask[index] ? Math.max(128, value) : Math.min(127, value);
    }
  }
  return alpha;
}

/**
 * Removes shadow-coloured pixels (the backdrop dimmed, same hue) along the bottom of the product's
 * outline — where a contact shadow lies — one pixel layer per call. Returns how many it removed.
 */
function peelContactShadow(image: LabImage, model: BackdropModel, mask: Uint8Array): number {
  const { width, height, lab } = image;
  let top = height;
  let bottom = -1;
  for (let index = 0; index < mask.length; index += 1) {
    if (!mask[index]) continue;
    const y = Math.floor(index / width);
    if (y < top) top = y;
    if (y > bottom) bottom = y;
  }
  if (bottom < 0) return 0;
  const from = Math.round(top + (bottom - top) * 0.75);
  const drop: number[] = [];
  for (let y = from; y <= bottom; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const index = y * width + x;
      if (!mask[index]) continue;
      const below = y + 1 < height ? mask[index + width] : 0;
      if (below) continue;
      if (isShadowOf(lab, model.backdrop, index) && lab[index * 3]! < model.backdrop[index * 3]! - 3)
        drop.push(index);
    }
  }
  for (const index of drop) mask[index] = 0;
  return drop.length;
}

function significantPieces(mask: Uint8Array, width: number, height: number): number {
  const { sizes } = connectedPieces(mask, width, height);
  const largest = Math.max(0, ...sizes.slice(1));
  return sizes.filter((size, label) => label > 0 && size >= largest * 0.005).length;
}

function keepLargestPiece(mask: Uint8Array, width: number, height: number) {
  const pieces = connectedPieces(mask, width, height);
  const largest = pieces.sizes.indexOf(Math.max(0, ...pieces.sizes.slice(1)));
  keepPieces(mask, pieces, (label) => label === largest);
  fillEnclosedHoles(mask, width, height);
}

/**
 * A shadow is the backdrop with less light: in linear RGB every channel scaled by one factor. The
 * pixel is compared with the backdrop dimmed to its own lightness; a coloured or tinted surface
 * (a warm white vase on a neutral white sweep) differs from that by its hue.
 */
function isShadowOf(lab: Float32Array, backdrop: Float32Array, index: number): boolean {
  const i = index * 3;
  const dL = lab[i]! - backdrop[i]!;
  if (dL > -0.8) return false;
  // Dimming scales a* and b* roughly with lightness (exact for a neutral backdrop).
  const scale = Math.max(0, lab[i]!) / Math.max(1, backdrop[i]!);
  const da = lab[i + 1]! - backdrop[i + 1]! * scale;
  const db = lab[i + 2]! - backdrop[i + 2]! * scale;
  return Math.hypot(da, db) <= 1.1 + 0.04 * -dL;
}

/** Gradient magnitude of L* (Sobel over a lightly smoothed L*), per pixel. */
function lightnessEdges(lab: Float32Array, width: number, height: number): Float32Array {
  const lightness = new Float32Array(width * height);
  for (let index = 0; index < lightness.length; index += 1) lightness[index] = lab[index * 3]!;
  const l = boxBlur(lightness, width, height, 1);
  const out = new Float32Array(width * height);
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const i = y * width + x;
      const gx =
        l[i - width + 1]! +
        2 * l[i + 1]! +
        l[i + width + 1]! -
        l[i - width - 1]! -
        2 * l[i - 1]! -
        l[i + width - 1]!;
      const gy =
        l[i + width - 1]! +
        2 * l[i + width]! +
        l[i + width + 1]! -
        l[i - width - 1]! -
        2 * l[i - width]! -
        l[i - width + 1]!;
      out[i] = Math.hypot(gx, gy) / 8;
    }
  }
  return out;
}

/** Median backdrop distance just inside the outline, and the share of the outline on the frame. */
function outlineStats(mask: Uint8Array, distance: Float32Array, width: number, height: number) {
  const steps: number[] = [];
  let [outline, onFrame] = [0, 0];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const index = y * width + x;
      if (!mask[index]) continue;
      const border = x === 0 || y === 0 || x === width - 1 || y === height - 1;
      const nextToBackdrop =
        !border && (!mask[index - 1] || !mask[index + 1] || !mask[index - width] || !mask[index + width]);
      if (border) {
        outline += 1;
        onFrame += 1;
      } else if (nextToBackdrop) {
        outline += 1;
        // Two pixels in, past the anti-aliased edge, where possible.
        const inward = [index - 2, index + 2, index - 2 * width, index + 2 * width].filter(
          (i) => i >= 0 && i < mask.length && mask[i],
        );
        const deepest = inward.reduce((best, i) => Math.max(best, distance[i]!), distance[index]!);
        steps.push(deepest);
      }
    }
  }
  steps.sort((a, b) => a - b);
  return {
    contrast: steps.length > 0 ? steps[Math.floor(steps.length / 2)]! : 0,
    onFrame: outline > 0 ? onFrame / outline : 0,
  };
}
