/**
 * Structural similarity (SSIM) of two same-size RGBA images, on luma, averaged over 8×8 windows
 * (Wang et al. 2004, with its constants). 1 means identical; a changed layout, a moved text or a
 * different color scheme drops it well below 0.95, while anti-aliasing noise does not.
 */
export function ssim(
  a: Uint8Array | Uint8ClampedArray,
  b: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
): number {
  if (a.length !== b.length || a.length !== width * height * 4) throw new Error('images differ in size');
  const luma = (data: Uint8Array | Uint8ClampedArray) => {
    const out = new Float64Array(width * height);
    for (let index = 0; index < out.length; index += 1) {
      out[index] = 0.299 * data[index * 4]! + 0.587 * data[index * 4 + 1]! + 0.114 * data[index * 4 + 2]!;
    }
    return out;
  };
  const [x, y] = [luma(a), luma(b)];
  const [c1, c2] = [(0.01 * 255) ** 2, (0.03 * 255) ** 2];
  const window = 8;
  let total = 0;
  let windows = 0;
  for (let top = 0; top + window <= height; top += window) {
    for (let left = 0; left + window <= width; left += window) {
      let [sumX, sumY, sumXX, sumYY, sumXY] = [0, 0, 0, 0, 0];
      for (let row = top; row < top + window; row += 1) {
        for (let column = left; column < left + window; column += 1) {
          const [p, q] = [x[row * width + column]!, y[row * width + column]!];
          sumX += p;
          sumY += q;
          sumXX += p * p;
          sumYY += q * q;
          sumXY += p * q;
        }
      }
      const n = window * window;
      const [meanX, meanY] = [sumX / n, sumY / n];
      const varX = sumXX / n - meanX * meanX;
      const varY = sumYY / n - meanY * meanY;
      const cov = sumXY / n - meanX * meanY;
      total +=
        ((2 * meanX * meanY + c1) * (2 * cov + c2)) /
        ((meanX * meanX + meanY * meanY + c1) * (varX + varY + c2));
      windows += 1;
    }
  }
  return total / windows;
}
