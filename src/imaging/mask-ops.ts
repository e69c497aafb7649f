/**
 * Operations on one-byte-per-pixel masks (0 or 255): connected pieces, enclosed holes, convex
 * hulls, small openings and box blurs. Pure and allocation-light, so the cut-out can run them
 * several times per photo.
 */

export interface Pieces {
  /** Piece number per pixel (1-based), 0 for pixels off the mask. */
  labels: Int32Array;
  /** Pixel count per piece, index 0 unused. */
  sizes: number[];
}

/** The mask's 8-connected pieces (the product's pixels touch diagonally along thin parts). */
export function connectedPieces(mask: Uint8Array, width: number, height: number): Pieces {
  const labels = new Int32Array(width * height);
  const sizes = [0];
  const queue = new Int32Array(width * height);
  for (let start = 0; start < mask.length; start += 1) {
    if (!mask[start] || labels[start]) continue;
    const label = sizes.length;
    let [head, tail, size] = [0, 0, 0];
    queue[tail++] = start;
    labels[start] = label;
    while (head < tail) {
      const index = queue[head++]!;
      size += 1;
      const x = index % width;
      const y = (index - x) / width;
      for (let dy = -1; dy <= 1; dy += 1) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx += 1) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const next = ny * width + nx;
          if (mask[next] && !labels[next]) {
            labels[next] = label;
            queue[tail++] = next;
          }
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/**
 * Pixels reachable from the frame's border through `passable` pixels (4-connected): the backdrop
 * as a flood from outside sees it. Returns 1 for reached pixels.
 */
export function floodFromBorder(passable: Uint8Array, width: number, height: number): Uint8Array {
  const reached = new Uint8Array(width * height);
  const queue = new Int32Array(width * height);
  let [head, tail] = [0, 0];
  const seed = (index: number) => {
    if (passable[index] && !reached[index]) {
      reached[index] = 1;
      queue[tail++] = index;
    }
  };
  for (let x = 0; x < width; x += 1) {
    seed(x);
    seed((height - 1) * width + x);
  }
  for (let y = 0; y < height; y += 1) {
    seed(y * width);
    seed(y * width + width - 1);
  }
  while (head < tail) {
    const index = queue[head++]!;
    const x = index % width;
    if (x > 0) seed(index - 1);
    if (x < width - 1) seed(index + 1);
    if (index >= width) seed(index - width);
    if (index + width < width * height) seed(index + width);
  }
  return reached;
}

/** Sets every off-mask region that does not reach the frame's border (an enclosed hole) on. */
export function fillEnclosedHoles(mask: Uint8Array, width: number, height: number): number {
  const outside = new Uint8Array(mask.length);
  for (let index = 0; index < mask.length; index += 1) outside[index] = mask[index] ? 0 : 1;
  const reached = floodFromBorder(outside, width, height);
  let filled = 0;
  for (let index = 0; index < mask.length; index += 1) {
    if (!mask[index] && !reached[index]) {
      mask[index] = 255;
      filled += 1;
    }
  }
  return filled;
}

/** Keeps only the pieces whose label passes `keep`. */
export function keepPieces(mask: Uint8Array, pieces: Pieces, keep: (label: number) => boolean) {
  for (let index = 0; index < mask.length; index += 1) {
    const label = pieces.labels[index]!;
    mask[index] = label > 0 && keep(label) ? 255 : 0;
  }
}

/**
 * Erosion or dilation by a (2r+1)² square, separably, with running counts (linear time whatever the
 * radius). Outside the frame counts as on for erosion, so the frame's edge does not eat the mask.
 */
export function morph(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  op: 'erode' | 'dilate',
) {
  if (radius <= 0) return mask.slice();
  const rows = slide(mask, width, height, radius, op, true);
  return slide(rows, width, height, radius, op, false);
}

function slide(
  mask: Uint8Array,
  width: number,
  height: number,
  radius: number,
  op: 'erode' | 'dilate',
  alongRows: boolean,
): Uint8Array {
  const out = new Uint8Array(mask.length);
  const [lines, length] = alongRows ? [height, width] : [width, height];
  const step = alongRows ? 1 : width;
  const erode = op === 'erode';
  for (let line = 0; line < lines; line += 1) {
    const base = alongRows ? line * width : line;
    let on = 0;
    for (let t = 0; t < Math.min(length, radius); t += 1) if (mask[base + t * step]) on += 1;
    for (let t = 0; t < length; t += 1) {
      const enter = t + radius;
      if (enter < length && mask[base + enter * step]) on += 1;
      const leave = t - radius - 1;
      if (leave >= 0 && mask[base + leave * step]) on -= 1;
      const inside = (enter < length ? enter : length - 1) - (t > radius ? t - radius : 0) + 1;
      out[base + t * step] = (erode ? on === inside : on > 0) ? 255 : 0;
    }
  }
  return out;
}

/** Mean over a (2r+1)² box, clamped at the edges, with running sums; for smoothing distance maps. */
export function boxBlur(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  return slideMean(slideMean(values, width, height, radius, true), width, height, radius, false);
}

function slideMean(values: Float32Array, width: number, height: number, radius: number, alongRows: boolean) {
  const out = new Float32Array(values.length);
  const [lines, length] = alongRows ? [height, width] : [width, height];
  const step = alongRows ? 1 : width;
  for (let line = 0; line < lines; line += 1) {
    const base = alongRows ? line * width : line;
    let sum = 0;
    for (let t = 0; t < Math.min(length, radius); t += 1) sum += values[base + t * step]!;
    for (let t = 0; t < length; t += 1) {
      const enter = t + radius;
      if (enter < length) sum += values[base + enter * step]!;
      const leave = t - radius - 1;
      if (leave >= 0) sum -= values[base + leave * step]!;
      const inside = Math.min(length - 1, t + radius) - Math.max(0, t - radius) + 1;
      out[base + t * step] = sum / inside;
    }
  }
  return out;
}

/** The convex hull of the mask's pixels, rasterised: 1 inside. */
export function convexHullMask(mask: Uint8Array, width: number, height: number): Uint8Array {
  // The hull of each row's leftmost and rightmost pixel is the hull of the whole mask.
  const points: Array<[number, number]> = [];
  for (let y = 0; y < height; y += 1) {
    let [first, last] = [-1, -1];
    for (let x = 0; x < width; x += 1) {
      if (!mask[y * width + x]) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first >= 0) points.push([first, y], [last, y]);
  }
  const hull = monotoneChain(points);
  const inside = new Uint8Array(width * height);
  if (hull.length < 3) return inside;
  for (let y = 0; y < height; y += 1) {
    let [low, high] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (let i = 0; i < hull.length; i += 1) {
      const [ax, ay] = hull[i]!;
      const [bx, by] = hull[(i + 1) % hull.length]!;
      if ((y < ay && y < by) || (y > ay && y > by)) continue;
      if (ay === by) {
        low = Math.min(low, ax, bx);
        high = Math.max(high, ax, bx);
      } else {
        const x = ax + ((y - ay) * (bx - ax)) / (by - ay);
        low = Math.min(low, x);
        high = Math.max(high, x);
      }
    }
    if (low > high) continue;
    for (let x = Math.max(0, Math.ceil(low)); x <= Math.min(width - 1, Math.floor(high)); x += 1) {
      inside[y * width + x] = 1;
    }
  }
  return inside;
}

function monotoneChain(points: Array<[number, number]>): Array<[number, number]> {
  const sorted = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const point of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, point) <= 0)
      lower.pop();
    lower.push(point);
  }
  const upper: Array<[number, number]> = [];
  for (const point of sorted.slice().reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, point) <= 0)
      upper.pop();
    upper.push(point);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/**
 * Maximum over a (2r+1)² box, separably, by van Herk / Gil–Werman (three comparisons a pixel
 * whatever the radius); for "how strong is the strongest edge nearby".
 */
export function maxFilter(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  return slideMax(slideMax(values, width, height, radius, true), width, height, radius, false);
}

function slideMax(values: Float32Array, width: number, height: number, radius: number, alongRows: boolean) {
  const out = new Float32Array(values.length);
  const [lines, length] = alongRows ? [height, width] : [width, height];
  const step = alongRows ? 1 : width;
  const block = 2 * radius + 1;
  const prefix = new Float32Array(length);
  const suffix = new Float32Array(length);
  for (let line = 0; line < lines; line += 1) {
    const base = alongRows ? line * width : line;
    for (let t = 0; t < length; t += 1) {
      const value = values[base + t * step]!;
      prefix[t] = t % block === 0 ? value : Math.max(prefix[t - 1]!, value);
    }
    for (let t = length - 1; t >= 0; t -= 1) {
      const value = values[base + t * step]!;
      suffix[t] = t === length - 1 || (t + 1) % block === 0 ? value : Math.max(suffix[t + 1]!, value);
    }
    for (let t = 0; t < length; t += 1) {
      const low = Math.max(0, t - radius);
      const high = Math.min(length - 1, t + radius);
      out[base + t * step] = Math.max(suffix[low]!, prefix[high]!);
    }
  }
  return out;
}
