/**
 * The backdrop behind a product, modelled from the photo's border: a Coons patch through the four
 * border profiles, so a plain colour, a vertical or horizontal gradient and a two-tone wall/floor
 * split are all reproduced exactly, and every pixel gets its colour distance (CIE76 ΔE in Lab) to
 * the backdrop that would be there without the product. Where the product crosses the border (a
 * bag cut off by the frame) those border pixels are recognised as foreign and bridged over.
 * Pure: pixels in, numbers out.
 */

export interface LabImage {
  width: number;
  height: number;
  /** L*, a*, b* per pixel, interleaved. */
  lab: Float32Array;
}

const SRGB_TO_LINEAR = new Float32Array(256);
for (let value = 0; value < 256; value += 1) {
  const c = value / 255;
  SRGB_TO_LINEAR[value] = c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

const labF = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);

export function toLab(rgba: Uint8Array, width: number, height: number): LabImage {
  const lab = new Float32Array(width * height * 3);
  for (let index = 0, at = 0; index < width * height; index += 1, at += 4) {
    const r = SRGB_TO_LINEAR[rgba[at]!]!;
    const g = SRGB_TO_LINEAR[rgba[at + 1]!]!;
    const b = SRGB_TO_LINEAR[rgba[at + 2]!]!;
    const fx = labF((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
    const fy = labF(0.2126 * r + 0.7152 * g + 0.0722 * b);
    const fz = labF((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
    lab[index * 3] = 116 * fy - 16;
    lab[index * 3 + 1] = 500 * (fx - fy);
    lab[index * 3 + 2] = 200 * (fy - fz);
  }
  return { width, height, lab };
}

export interface BackdropModel {
  /** The modelled backdrop colour per pixel (Lab, interleaved). */
  backdrop: Float32Array;
  /** ΔE of each pixel from the backdrop. */
  distance: Float32Array;
  /** Typical ΔE of backdrop pixels from the model (noise, JPEG, texture): a robust σ. */
  noise: number;
  /** Share of the border that the product (or clutter) covers rather than backdrop. */
  borderCovered: number;
  /** Which of the four sides (top, right, bottom, left) the foreign border pixels are on. */
  coveredSides: { top: number; right: number; bottom: number; left: number };
  /** The backdrop's mean colour (Lab), for reports. */
  mean: [number, number, number];
  /** The largest ΔE between two corners of the backdrop: 0 on a plain one. */
  spread: number;
}

/** ΔE above which a border pixel cannot be backdrop (beyond the side's own corner-to-corner change). */
const FOREIGN_ON_BORDER = 7;
/** How deep into the photo the border profiles read (fraction of the shorter side, at least 2 px). */
const PROFILE_DEPTH = 0.006;

type Lab3 = [number, number, number];

export function modelBackdrop(image: LabImage): BackdropModel {
  const { width, height, lab } = image;
  const depth = Math.max(2, Math.round(Math.min(width, height) * PROFILE_DEPTH));
  const at = (x: number, y: number): Lab3 => {
    const i = (y * width + x) * 3;
    return [lab[i]!, lab[i + 1]!, lab[i + 2]!];
  };
  // Each profile averages the first `depth` pixels inward, which evens out sensor and JPEG noise.
  const profile = (length: number, point: (t: number, d: number) => [number, number]) => {
    const values: Lab3[] = [];
    for (let t = 0; t < length; t += 1) {
      const sum: Lab3 = [0, 0, 0];
      for (let d = 0; d < depth; d += 1) {
        const [x, y] = point(t, d);
        const value = at(x, y);
        sum[0] += value[0];
        sum[1] += value[1];
        sum[2] += value[2];
      }
      values.push([sum[0] / depth, sum[1] / depth, sum[2] / depth]);
    }
    return values;
  };
  const top = profile(width, (t, d) => [t, d]);
  const bottom = profile(width, (t, d) => [t, height - 1 - d]);
  const left = profile(height, (t, d) => [d, t]);
  const right = profile(height, (t, d) => [width - 1 - d, t]);

  const corners = cleanCorners([
    patchMedian(top.slice(0, Math.max(2, Math.round(width * 0.04)))),
    patchMedian(top.slice(-Math.max(2, Math.round(width * 0.04)))),
    patchMedian(bottom.slice(-Math.max(2, Math.round(width * 0.04)))),
    patchMedian(bottom.slice(0, Math.max(2, Math.round(width * 0.04)))),
  ]);
  const [topLeft, topRight, bottomRight, bottomLeft] = corners.values as [Lab3, Lab3, Lab3, Lab3];
  const sides = {
    top: repairSide(top, topLeft, topRight),
    right: repairSide(right, topRight, bottomRight),
    bottom: repairSide(bottom, bottomLeft, bottomRight),
    left: repairSide(left, topLeft, bottomLeft),
  };
  const coveredPixels = sides.top.covered + sides.right.covered + sides.bottom.covered + sides.left.covered;

  // Coons patch: the sum of the two ruled surfaces minus the bilinear one through the corners.
  const backdrop = new Float32Array(width * height * 3);
  const distance = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const v = height > 1 ? y / (height - 1) : 0;
    const l = sides.left.values[y]!;
    const r = sides.right.values[y]!;
    for (let x = 0; x < width; x += 1) {
      const u = width > 1 ? x / (width - 1) : 0;
      const t = sides.top.values[x]!;
      const b = sides.bottom.values[x]!;
      const index = y * width + x;
      let squared = 0;
      for (let c = 0; c < 3; c += 1) {
        const bilinear =
          (1 - u) * (1 - v) * topLeft[c]! +
          u * (1 - v) * topRight[c]! +
          (1 - u) * v * bottomLeft[c]! +
          u * v * bottomRight[c]!;
        const value = (1 - v) * t[c]! + v * b[c]! + (1 - u) * l[c]! + u * r[c]! - bilinear;
        backdrop[index * 3 + c] = value;
        const delta = lab[index * 3 + c]! - value;
        squared += delta * delta;
      }
      distance[index] = Math.sqrt(squared);
    }
  }

  // Noise: the median distance of the border pixels that are backdrop, scaled to a σ.
  const residuals: number[] = [];
  const sample = (x: number, y: number) => {
    const value = distance[y * width + x]!;
    if (value < FOREIGN_ON_BORDER) residuals.push(value);
  };
  for (let x = 0; x < width; x += 2) {
    sample(x, 0);
    sample(x, height - 1);
  }
  for (let y = 0; y < height; y += 2) {
    sample(0, y);
    sample(width - 1, y);
  }
  residuals.sort((a, b) => a - b);
  const noise = residuals.length > 0 ? residuals[Math.floor(residuals.length / 2)]! * 1.25 : 0;

  const all = corners.values;
  let spread = 0;
  for (let i = 0; i < 4; i += 1)
    for (let j = i + 1; j < 4; j += 1) spread = Math.max(spread, deltaE(all[i]!, all[j]!));
  return {
    backdrop,
    distance,
    noise,
    borderCovered: coveredPixels / (2 * (width + height)),
    coveredSides: {
      top: sides.top.covered / width,
      right: sides.right.covered / height,
      bottom: sides.bottom.covered / width,
      left: sides.left.covered / height,
    },
    mean: [0, 1, 2].map((c) => all.reduce((sum, corner) => sum + corner[c]!, 0) / 4) as Lab3,
    spread,
  };
}

export function deltaE(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}

function patchMedian(values: Lab3[]): Lab3 {
  const channel = (c: number) => {
    const sorted = values.map((value) => value[c]!).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  return [channel(0), channel(1), channel(2)];
}

/**
 * A corner unlike all three others is covered by the product (a bag running off the frame's
 * corner): it takes the mean of its two neighbouring corners instead.
 */
function cleanCorners(values: Lab3[]): { values: Lab3[]; covered: number } {
  const foreign = values.map((value, i) => values.every((other, j) => j === i || deltaE(value, other) > 12));
  const covered = foreign.filter(Boolean).length;
  if (covered === 0 || covered > 2) return { values, covered: covered > 2 ? covered : 0 };
  const fixed = values.map((value, i) => {
    if (!foreign[i]) return value;
    const neighbours = [values[(i + 1) % 4]!, values[(i + 3) % 4]!].filter(
      (_, k) => !foreign[(i + (k === 0 ? 1 : 3)) % 4],
    );
    if (neighbours.length === 0) return value;
    return [0, 1, 2].map((c) => neighbours.reduce((sum, n) => sum + n[c]!, 0) / neighbours.length) as Lab3;
  });
  return { values: fixed, covered };
}

/**
 * A border profile with its foreign runs (where the product crosses the border) replaced by a
 * straight line between the backdrop on either side. A side may change from one corner to the
 * other (a gradient, a wall meeting a floor), so the allowance grows with that change.
 */
function repairSide(values: Lab3[], startCorner: Lab3, endCorner: Lab3): { values: Lab3[]; covered: number } {
  const length = values.length;
  const allowance = FOREIGN_ON_BORDER + 0.5 * deltaE(startCorner, endCorner);
  const foreign = new Uint8Array(length);
  for (let t = 0; t < length; t += 1) {
    const s = length > 1 ? t / (length - 1) : 0;
    const expected = [0, 1, 2].map((c) => startCorner[c]! * (1 - s) + endCorner[c]! * s);
    if (deltaE(values[t]!, expected) > allowance) foreign[t] = 1;
  }
  // Widen each foreign run a little: its ends are blurred into the backdrop by the photo's optics.
  const widen = Math.max(2, Math.round(length * 0.015));
  const widened = new Uint8Array(length);
  for (let t = 0; t < length; t += 1) {
    if (!foreign[t]) continue;
    for (let k = Math.max(0, t - widen); k <= Math.min(length - 1, t + widen); k += 1) widened[k] = 1;
  }
  let covered = 0;
  const repaired = values.slice();
  let t = 0;
  while (t < length) {
    if (!widened[t]) {
      t += 1;
      continue;
    }
    let end = t;
    while (end < length && widened[end]) end += 1;
    covered += end - t;
    // Runs reaching a corner end on the corner's (already cleaned) colour.
    const before = t > 0 ? values[t - 1]! : startCorner;
    const after = end < length ? values[end]! : endCorner;
    for (let k = t; k < end; k += 1) {
      const s = (k - t + 1) / (end - t + 1);
      repaired[k] = [0, 1, 2].map((c) => before[c]! * (1 - s) + after[c]! * s) as Lab3;
    }
    t = end;
  }
  return { values: repaired, covered };
}

/**
 * Corrects the border-only model with what the photo shows of the backdrop inside the frame (a
 * light's falloff, a vignette): the residual of the pixels known to be backdrop, averaged over a
 * coarse grid, filled in smoothly under the product, and added to the model. Returns a new model.
 */
export function refineBackdrop(image: LabImage, model: BackdropModel, isBackdrop: Uint8Array): BackdropModel {
  const { width, height, lab } = image;
  const cell = Math.max(8, Math.round(Math.min(width, height) / 20));
  const [cols, rows] = [Math.ceil(width / cell), Math.ceil(height / cell)];
  const sums = new Float64Array(cols * rows * 3);
  const counts = new Float64Array(cols * rows);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const index = y * width + x;
      if (!isBackdrop[index]) continue;
      const c = Math.floor(y / cell) * cols + Math.floor(x / cell);
      for (let k = 0; k < 3; k += 1) {
        sums[c * 3 + k] = sums[c * 3 + k]! + lab[index * 3 + k]! - model.backdrop[index * 3 + k]!;
      }
      counts[c] = counts[c]! + 1;
    }
  }
  const known = new Uint8Array(cols * rows);
  const grid = new Float64Array(cols * rows * 3);
  for (let c = 0; c < cols * rows; c += 1) {
    if (counts[c]! >= cell * cell * 0.25) {
      known[c] = 1;
      for (let k = 0; k < 3; k += 1) grid[c * 3 + k] = sums[c * 3 + k]! / counts[c]!;
    }
  }
  // Unknown cells (under the product) take the average of their neighbours, repeatedly: a smooth
  // fill-in from the backdrop around them.
  for (let pass = 0; pass < cols + rows; pass += 1) {
    const next = grid.slice();
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < cols; c += 1) {
        const i = r * cols + c;
        if (known[i]) continue;
        let n = 0;
        const acc = [0, 0, 0];
        for (const [dr, dc] of [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ] as const) {
          const [rr, cc] = [r + dr, c + dc];
          if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
          const j = rr * cols + cc;
          for (let k = 0; k < 3; k += 1) acc[k] = acc[k]! + grid[j * 3 + k]!;
          n += 1;
        }
        for (let k = 0; k < 3; k += 1) next[i * 3 + k] = acc[k]! / n;
      }
    }
    grid.set(next);
  }
  const backdrop = new Float32Array(model.backdrop.length);
  const distance = new Float32Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const gy = Math.min(rows - 1, Math.max(0, (y + 0.5) / cell - 0.5));
    const [r0, fy] = [Math.floor(gy), gy - Math.floor(gy)];
    const r1 = Math.min(rows - 1, r0 + 1);
    for (let x = 0; x < width; x += 1) {
      const gx = Math.min(cols - 1, Math.max(0, (x + 0.5) / cell - 0.5));
      const [c0, fx] = [Math.floor(gx), gx - Math.floor(gx)];
      const c1 = Math.min(cols - 1, c0 + 1);
      const index = y * width + x;
      let squared = 0;
      for (let k = 0; k < 3; k += 1) {
        const correction =
          (1 - fy) * ((1 - fx) * grid[(r0 * cols + c0) * 3 + k]! + fx * grid[(r0 * cols + c1) * 3 + k]!) +
          fy * ((1 - fx) * grid[(r1 * cols + c0) * 3 + k]! + fx * grid[(r1 * cols + c1) * 3 + k]!);
        const value = model.backdrop[index * 3 + k]! + correction;
        backdrop[index * 3 + k] = value;
        const delta = lab[index * 3 + k]! - value;
        squared += delta * delta;
      }
      distance[index] = Math.sqrt(squared);
    }
  }
  return { ...model, backdrop, distance };
}
