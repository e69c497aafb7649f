/**
 * "Could one light explain it?" — the colour half of the same-item check. The reference's colours
 * (groups of its foreground, each with the colour the photo shows in the same place) are compared
 * in CIELAB after fitting a light: lightness scaled and offset (dim light, exposure, tone curves),
 * chroma scaled a little (cameras saturate differently), and a colour cast that grows with
 * lightness. The cast is bounded the way real light is: far along blue–yellow (daylight, shade,
 * tungsten lie on that line), little along green–magenta. A photo of the same item under dim or warm
 * light is explained almost exactly; another colourway (pink for grey, navy for red) needs a
 * magenta or green light, more saturation than a camera adds, or a lightness order no light gives,
 * and leaves a large residual. Pure functions over 8-bit sRGB.
 */

/** One colour of the reference and the colour the photo shows in its place (median RGB of each). */
export interface ColourPair {
  /** The share of the compared samples this colour covers (0–1). */
  share: number;
  reference: readonly [number, number, number];
  photo: readonly [number, number, number];
}

export interface LightFit {
  /**
   * The share-weighted colour difference left after the light (CIELAB ΔE with lightness counted
   * at half weight: tone curves vary more than hue). About 0–5 for the same item, 15+ for another
   * colourway.
   */
  residual: number;
  /** The fitted light: lightness gain and offset, chroma gain, casts along a* and b* (at L* 100). */
  light: { gain: number; offset: number; chroma: number; castA: number; castB: number };
  /** The difference left for each pair, in the order given. */
  errors: number[];
}

/** Bounds of a plausible light (and of what a phone camera does to colours). */
export const LIGHT_BOUNDS = {
  gain: [0.3, 1.8],
  offset: 30,
  chroma: [0.8, 1.3],
  /** Green–magenta: lamps and daylight stay close to the blackbody line. */
  castA: 12,
  /** Blue–yellow: shade to candlelight. */
  castB: 50,
} as const;

/** Pulls an under-determined fit (one or two colours) towards "no change". */
const RIDGE = { offset: 0.1 ** 2, chroma: 5 ** 2, cast: 0.05 ** 2 };

/** sRGB (0–255) to CIELAB (D65). */
export function labOf(r: number, g: number, b: number): [number, number, number] {
  const linear = (value: number) => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lr = linear(r);
  const lg = linear(g);
  const lb = linear(b);
  const x = (0.4124 * lr + 0.3576 * lg + 0.1805 * lb) / 0.9505;
  const y = 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  const z = (0.0193 * lr + 0.1192 * lg + 0.9505 * lb) / 1.089;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const fy = f(y);
  return [116 * fy - 16, 500 * (f(x) - fy), 200 * (fy - f(z))];
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Fits the light from the reference's colours to the photo's and returns what it leaves unexplained. */
export function fitLight(pairs: readonly ColourPair[]): LightFit {
  const none: LightFit = {
    residual: 0,
    light: { gain: 1, offset: 0, chroma: 1, castA: 0, castB: 0 },
    errors: [],
  };
  if (pairs.length === 0) return none;
  const reference = pairs.map((pair) => labOf(...pair.reference));
  const photo = pairs.map((pair) => labOf(...pair.photo));
  const weights = pairs.map((pair) => pair.share);

  // Lightness: photo L = gain × reference L + offset, least squares with the offset pulled to 0.
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const [index, w] of weights.entries()) {
    const x = reference[index]![0];
    const y = photo[index]![0];
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
  }
  const determinant = sxx * (sw + RIDGE.offset) - sx * sx;
  const rawGain = determinant > 1e-9 ? (sxy * (sw + RIDGE.offset) - sx * sy) / determinant : 1;
  const gain = clamp(rawGain, LIGHT_BOUNDS.gain[0], LIGHT_BOUNDS.gain[1]);
  const offset = clamp((sy - gain * sx) / sw, -LIGHT_BOUNDS.offset, LIGHT_BOUNDS.offset);

  // Chroma and cast: photo a = chroma × reference a + castA × L/100 (b alike), ridge towards no change.
  const normal = [
    [RIDGE.chroma, 0, 0],
    [0, RIDGE.cast, 0],
    [0, 0, RIDGE.cast],
  ];
  const rhs = [RIDGE.chroma, 0, 0];
  for (const [index, w] of weights.entries()) {
    const [, ra, rb] = reference[index]!;
    const [pl, pa, pb] = photo[index]!;
    const lightness = pl / 100;
    // a-equation: [ra, lightness, 0] → pa; b-equation: [rb, 0, lightness] → pb.
    normal[0]![0]! += w * (ra * ra + rb * rb);
    normal[0]![1]! += w * ra * lightness;
    normal[0]![2]! += w * rb * lightness;
    normal[1]![1]! += w * lightness * lightness;
    normal[2]![2]! += w * lightness * lightness;
    rhs[0]! += w * (ra * pa + rb * pb);
    rhs[1]! += w * lightness * pa;
    rhs[2]! += w * lightness * pb;
  }
  normal[1]![0] = normal[0]![1]!;
  normal[2]![0] = normal[0]![2]!;
  const [rawChroma, rawA, rawB] = solve3(normal, rhs) ?? [1, 0, 0];
  const castA = clamp(rawA, -LIGHT_BOUNDS.castA, LIGHT_BOUNDS.castA);
  const castB = clamp(rawB, -LIGHT_BOUNDS.castB, LIGHT_BOUNDS.castB);
  let chroma = clamp(rawChroma, LIGHT_BOUNDS.chroma[0], LIGHT_BOUNDS.chroma[1]);
  // With the casts bounded, the chroma gain that fits best given them.
  let numerator = 0;
  let denominator = 0;
  for (const [index, w] of weights.entries()) {
    const [, ra, rb] = reference[index]!;
    const [pl, pa, pb] = photo[index]!;
    numerator += w * (ra * (pa - (castA * pl) / 100) + rb * (pb - (castB * pl) / 100));
    denominator += w * (ra * ra + rb * rb);
  }
  if (denominator > 1e-6)
    chroma = clamp(numerator / denominator, LIGHT_BOUNDS.chroma[0], LIGHT_BOUNDS.chroma[1]);

  const errors = reference.map(([rl, ra, rb], index) => {
    const [pl, pa, pb] = photo[index]!;
    const dl = (gain * rl + offset - pl) * 0.5;
    const da = chroma * ra + (castA * pl) / 100 - pa;
    const db = chroma * rb + (castB * pl) / 100 - pb;
    return Math.sqrt(dl * dl + da * da + db * db);
  });
  const residual = errors.reduce((sum, error, index) => sum + error * weights[index]!, 0) / sw;
  return { residual, light: { gain, offset, chroma, castA, castB }, errors };
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve3(matrix: number[][], rhs: number[]): [number, number, number] | null {
  const a = matrix.map((row, index) => [...row, rhs[index]!]);
  for (let column = 0; column < 3; column += 1) {
    let pivot = column;
    for (let row = column + 1; row < 3; row += 1)
      if (Math.abs(a[row]![column]!) > Math.abs(a[pivot]![column]!)) pivot = row;
    if (Math.abs(a[pivot]![column]!) < 1e-12) return null;
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    for (let row = 0; row < 3; row += 1) {
      if (row === column) continue;
      const factor = a[row]![column]! / a[column]![column]!;
      for (let k = column; k < 4; k += 1) a[row]![k]! -= factor * a[column]![k]!;
    }
  }
  return [a[0]![3]! / a[0]![0]!, a[1]![3]! / a[1]![1]!, a[2]![3]! / a[2]![2]!];
}
