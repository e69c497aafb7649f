import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { BrandPalette } from '../domain/brand.ts';
import type { BackgroundLayer, Box, ShapeLayer } from '../domain/layout.ts';
import { paintPattern, paintProceduralBackdrop, paintStudioSweep } from './background-painters.ts';
import { luminance, resolveColor, toCss } from './colors.ts';
import { paintScene, SCENE_STYLES } from './scene-painters.ts';

/** A box in canvas pixels. */
export interface PixelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function toPixels(box: Box, size: { width: number; height: number }): PixelBox {
  return { x: box.x * size.width, y: box.y * size.height, w: box.w * size.width, h: box.h * size.height };
}

/** A deterministic generator of floats in [0, 1): mulberry32 over the seed's low and high words. */
export function seededRandom(seed: number): () => number {
  const whole = Math.trunc(Math.abs(seed));
  let state = ((whole % 2 ** 32) ^ Math.imul(Math.floor(whole / 2 ** 32), 0x9e3779b1)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

export const between = (random: () => number, low: number, high: number) => low + (high - low) * random();

function paintBackground(
  ctx: SKRSContext2D,
  layer: BackgroundLayer,
  palette: BrandPalette,
  size: { width: number; height: number },
  random: () => number,
) {
  const { width, height } = size;
  if (layer.style === 'studio-sweep') return paintStudioSweep(ctx, layer, palette, size);
  if (SCENE_STYLES.has(layer.style)) return paintScene(ctx, layer, palette, size);
  if (layer.style === 'pattern') return paintPattern(ctx, layer, palette, size);
  // A generated backdrop reaching here was not filled by a provider: the procedural stand-in.
  if (layer.style === 'generated') return paintProceduralBackdrop(ctx, layer, palette, size, random);
  // An image backdrop is drawn by the renderer, which holds the decoded photos.
  if (layer.style === 'image') return;
  const colors = layer.colors.map((ref) => toCss(resolveColor(ref, palette)));
  if (layer.style === 'solid' || colors.length === 1) {
    ctx.fillStyle = colors[0] ?? '#ffffff';
    ctx.fillRect(0, 0, width, height);
    return;
  }
  let gradient: ReturnType<SKRSContext2D['createLinearGradient']>;
  if (layer.style === 'linear-gradient') {
    // The seed turns the gradient a little (±12°): enough to tell variants apart, never a new design.
    const radians = ((layer.angle + between(random, -12, 12)) * Math.PI) / 180;
    const dx = Math.cos(radians);
    const dy = Math.sin(radians);
    const halfLength = Math.abs((width / 2) * dx) + Math.abs((height / 2) * dy);
    const [cx, cy] = [width / 2, height / 2];
    gradient = ctx.createLinearGradient(
      cx - dx * halfLength,
      cy - dy * halfLength,
      cx + dx * halfLength,
      cy + dy * halfLength,
    );
  } else {
    const cx = width * between(random, 0.4, 0.6);
    const cy = height * between(random, 0.3, 0.45);
    gradient = ctx.createRadialGradient(
      cx,
      cy,
      0,
      cx,
      cy,
      Math.hypot(Math.max(cx, width - cx), height) * 0.95,
    );
  }
  colors.forEach((color, index) => {
    gradient.addColorStop(index / (colors.length - 1), color);
  });
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);
}

// Gradients are painted at a quarter of the size and scaled up: Skia dithers gradients, and that
// pixel noise made PNGs ~2.5× larger and slower to encode; smooth upscaling has no such noise.
const BACKDROP_DOWNSCALE = 4;

/**
 * Paints background layers through a quarter-size canvas. With `base`, first the opaque brand
 * background and, after the layers, the seed's soft glow (a light bleeding off one corner, its
 * place and size chosen by the seed).
 */
export function paintBackdrop(
  ctx: SKRSContext2D,
  backgrounds: readonly BackgroundLayer[],
  palette: BrandPalette,
  size: { width: number; height: number },
  random: () => number,
  base: boolean,
  fullSize = false,
  glow = true,
) {
  if (fullSize) return paintBackdropFullSize(ctx, backgrounds, palette, size, random, base, glow);
  const { width, height } = size;
  const small = createCanvas(Math.ceil(width / BACKDROP_DOWNSCALE), Math.ceil(height / BACKDROP_DOWNSCALE));
  const smallCtx = small.getContext('2d');
  smallCtx.scale(small.width / width, small.height / height);
  if (base) {
    smallCtx.fillStyle = toCss(resolveColor('background', palette));
    smallCtx.fillRect(0, 0, width, height);
  }
  for (const layer of backgrounds) paintBackground(smallCtx, layer, palette, size, random);
  const dark = isDark(smallCtx, small.width, small.height);
  if (base && glow) paintGlow(smallCtx, palette, size, random, dark);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'low'; // bilinear: as smooth as bicubic on a gradient, half the cost
  ctx.drawImage(small, 0, 0, width, height);
  ctx.restore();
  return { dark };
}

/**
 * The same backdrop painted at full size: for JPEG and WebP, where the dithering noise does not
 * matter, this is about twice as fast as scaling up the quarter-size canvas. Whether it is dark is
 * read from a thumbnail painted with the same random draws, since reading the full canvas back
 * would make Skia replay everything drawn so far.
 */
function paintBackdropFullSize(
  ctx: SKRSContext2D,
  backgrounds: readonly BackgroundLayer[],
  palette: BrandPalette,
  size: { width: number; height: number },
  random: () => number,
  base: boolean,
  glow: boolean,
) {
  const draws: number[] = [];
  const recording = () => {
    const value = random();
    draws.push(value);
    return value;
  };
  // An opaque first layer covers the base: skipping it saves a full-canvas pass.
  const first = backgrounds[0];
  const covered =
    first !== undefined &&
    ['solid', 'linear-gradient', 'radial-gradient', 'studio-sweep'].includes(first.style) &&
    first.colors.every((ref) => resolveColor(ref, palette).a === 1);
  const paintLayers = (into: SKRSContext2D, next: () => number) => {
    if (base && !covered) {
      into.fillStyle = toCss(resolveColor('background', palette));
      into.fillRect(0, 0, size.width, size.height);
    }
    for (const layer of backgrounds) paintBackground(into, layer, palette, size, next);
  };
  paintLayers(ctx, recording);
  const thumbnail = createCanvas(16, 16).getContext('2d');
  thumbnail.scale(16 / size.width, 16 / size.height);
  let replayed = 0;
  paintLayers(thumbnail, () => draws[replayed++] ?? 0.5);
  const dark = isDark(thumbnail, 16, 16);
  if (base && glow) paintGlow(ctx, palette, size, random, dark);
  return { dark };
}

/** Whether the painted backdrop is dark on average (decor then lightens instead of tinting). */
function isDark(ctx: SKRSContext2D, width: number, height: number): boolean {
  const { data } = ctx.getImageData(0, 0, width, height);
  let sum = 0;
  const step = Math.max(1, Math.floor(data.length / 4 / 256)) * 4;
  let count = 0;
  for (let index = 0; index < data.length; index += step, count += 1) {
    sum += luminance({ r: data[index]!, g: data[index + 1]!, b: data[index + 2]!, a: 1 });
  }
  return count > 0 && sum / count < 0.25;
}

function paintGlow(
  ctx: SKRSContext2D,
  palette: BrandPalette,
  size: { width: number; height: number },
  random: () => number,
  darkBackdrop: boolean,
) {
  const { width, height } = size;
  const corner = Math.floor(random() * 4);
  const radius = Math.min(width, height) * between(random, 0.45, 0.65);
  const x = corner % 2 === 0 ? width * between(random, 0, 0.15) : width * between(random, 0.85, 1);
  const y = corner < 2 ? height * between(random, 0, 0.12) : height * between(random, 0.88, 1);
  const color = darkBackdrop ? { r: 255, g: 255, b: 255, a: 1 } : resolveColor('secondary', palette);
  const glow = ctx.createRadialGradient(x, y, 0, x, y, radius);
  glow.addColorStop(0, toCss(color, darkBackdrop ? 0.14 : 0.2));
  glow.addColorStop(1, toCss(color, 0));
  ctx.fillStyle = glow;
  // Only the glow's own square: beyond its radius it is transparent, and filling the whole canvas
  // would cost three times the pixels.
  ctx.fillRect(x - radius, y - radius, radius * 2, radius * 2);
}

export function paintShape(
  ctx: SKRSContext2D,
  layer: ShapeLayer,
  palette: BrandPalette,
  box: PixelBox,
  radius: number,
) {
  ctx.save();
  ctx.globalAlpha = layer.opacity;
  ctx.fillStyle = toCss(resolveColor(layer.color, palette));
  ctx.beginPath();
  if (layer.shape === 'ellipse') {
    ctx.ellipse(box.x + box.w / 2, box.y + box.h / 2, box.w / 2, box.h / 2, 0, 0, Math.PI * 2);
  } else {
    ctx.roundRect(box.x, box.y, box.w, box.h, Math.min(radius, box.w / 2, box.h / 2));
  }
  ctx.fill();
  ctx.restore();
}
