import type { SKRSContext2D } from '@napi-rs/canvas';
import type { Rgba } from './colors.ts';

// Reading what lies under a text: the pixels its contrast is measured against.

/** Where a line of text is drawn: its left edge, measured width and vertical center. */
export interface LinePlacement {
  left: number;
  width: number;
  centerY: number;
}

export interface SampleRow {
  x: number;
  w: number;
  y: number;
}

/** Three rows through each line's glyph band, clipped to the canvas. */
export function backdropRows(
  ctx: SKRSContext2D,
  lines: readonly LinePlacement[],
  fontSize: number,
): SampleRow[] {
  const { width, height } = ctx.canvas;
  return lines.flatMap((line) => {
    const x = Math.max(0, Math.floor(line.left));
    const w = Math.min(width - x, Math.ceil(line.width));
    return [-0.3, 0, 0.25]
      .map((offset) => Math.round(line.centerY + offset * fontSize))
      .filter((y) => w > 0 && y >= 0 && y < height)
      .map((y) => ({ x, w, y }));
  });
}

/** Reads every group's rows with one getImageData over their union; about 32 pixels per row. */
export function sampleRows(ctx: SKRSContext2D, groups: readonly SampleRow[][]): Rgba[][] {
  const all = groups.flat();
  if (all.length === 0) return groups.map(() => []);
  const left = Math.min(...all.map((row) => row.x));
  const right = Math.max(...all.map((row) => row.x + row.w));
  const top = Math.min(...all.map((row) => row.y));
  const bottom = Math.max(...all.map((row) => row.y)) + 1;
  const { data } = ctx.getImageData(left, top, right - left, bottom - top);
  const stride = (right - left) * 4;
  return groups.map((rows) => {
    const samples: Rgba[] = [];
    for (const row of rows) {
      const step = Math.max(1, Math.floor(row.w / 32));
      for (let px = 0; px < row.w; px += step) {
        const i = (row.y - top) * stride + (row.x - left + px) * 4;
        samples.push({ r: data[i]!, g: data[i + 1]!, b: data[i + 2]!, a: 1 });
      }
    }
    return samples;
  });
}

export function blend(under: Rgba, over: Rgba, opacity: number): Rgba {
  const channel = (a: number, b: number) => Math.round(a * (1 - opacity) + b * opacity);
  return { r: channel(under.r, over.r), g: channel(under.g, over.g), b: channel(under.b, over.b), a: 1 };
}
