import type { SKRSContext2D } from '@napi-rs/canvas';
import type { BrandPalette } from '../domain/brand.ts';
import type { BackgroundLayer } from '../domain/layout.ts';
import { type Rgba, resolveColor, toCss } from './colors.ts';

// The background styles added after the first release: studio sweep, pattern, and the procedural
// stand-in for a generated backdrop. Smooth ones are painted at a quarter size by the caller.

type Size = { width: number; height: number };

const between = (random: () => number, low: number, high: number) => low + (high - low) * random();

/** Styles smooth enough to paint at a quarter size and scale up (see paintBackdrop). */
export function isSmoothBackground(layer: BackgroundLayer): boolean {
  // A pedestal's rim and a split's seam are hard edges: painted at full size, in their turn.
  return !['pattern', 'image', 'generated', 'podium', 'split'].includes(layer.style);
}

function shade(color: Rgba, amount: number): Rgba {
  // Positive lightens toward white, negative darkens toward black.
  const target = amount >= 0 ? 255 : 0;
  const t = Math.abs(amount);
  const channel = (value: number) => Math.round(value + (target - value) * t);
  return { r: channel(color.r), g: channel(color.g), b: channel(color.b), a: color.a };
}

/**
 * A photo studio's paper sweep: the wall lit from above, bending into a slightly darker floor at
 * `horizon`, and a soft oval shadow on the floor where a product stands.
 */
export function paintStudioSweep(
  ctx: SKRSContext2D,
  layer: BackgroundLayer,
  palette: BrandPalette,
  size: Size,
) {
  const { width, height } = size;
  const wall = resolveColor(layer.colors[0] ?? 'background', palette);
  const floor = layer.colors[1] ? resolveColor(layer.colors[1], palette) : shade(wall, -0.06);
  const gradient = ctx.createLinearGradient(0, 0, 0, height);
  gradient.addColorStop(0, toCss(shade(wall, 0.12)));
  gradient.addColorStop(Math.max(0, layer.horizon - 0.12), toCss(wall));
  gradient.addColorStop(Math.min(1, layer.horizon + 0.08), toCss(floor));
  gradient.addColorStop(1, toCss(shade(floor, -0.08)));
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);
  const floorY = height * Math.min(0.97, layer.horizon + (1 - layer.horizon) * 0.45);
  const [rx, ry] = [width * 0.34, height * (1 - layer.horizon) * 0.12];
  ctx.save();
  ctx.translate(width / 2, floorY);
  ctx.scale(1, ry / rx);
  const shadow = ctx.createRadialGradient(0, 0, 0, 0, 0, rx);
  shadow.addColorStop(0, 'rgba(0, 0, 0, 0.16)');
  shadow.addColorStop(1, 'rgba(0, 0, 0, 0)');
  ctx.fillStyle = shadow;
  ctx.fillRect(-rx, -rx, rx * 2, rx * 2);
  ctx.restore();
}

/** A ground color with a repeating motif, drawn at full size so it stays crisp. */
export function paintPattern(ctx: SKRSContext2D, layer: BackgroundLayer, palette: BrandPalette, size: Size) {
  const { width, height } = size;
  const ground = resolveColor(layer.colors[0] ?? 'background', palette);
  const ink = layer.colors[1] ? resolveColor(layer.colors[1], palette) : shade(ground, -0.25);
  ctx.save();
  ctx.fillStyle = toCss(ground);
  ctx.fillRect(0, 0, width, height);
  // Quiet enough that text above stays legible: the motif is a fifth-strength tint of the ink.
  ctx.fillStyle = toCss(ink, 0.2);
  ctx.strokeStyle = toCss(ink, 0.2);
  const step = Math.max(12, Math.round(Math.min(width, height) / 18));
  if (layer.pattern === 'dots') {
    ctx.beginPath();
    for (let y = step / 2, row = 0; y < height + step; y += step, row += 1) {
      for (let x = (row % 2) * (step / 2); x < width + step; x += step) {
        ctx.moveTo(x + step * 0.09, y);
        ctx.arc(x, y, step * 0.09, 0, Math.PI * 2);
      }
    }
    ctx.fill();
  } else if (layer.pattern === 'stripes') {
    ctx.lineWidth = step * 0.28;
    ctx.beginPath();
    for (let x = -height; x < width + height; x += step) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x + height, height);
    }
    ctx.stroke();
  } else {
    ctx.lineWidth = Math.max(1, step * 0.04);
    ctx.beginPath();
    for (let x = step; x < width; x += step) {
      ctx.moveTo(x, 0);
      ctx.lineTo(x, height);
    }
    for (let y = step; y < height; y += step) {
      ctx.moveTo(0, y);
      ctx.lineTo(width, y);
    }
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * The stand-in for a generated backdrop when no image provider filled it: the first color deepening
 * downwards, with one glow of the accent and a faint light placed by the seed (so variants differ
 * as a model's would). One hue and its shade stay clean under a scrim; several pools of unrelated
 * colors mixed into a muddy brown.
 */
export function paintProceduralBackdrop(
  ctx: SKRSContext2D,
  layer: BackgroundLayer,
  palette: BrandPalette,
  size: Size,
  random: () => number,
) {
  const { width, height } = size;
  const colors = layer.colors.map((ref) => resolveColor(ref, palette));
  const first = colors[0]!;
  const base = ctx.createLinearGradient(width * between(random, 0.2, 0.8), 0, width / 2, height);
  base.addColorStop(0, toCss(shade(first, 0.08)));
  base.addColorStop(1, toCss(shade(first, -0.55)));
  ctx.fillStyle = base;
  ctx.fillRect(0, 0, width, height);
  const glows = [
    { color: colors[2] ?? shade(first, 0.3), alpha: 0.3, y: between(random, 0.3, 0.5) },
    { color: { r: 255, g: 255, b: 255, a: 1 }, alpha: 0.08, y: between(random, 0.05, 0.25) },
  ];
  for (const glow of glows) {
    const x = width * between(random, 0.3, 0.7);
    const y = height * glow.y;
    const radius = Math.max(width, height) * between(random, 0.35, 0.5);
    const pool = ctx.createRadialGradient(x, y, 0, x, y, radius);
    pool.addColorStop(0, toCss(glow.color, glow.alpha));
    pool.addColorStop(1, toCss(glow.color, 0));
    ctx.fillStyle = pool;
    ctx.fillRect(x - radius, y - radius, radius * 2, radius * 2);
  }
}
