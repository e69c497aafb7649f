/**
 * Mapping an asked width×height onto what a model accepts. Rule everywhere: the closest aspect
 * ratio first, then the closest area. Adapters return what the model produced; the service crops
 * or resizes to the exact asked size.
 */

export interface Size {
  width: number;
  height: number;
}

/** Distance of two aspect ratios on a log scale, so 2:1 and 1:2 are equally far from 1:1. */
function ratioDistance(a: Size, b: Size): number {
  return Math.abs(Math.log(a.width / a.height) - Math.log(b.width / b.height));
}

function areaDistance(a: Size, b: Size): number {
  return Math.abs(Math.log((a.width * a.height) / (b.width * b.height)));
}

/** Ratios closer than this count as the same (rounding of listed sizes, e.g. 1792x1024 ≈ 7:4). */
const SAME_RATIO = 1e-3;

/** The candidate nearest to `asked`: closest aspect ratio, ties (same ratio) broken by closest area. */
export function nearestSize<T extends Size>(asked: Size, candidates: readonly T[]): T {
  let best: T | undefined;
  for (const candidate of candidates) {
    if (!best) {
      best = candidate;
      continue;
    }
    const byRatio = ratioDistance(asked, candidate) - ratioDistance(asked, best);
    if (
      byRatio < -SAME_RATIO ||
      (Math.abs(byRatio) <= SAME_RATIO && areaDistance(asked, candidate) < areaDistance(asked, best))
    ) {
      best = candidate;
    }
  }
  if (!best) throw new Error('nearestSize needs at least one candidate');
  return best;
}

/** Parses "1536x1024" into a size. */
export function parseSize(text: string): Size {
  const [width, height] = text.split('x').map(Number);
  return { width: width ?? 0, height: height ?? 0 };
}

/** The aspect ratio ("16:9") from `ratios` nearest to the asked size. */
export function nearestAspectRatio(asked: Size, ratios: readonly string[]): string {
  const candidates = ratios.map((ratio) => {
    const [width, height] = ratio.split(':').map(Number);
    return { ratio, width: width ?? 1, height: height ?? 1 };
  });
  return nearestSize(asked, candidates).ratio;
}

/**
 * A size for models that take free width/height within bounds: keeps the aspect ratio, scales into
 * [minSide, maxSide] and under `maxPixels`, and rounds each side to a multiple of `step`.
 */
export function fitFreeSize(
  asked: Size,
  bounds: { minSide: number; maxSide: number; maxPixels: number; step: number; maxRatio?: number },
): Size {
  const { minSide, maxSide, maxPixels, step } = bounds;
  let ratio = asked.width / asked.height;
  if (bounds.maxRatio) ratio = Math.min(bounds.maxRatio, Math.max(1 / bounds.maxRatio, ratio));
  let width = asked.width;
  let height = width / ratio;
  const shrink = Math.min(1, maxSide / Math.max(width, height), Math.sqrt(maxPixels / (width * height)));
  width *= shrink;
  height *= shrink;
  const grow = Math.max(1, minSide / Math.min(width, height));
  width *= grow;
  height *= grow;
  const snap = (side: number, limit: number) =>
    Math.min(limit, Math.max(minSide, Math.round(side / step) * step));
  let snappedWidth = snap(width, Math.floor(maxSide / step) * step);
  let snappedHeight = snap(height, Math.floor(maxSide / step) * step);
  // Rounding up may cross the pixel budget; step the longer side down until it fits.
  while (snappedWidth * snappedHeight > maxPixels) {
    if (snappedWidth >= snappedHeight) snappedWidth -= step;
    else snappedHeight -= step;
  }
  return { width: snappedWidth, height: snappedHeight };
}

/** Rounds a side to the nearest multiple of `step`, at least `step`. */
export function roundToMultiple(side: number, step: number): number {
  return Math.max(step, Math.round(side / step) * step);
}
