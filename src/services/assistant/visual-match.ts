import { groundingPixels } from '../../imaging/shopper-photo.ts';
import {
  type ColourGroup,
  compareColoursThrough,
  foregroundHistogram,
  foregroundMask,
  interiorMask,
  intersection,
  type RgbImage,
} from '../../vision/colour-match.ts';
import { extractOrb, matchOrb, type OrbFeatures } from '../../vision/orb-matcher.ts';

/**
 * The visual half of "is this the same item?": each picture reduced once to a signature (ORB
 * features, RGB pixels at the working size, its foreground and colour histogram), then pairs of
 * signatures compared (ORB inliers for the design, colours through the homography for the colour).
 */

export interface ImageSignature {
  orb: OrbFeatures;
  /**
   * ORB of the local-contrast image (orb-matcher.ts): the same design in a colourway whose print is
   * lighter than its body where the other's is darker inverts the edges plain ORB compares. Catalog
   * images have it at once; a photo computes it the first time a comparison needs it.
   */
  orbEdges: () => Promise<OrbFeatures>;
  rgb: RgbImage;
  /** Foreground (not the plain backdrop) of catalog images; the whole picture for photos. */
  mask: Uint8Array;
  /** Catalog images: the foreground away from its outline, where the design's own marks are. */
  interior: Uint8Array | null;
  /** Colour histogram of the foreground, for shortlisting and as a fallback colour signal. */
  histogram: Float64Array;
}

export interface SignatureOptions {
  /** Long side of the working images in pixels. */
  maxSide: number;
  /** Long side of a shopper photo's working image (default `maxSide`). */
  photoMaxSide?: number;
  /** ORB keypoints kept per catalog image. */
  features: number;
  /**
   * ORB keypoints kept per shopper photo. Matching costs catalog × photo keypoints, and it is the
   * bulk of a photo message's time; fewer on the photo side keep most inliers of a real match.
   */
  photoFeatures: number;
  maxPixels: number;
}

export const DEFAULT_SIGNATURE_OPTIONS: SignatureOptions = {
  maxSide: 480,
  features: 1000,
  photoFeatures: 600,
  maxPixels: 40_000_000,
};

export async function signatureOf(
  bytes: Uint8Array,
  kind: 'catalog' | 'photo',
  options: SignatureOptions = DEFAULT_SIGNATURE_OPTIONS,
): Promise<ImageSignature> {
  const { grey, rgb } = await groundingPixels(bytes, {
    maxSide: kind === 'photo' ? (options.photoMaxSide ?? options.maxSide) : options.maxSide,
    maxPixels: options.maxPixels,
  });
  const image: RgbImage = { data: rgb.data, width: rgb.width, height: rgb.height };
  const mask = kind === 'catalog' ? foregroundMask(image) : new Uint8Array(rgb.width * rgb.height).fill(1);
  const features = kind === 'catalog' ? options.features : options.photoFeatures;
  const orb = await extractOrb(grey.data, grey.width, grey.height, { features });
  const edges = () => extractOrb(grey.data, grey.width, grey.height, { features, edges: true });
  let edgesOnce: Promise<OrbFeatures> | null = kind === 'catalog' ? edges() : null;
  if (edgesOnce) await edgesOnce;
  const orbEdges = () => {
    edgesOnce ??= edges();
    return edgesOnce;
  };
  const interior =
    kind === 'catalog'
      ? interiorMask(mask, rgb.width, rgb.height, Math.max(2, Math.round(options.maxSide * INTERIOR_INSET)))
      : null;
  return { orb, orbEdges, rgb: image, mask, interior, histogram: foregroundHistogram(image, mask) };
}

/** Matches this close to the silhouette's outline (a share of the long side) do not count as design. */
const INTERIOR_INSET = 0.0125;

/** Inlier pairs whose reference point lies inside the reference's interior. */
function interiorCount(reference: ImageSignature, pairs: Float32Array): number {
  if (!reference.interior) return pairs.length / 4;
  const { width, height } = reference.rgb;
  let count = 0;
  for (let index = 0; index < pairs.length; index += 4) {
    const x = Math.min(width - 1, Math.max(0, Math.round(pairs[index]!)));
    const y = Math.min(height - 1, Math.max(0, Math.round(pairs[index + 1]!)));
    if (reference.interior[y * width + x]) count += 1;
  }
  return count;
}

export interface VisualComparison {
  /** Ratio-test matches. */
  good: number;
  /** RANSAC inliers. */
  inliers: number;
  /** Of those, the ones inside the reference's outline: the design evidence. */
  interiorInliers: number;
  /** Whether the inliers came from the local-contrast images (a colourway of inverted contrast). */
  inverted: boolean;
  /** Colour overlap (0–1) where the reference's product lands in the photo; null when it cannot be told. */
  colour: number | null;
  /** The light's tint between the two (1 = neutral); see colour-match.ts. */
  tint: number | null;
  /** What one light leaves unexplained of the colours (0 = all of it explained); see colour-match.ts. */
  residual: number | null;
  /** The reference's colours and the photo's colours in their place (for calibration and display). */
  groups: ColourGroup[];
  /** Overlap of the whole pictures' histograms (weak: backgrounds count). */
  histogram: number;
}

/**
 * Design first: ORB against the reference, and on both pictures' local contrast when that finds
 * too little (`invertedBelow` inliers inside the outline). Then colour, through the better match's
 * homography.
 */
export async function compareSignatures(
  reference: ImageSignature,
  photo: ImageSignature,
  options: { invertedBelow?: number } = {},
): Promise<VisualComparison> {
  let match = await matchOrb(reference.orb, photo.orb);
  let interior = interiorCount(reference, match.pairs);
  let inverted = false;
  if (interior < (options.invertedBelow ?? 40)) {
    const other = await matchOrb(await reference.orbEdges(), await photo.orbEdges());
    const otherInterior = interiorCount(reference, other.pairs);
    if (otherInterior > interior) {
      match = other;
      interior = otherInterior;
      inverted = true;
    }
  }
  const colour = match.homography
    ? compareColoursThrough(reference.rgb, reference.mask, photo.rgb, match.homography)
    : null;
  return {
    good: match.good,
    inliers: match.inliers,
    interiorInliers: interior,
    inverted,
    colour: colour?.overlap ?? null,
    tint: colour?.tint ?? null,
    residual: colour?.residual ?? null,
    groups: colour?.groups ?? [],
    histogram: intersection(reference.histogram, photo.histogram),
  };
}
