import { DESCRIPTOR_WORDS, descriptorWords, nearestTwo } from './hamming.ts';
import { loadOpenCv, type OpenCv } from './opencv.ts';

/**
 * "Same physical design?" without a model: ORB keypoints and binary descriptors (OpenCV through
 * WebAssembly), Lowe's ratio test on the two nearest Hamming neighbours (found in plain JavaScript,
 * hamming.ts: the same neighbours as OpenCV's brute-force matcher, faster), and a RANSAC homography
 * whose inliers count the matches that agree on one geometric mapping. A photo of the same item
 * (rotated, cropped, blurred, re-lit, re-compressed) keeps tens to hundreds of inliers; another
 * item keeps a handful. ORB sees grey levels only: colour is judged separately (colour-match.ts).
 */

export interface OrbFeatures {
  /** Keypoint centres, x then y, in the pixels of the image they came from. */
  points: Float32Array;
  /** 32 bytes per keypoint. */
  descriptors: Uint8Array;
  /** The same descriptors as 8 aligned 32-bit words each, for the matcher. */
  words: Uint32Array;
  count: number;
  width: number;
  height: number;
}

export interface OrbMatch {
  /** Matches that passed the ratio test. */
  good: number;
  /** Of those, the ones consistent with the RANSAC homography. */
  inliers: number;
  /** Row-major 3×3 mapping reference pixels to photo pixels; null when none was found. */
  homography: number[] | null;
  /** Inlier pairs: reference x, y, photo x, y. */
  pairs: Float32Array;
}

export interface OrbOptions {
  features?: number;
  ratio?: number;
  /** RANSAC reprojection threshold in pixels of the working images. */
  ransacPixels?: number;
}

const DESCRIPTOR_BYTES = DESCRIPTOR_WORDS * 4;

/**
 * ORB keypoints and descriptors of a grey image (one byte per pixel). `edges`: of its local
 * contrast instead (morphological gradient, stretched to 0–255), which is the same whichever of two
 * colours is the darker — so a colourway that swaps light print on dark cloth for dark print on
 * light cloth still matches its design.
 */
export async function extractOrb(
  grey: Uint8Array,
  width: number,
  height: number,
  options: OrbOptions & { edges?: boolean } = {},
): Promise<OrbFeatures> {
  const { cv } = await loadOpenCv();
  const image = new cv.Mat(height, width, cv.CV_8UC1);
  if (options.edges) {
    const source = new cv.Mat(height, width, cv.CV_8UC1);
    const kernel = cv.getStructuringElement(cv.MORPH_ELLIPSE, new cv.Size(3, 3));
    try {
      source.data.set(grey.subarray(0, width * height));
      cv.morphologyEx(source, image, cv.MORPH_GRADIENT, kernel);
      cv.normalize(image, image, 0, 255, cv.NORM_MINMAX);
      grey = new Uint8Array(image.data);
    } finally {
      source.delete();
      kernel.delete();
    }
  }
  const noMask = new cv.Mat();
  const keypoints = new cv.KeyPointVector();
  const descriptors = new cv.Mat();
  // biome-ignore lint/suspicious/noExplicitAny: the typings lack ORB's constructor arguments on the module
  const orb = new (cv as any).ORB(options.features ?? 1000) as InstanceType<OpenCv['ORB']>;
  try {
    image.data.set(grey.subarray(0, width * height));
    orb.detectAndCompute(image, noMask, keypoints, descriptors);
    const count = descriptors.rows;
    const points = new Float32Array(count * 2);
    for (let index = 0; index < count; index += 1) {
      const point = keypoints.get(index).pt;
      points[index * 2] = point.x;
      points[index * 2 + 1] = point.y;
    }
    const bytes = new Uint8Array(descriptors.data.subarray(0, count * DESCRIPTOR_BYTES));
    return {
      points,
      descriptors: bytes,
      words: descriptorWords(bytes),
      count,
      width,
      height,
    };
  } finally {
    image.delete();
    noMask.delete();
    keypoints.delete();
    descriptors.delete();
    orb.delete();
  }
}

/** Matches a reference (catalog image) against a photo. */
export async function matchOrb(
  reference: OrbFeatures,
  photo: OrbFeatures,
  options: OrbOptions = {},
): Promise<OrbMatch> {
  const none: OrbMatch = { good: 0, inliers: 0, homography: null, pairs: new Float32Array() };
  if (reference.count < 2 || photo.count < 2) return none;
  const ratio = options.ratio ?? 0.75;
  const nearest = nearestTwo(reference.words, photo.words);
  const good: Array<[number, number]> = [];
  for (let index = 0; index < reference.count; index += 1) {
    const best = nearest.best[index]!;
    if (best >= 0 && nearest.bestDistance[index]! < ratio * nearest.secondDistance[index]!) {
      good.push([index, best]);
    }
  }
  if (good.length < 4) return { ...none, good: good.length };
  const { cv } = await loadOpenCv();
  const source = cv.matFromArray(
    good.length,
    1,
    cv.CV_32FC2,
    good.flatMap(([from]) => [reference.points[from * 2]!, reference.points[from * 2 + 1]!]),
  );
  const target = cv.matFromArray(
    good.length,
    1,
    cv.CV_32FC2,
    good.flatMap(([, to]) => [photo.points[to * 2]!, photo.points[to * 2 + 1]!]),
  );
  const mask = new cv.Mat();
  let homography: InstanceType<OpenCv['Mat']> | null = null;
  try {
    homography = cv.findHomography(source, target, cv.RANSAC, options.ransacPixels ?? 5, mask);
    if (homography.empty() || mask.rows !== good.length) return { ...none, good: good.length };
    const matrix = Array.from(homography.data64F);
    if (!isPlausible(matrix)) return { ...none, good: good.length };
    const pairs: number[] = [];
    for (let index = 0; index < good.length; index += 1) {
      if (mask.data[index] === 0) continue;
      const [from, to] = good[index]!;
      pairs.push(
        reference.points[from * 2]!,
        reference.points[from * 2 + 1]!,
        photo.points[to * 2]!,
        photo.points[to * 2 + 1]!,
      );
    }
    return {
      good: good.length,
      inliers: pairs.length / 4,
      homography: matrix,
      pairs: Float32Array.from(pairs),
    };
  } finally {
    source.delete();
    target.delete();
    mask.delete();
    homography?.delete();
  }
}

/**
 * A homography of a real view keeps orientation (no mirror) and does not squash the picture to a
 * line or blow it up: degenerate fits on a few accidental matches are not a match.
 */
function isPlausible(h: number[]): boolean {
  const determinant = h[0]! * h[4]! - h[1]! * h[3]!;
  if (!Number.isFinite(determinant) || determinant < 0.01 || determinant > 100) return false;
  return Math.abs(h[6]!) < 0.01 && Math.abs(h[7]!) < 0.01;
}

/** Maps a reference point through a homography. */
export function project(h: readonly number[], x: number, y: number): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  return [(h[0]! * x + h[1]! * y + h[2]!) / w, (h[3]! * x + h[4]! * y + h[5]!) / w];
}
