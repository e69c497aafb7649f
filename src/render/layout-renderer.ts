import { type Canvas, createCanvas } from '@napi-rs/canvas';
import type { BrandKit } from '../domain/brand.ts';
import type { ImageLayer } from '../domain/layout.ts';
import type { ImageFormat } from '../domain/template.ts';
import { encodeRgbaAsPng } from '../imaging/image.processor.ts';
import { resolveColor, toCss } from './colors.ts';
import { ensureFontsRegistered } from './fonts.ts';
import { decodeImage, paintImage } from './image-layer.ts';
import { paintBackdrop, paintSeedDots, paintShape, seededRandom, toPixels } from './layer-painters.ts';
import {
  type LayoutTextInput,
  paintText,
  planText,
  type RenderedText,
  type TextLayerFit,
  withoutPlacement,
} from './text-layers.ts';

export type { PixelBox } from './layer-painters.ts';
export type { LayoutTextInput, RenderedText, TextLayerFit } from './text-layers.ts';

export interface RenderLayoutInput extends LayoutTextInput {
  /** Image params as PNG/JPEG bytes; an image layer whose param is missing is not drawn. */
  images: Readonly<Record<string, Uint8Array>>;
  /** Same seed and input give byte-identical pixels; another seed, a visibly different variant. */
  seed: number;
}

export interface RenderedLayout {
  canvas: Canvas;
  texts: RenderedText[];
}

/** Fits every text and badge layer without drawing anything (cheap; no images needed). */
export function layoutTextFits(input: LayoutTextInput): TextLayerFit[] {
  ensureFontsRegistered();
  const fits: TextLayerFit[] = [];
  input.layout.layers.forEach((layer, layerIndex) => {
    if (layer.type !== 'text' && layer.type !== 'badge') return;
    const plan = planText(layer, layerIndex, input);
    if (plan) fits.push(withoutPlacement(plan));
  });
  return fits;
}

export async function renderLayout(input: RenderLayoutInput): Promise<Canvas> {
  return (await renderLayoutWithReport(input)).canvas;
}

/** Draws the layers in order, reporting how each text fitted and what contrast it got. */
export async function renderLayoutWithReport(input: RenderLayoutInput): Promise<RenderedLayout> {
  ensureFontsRegistered();
  const { layout, brand, width, height } = input;
  const palette = brand.palette;
  const scale = width / layout.referenceWidth;
  const random = seededRandom(input.seed);
  const decoded = await decodeUsedImages(input);

  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.lang = 'zh-CN'; // fixed, so CJK glyph choice never follows the host locale
  const size = { width, height };
  const firstContent = layout.layers.findIndex((layer) => layer.type !== 'background');
  const leadingCount = firstContent === -1 ? layout.layers.length : firstContent;
  const leading = layout.layers.slice(0, leadingCount).filter((layer) => layer.type === 'background');
  // Always paints an opaque base first, so the output never has alpha whatever the layout holds.
  const backdrop = paintBackdrop(ctx, leading, palette, size, random, true);
  // The seed's dots go under the first text, clear of text, badges and product images (a
  // full-canvas backdrop photo does not count: it is background).
  const contentBoxes = layout.layers.flatMap((layer) =>
    layer.type === 'text' || layer.type === 'badge' || (layer.type === 'image' && !isBackdropImage(layer))
      ? [toPixels(layer.box, size)]
      : [],
  );
  let dotsPainted = false;

  const texts: RenderedText[] = [];
  for (const [layerIndex, layer] of layout.layers.entries()) {
    if (layerIndex < leadingCount) continue;
    if (!dotsPainted && (layer.type === 'text' || layer.type === 'badge')) {
      paintSeedDots(ctx, palette, size, contentBoxes, random, backdrop.dark);
      dotsPainted = true;
    }
    switch (layer.type) {
      case 'background':
        paintBackdrop(ctx, [layer], palette, size, random, false);
        break;
      case 'shape':
        paintShape(ctx, layer, palette, toPixels(layer.box, size), radiusPx(layer.radius, brand, scale));
        break;
      case 'image': {
        const image = decoded.get(layer.param);
        if (image) {
          const box = toPixels(layer.box, size);
          paintImage(ctx, layer, image, box, brand.corner_radius * scale, random);
          if (isBackdropImage(layer)) {
            // Text goes over a backdrop photo: tint it with the brand color so any text reads on it.
            ctx.fillStyle = toCss(resolveColor('primary', palette), BACKDROP_TINT);
            ctx.fillRect(box.x, box.y, box.w, box.h);
          }
        }
        break;
      }
      case 'text':
      case 'badge': {
        const fit = planText(layer, layerIndex, input);
        if (fit) texts.push(paintText(ctx, layer, fit, palette));
        break;
      }
    }
  }
  if (!dotsPainted) paintSeedDots(ctx, palette, size, contentBoxes, random, backdrop.dark);
  return { canvas, texts };
}

/**
 * Encodes a rendered canvas: PNG through libvips (Skia's PNG encoder tries every filter at zlib
 * level 6 and costs several times more), JPEG and WebP through Skia, off the JS thread.
 */
export async function encodeCanvas(canvas: Canvas, format: ImageFormat, quality = 90): Promise<Uint8Array> {
  if (format === 'png') return encodeRgbaAsPng(canvas.data(), canvas.width, canvas.height);
  return canvas.encode(format, quality);
}

async function decodeUsedImages(input: RenderLayoutInput) {
  const decoded = new Map<string, Awaited<ReturnType<typeof decodeImage>>>();
  for (const layer of input.layout.layers) {
    const bytes = layer.type === 'image' ? input.images[layer.param] : undefined;
    if (layer.type === 'image' && bytes && bytes.length > 0 && !decoded.has(layer.param)) {
      decoded.set(layer.param, await decodeImage(bytes, layer.param));
    }
  }
  return decoded;
}

const BACKDROP_TINT = 0.72;

/** An image covering most of the canvas is a backdrop photo rather than a product shot. */
function isBackdropImage(layer: ImageLayer): boolean {
  return layer.box.w * layer.box.h >= 0.8;
}

function radiusPx(radius: number | 'brand', brand: BrandKit, scale: number): number {
  return (radius === 'brand' ? brand.corner_radius : radius) * scale;
}
