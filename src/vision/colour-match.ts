import { type ColourPair, fitLight } from './light-fit.ts';
import { project } from './orb-matcher.ts';

/**
 * "Same colour?" — ORB is blind to it, so a recoloured copy of a design matches as well as the
 * design itself. The colours are compared where the two pictures show the same thing: the
 * reference's foreground (what is not its plain backdrop) is mapped into the photo through the
 * homography ORB found, and hue–saturation histograms of the two sets of pixels are intersected.
 * Hue and saturation move little under the lighting, blur and compression of shoppers' photos;
 * brightness only decides the bins of greys. Pure functions over raw RGB pixels.
 */

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

const HUE_BINS = 12;
const SATURATION_BINS = 3;
const GREY_BINS = 3;
const BINS = HUE_BINS * SATURATION_BINS + GREY_BINS;
/** Below this saturation (0–1) a pixel counts as grey, binned by brightness. */
const GREY_SATURATION = 0.18;
/** Pixels this far (RGB distance) from the border's colour are foreground. */
const FOREGROUND_DISTANCE = 36;

/** The histogram bin of one pixel: hue × saturation for colours, brightness for greys. */
export function colourBin(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const value = max / 255;
  const saturation = max === 0 ? 0 : (max - min) / max;
  if (saturation < GREY_SATURATION || value < 0.12) {
    return HUE_BINS * SATURATION_BINS + Math.min(GREY_BINS - 1, Math.floor(value * GREY_BINS));
  }
  let hue: number;
  if (max === r) hue = ((g - b) / (max - min) + 6) % 6;
  else if (max === g) hue = (b - r) / (max - min) + 2;
  else hue = (r - g) / (max - min) + 4;
  const hueBin = Math.min(HUE_BINS - 1, Math.floor((hue / 6) * HUE_BINS));
  const satBin = Math.min(
    SATURATION_BINS - 1,
    Math.floor(((saturation - GREY_SATURATION) / (1 - GREY_SATURATION)) * SATURATION_BINS),
  );
  return hueBin * SATURATION_BINS + satBin;
}

/** A normalized histogram (sums to 1); hue bins spread a third to each neighbour, so a slight shift still overlaps. */
export function histogramOf(samples: ArrayLike<number>): Float64Array {
  const raw = new Float64Array(BINS);
  for (let index = 0; index < samples.length; index += 1) raw[samples[index]!]! += 1;
  const smoothed = new Float64Array(BINS);
  for (let bin = 0; bin < BINS; bin += 1) {
    const count = raw[bin]!;
    if (count === 0) continue;
    if (bin >= HUE_BINS * SATURATION_BINS) {
      smoothed[bin]! += count;
      continue;
    }
    const hueBin = Math.floor(bin / SATURATION_BINS);
    const satBin = bin % SATURATION_BINS;
    const left = ((hueBin + HUE_BINS - 1) % HUE_BINS) * SATURATION_BINS + satBin;
    const right = ((hueBin + 1) % HUE_BINS) * SATURATION_BINS + satBin;
    smoothed[bin]! += count * (3 / 5);
    smoothed[left]! += count * (1 / 5);
    smoothed[right]! += count * (1 / 5);
  }
  const total = smoothed.reduce((sum, value) => sum + value, 0) || 1;
  for (let bin = 0; bin < BINS; bin += 1) smoothed[bin] = smoothed[bin]! / total;
  return smoothed;
}

/** Σ min(a, b): 1 for identical colour distributions, 0 for disjoint ones. */
export function intersection(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let bin = 0; bin < BINS; bin += 1) sum += Math.min(a[bin]!, b[bin]!);
  return sum;
}

/** One byte per pixel: 1 where the image differs from the median colour of its border. */
export function foregroundMask(image: RgbImage): Uint8Array {
  const { data, width, height } = image;
  const border: number[][] = [[], [], []];
  const push = (x: number, y: number) => {
    const offset = (y * width + x) * 3;
    for (let channel = 0; channel < 3; channel += 1) border[channel]!.push(data[offset + channel]!);
  };
  for (let x = 0; x < width; x += 2) {
    push(x, 0);
    push(x, height - 1);
  }
  for (let y = 0; y < height; y += 2) {
    push(0, y);
    push(width - 1, y);
  }
  const median = border.map((values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 255);
  const mask = new Uint8Array(width * height);
  const limit = FOREGROUND_DISTANCE * FOREGROUND_DISTANCE;
  for (let index = 0; index < width * height; index += 1) {
    const dr = data[index * 3]! - median[0]!;
    const dg = data[index * 3 + 1]! - median[1]!;
    const db = data[index * 3 + 2]! - median[2]!;
    mask[index] = dr * dr + dg * dg + db * db > limit ? 1 : 0;
  }
  return mask;
}

/** The colour histogram of a whole image's foreground (a cheap signature for shortlisting). */
export function foregroundHistogram(image: RgbImage, mask: Uint8Array = foregroundMask(image)): Float64Array {
  const bins: number[] = [];
  const step = Math.max(1, Math.floor(Math.sqrt((image.width * image.height) / 6000)));
  for (let y = 0; y < image.height; y += step) {
    for (let x = 0; x < image.width; x += step) {
      const index = y * image.width + x;
      if (!mask[index]) continue;
      bins.push(colourBin(image.data[index * 3]!, image.data[index * 3 + 1]!, image.data[index * 3 + 2]!));
    }
  }
  return histogramOf(bins);
}

export interface ColourComparison {
  /** Histogram intersection of the corresponding regions, after the light's gains, 0–1. */
  overlap: number;
  /**
   * The strongest channel's gain over the weakest one's (1 = neutral light). A lamp tints a picture
   * by up to about 1.4; a recolour (red → blue, grey → navy) needs far more.
   */
  tint: number;
  /**
   * How badly one light explains the photo's colours: CIELAB ΔE left after fitting a plausible
   * light (light-fit.ts). One item under another light leaves little; another colourway cannot be
   * explained by a light.
   */
  residual: number;
  /** The reference's colours and what the photo shows in their place. */
  groups: ColourGroup[];
  /** Reference foreground samples that landed inside the photo. */
  samples: number;
}

/**
 * Compares the colours of the reference's foreground with the photo's pixels at the same places
 * (through `homography`, reference → photo). Too few samples in view (a tiny crop) gives overlap
 * null: colour cannot be judged.
 */
export function compareColoursThrough(
  reference: RgbImage,
  referenceMask: Uint8Array,
  photo: RgbImage,
  homography: readonly number[],
): ColourComparison | null {
  const step = Math.max(1, Math.floor(Math.sqrt((reference.width * reference.height) / 8000)));
  const capacity = 3 * Math.ceil(reference.width / step) * Math.ceil(reference.height / step);
  const referencePixels = new Uint8Array(capacity);
  const photoPixels = new Uint8Array(capacity);
  let filled = 0;
  for (let y = 0; y < reference.height; y += step) {
    for (let x = 0; x < reference.width; x += step) {
      const index = y * reference.width + x;
      if (!referenceMask[index]) continue;
      const [px, py] = project(homography, x, y);
      const ix = Math.round(px);
      const iy = Math.round(py);
      if (ix < 0 || iy < 0 || ix >= photo.width || iy >= photo.height) continue;
      const target = (iy * photo.width + ix) * 3;
      referencePixels[filled] = reference.data[index * 3]!;
      referencePixels[filled + 1] = reference.data[index * 3 + 1]!;
      referencePixels[filled + 2] = reference.data[index * 3 + 2]!;
      photoPixels[filled] = photo.data[target]!;
      photoPixels[filled + 1] = photo.data[target + 1]!;
      photoPixels[filled + 2] = photo.data[target + 2]!;
      filled += 3;
    }
  }
  const samples = filled / 3;
  if (samples < 50) return null;
  const referenceSamples = referencePixels.subarray(0, filled);
  const photoSamples = photoPixels.subarray(0, filled);
  const { gains, tint } = illuminationGains(referenceSamples, photoSamples);
  const groups = colourGroups(referenceSamples, photoSamples);
  const referenceBins = new Uint8Array(samples);
  const photoBins = new Uint8Array(samples);
  for (let sample = 0; sample < samples; sample += 1) {
    const offset = sample * 3;
    referenceBins[sample] = colourBin(
      Math.min(255, referenceSamples[offset]! * gains[0]),
      Math.min(255, referenceSamples[offset + 1]! * gains[1]),
      Math.min(255, referenceSamples[offset + 2]! * gains[2]),
    );
    photoBins[sample] = colourBin(
      photoSamples[offset]!,
      photoSamples[offset + 1]!,
      photoSamples[offset + 2]!,
    );
  }
  return {
    overlap: intersection(histogramOf(referenceBins), histogramOf(photoBins)),
    tint,
    residual: fitLight(groups).residual,
    groups,
    samples,
  };
}

/** A colour of the reference covering less than this share of the samples is too small to judge. */
const MIN_GROUP_SHARE = 0.03;

/** One colour of the reference (a histogram bin) and the colour the photo shows in its place. */
export type ColourGroup = ColourPair;

/**
 * The reference's colours, each with the median colour the photo shows where it is. Medians keep
 * misregistered edge pixels (blur, a homography a pixel off) from speaking for a colour.
 */
export function colourGroups(reference: ArrayLike<number>, photo: ArrayLike<number>): ColourGroup[] {
  const samples = reference.length / 3;
  const members = new Map<number, number[]>();
  for (let sample = 0; sample < samples; sample += 1) {
    const bin = colourBin(reference[sample * 3]!, reference[sample * 3 + 1]!, reference[sample * 3 + 2]!);
    const list = members.get(bin) ?? [];
    list.push(sample);
    members.set(bin, list);
  }
  const counts = new Uint32Array(256);
  // The median of 8-bit values by counting: the element a sort would put in the middle.
  const median = (source: ArrayLike<number>, list: readonly number[], channel: number) => {
    counts.fill(0);
    for (const sample of list) counts[source[sample * 3 + channel]!]! += 1;
    let remaining = Math.floor(list.length / 2);
    for (let value = 0; value < 256; value += 1) {
      remaining -= counts[value]!;
      if (remaining < 0) return value;
    }
    return 0;
  };
  const groups: ColourGroup[] = [];
  for (const list of members.values()) {
    if (list.length < samples * MIN_GROUP_SHARE) continue;
    groups.push({
      share: list.length / samples,
      reference: [median(reference, list, 0), median(reference, list, 1), median(reference, list, 2)],
      photo: [median(photo, list, 0), median(photo, list, 1), median(photo, list, 2)],
    });
  }
  return groups;
}

/** How far the light may tint a picture: one channel's gain against the others'. */
const MAX_TINT = 1.35;

/**
 * The lighting of the photo as per-channel gains over the reference (dim, warm or cool light), from
 * the medians of corresponding pixels' ratios. The tint is capped: light can warm a white shirt,
 * but no lamp turns a red one blue, so a recolour stays a different colour.
 */
export function illuminationGains(
  reference: ArrayLike<number>,
  photo: ArrayLike<number>,
): { gains: [number, number, number]; tint: number } {
  const samples = reference.length / 3;
  const medians = [0, 1, 2].map((channel) => {
    const ratios = new Float64Array(samples);
    let count = 0;
    for (let offset = channel; offset < reference.length; offset += 3) {
      const from = reference[offset]!;
      if (from >= 40) ratios[count++] = photo[offset]! / from;
    }
    if (count < 20) return 1;
    // A typed array sorts by value, without a comparator call per pair.
    return ratios.subarray(0, count).sort()[Math.floor(count / 2)]!;
  });
  const overall = Math.min(2, Math.max(0.4, (medians[0]! + medians[1]! + medians[2]!) / 3));
  const gains = medians.map(
    (gain) => overall * Math.min(MAX_TINT, Math.max(1 / MAX_TINT, gain / overall)),
  ) as [number, number, number];
  const tint = Math.max(...medians) / Math.max(0.01, Math.min(...medians));
  return { gains, tint };
}

/**
 * Where the design's own marks are: the foreground with its holes filled (a pale body on a pale
 * backdrop still counts), shrunk by `inset` pixels. Matches on the silhouette's outline say only
 * "the same kind of garment" — every T-shirt of a shop has that outline — so the design is judged
 * on the matches inside it.
 */
export function interiorMask(mask: Uint8Array, width: number, height: number, inset: number): Uint8Array {
  // Backdrop: the non-foreground pixels connected to the border.
  const outside = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let head = 0;
  let tail = 0;
  const visit = (index: number) => {
    if (mask[index] || outside[index]) return;
    outside[index] = 1;
    queue[tail++] = index;
  };
  for (let x = 0; x < width; x += 1) {
    visit(x);
    visit((height - 1) * width + x);
  }
  for (let y = 0; y < height; y += 1) {
    visit(y * width);
    visit(y * width + width - 1);
  }
  while (head < tail) {
    const index = queue[head++]!;
    const x = index % width;
    if (x > 0) visit(index - 1);
    if (x < width - 1) visit(index + 1);
    if (index >= width) visit(index - width);
    if (index < width * (height - 1)) visit(index + width);
  }
  // Chamfer distance (3–4 weights, so 3 per pixel) to the backdrop or the picture's edge.
  const far = 3 * (width + height);
  const distance = new Int32Array(width * height);
  for (let index = 0; index < width * height; index += 1) distance[index] = outside[index] ? 0 : far;
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : distance[y * width + x]!;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const index = y * width + x;
      if (distance[index] === 0) continue;
      distance[index] = Math.min(
        distance[index]!,
        at(x - 1, y) + 3,
        at(x, y - 1) + 3,
        at(x - 1, y - 1) + 4,
        at(x + 1, y - 1) + 4,
      );
    }
  }
  for (let y = height - 1; y >= 0; y -= 1) {
    for (let x = width - 1; x >= 0; x -= 1) {
      const index = y * width + x;
      if (distance[index] === 0) continue;
      distance[index] = Math.min(
        distance[index]!,
        at(x + 1, y) + 3,
        at(x, y + 1) + 3,
        at(x + 1, y + 1) + 4,
        at(x - 1, y + 1) + 4,
      );
    }
  }
  const interior = new Uint8Array(width * height);
  for (let index = 0; index < width * height; index += 1)
    interior[index] = distance[index]! > 3 * inset ? 1 : 0;
  return interior;
}
