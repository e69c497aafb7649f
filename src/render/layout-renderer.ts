import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { BrandKit } from '../domain/brand.ts';
import type { BackgroundLayer, ImageLayer, Layer, Layout, ProductLayer } from '../domain/layout.ts';
import type { ImageQuality } from '../domain/quality.ts';
import type { ImageFormat } from '../domain/template.ts';
import type { CutoutResult } from '../imaging/cutout.ts';
import { encodeRgbaAsLossy, encodeRgbaAsPng } from '../imaging/image.processor.ts';
import { isSmoothBackground, paintPattern } from './background-painters.ts';
import { resolveColor, toCss } from './colors.ts';
import { ensureFontsRegistered } from './fonts.ts';
import { type DecodedImage, decodeImage, paintImage } from './image-layer.ts';
import { paintBackdrop, paintSeedDots, paintShape, seededRandom, toPixels } from './layer-painters.ts';
import { checkTexts, type LayoutChecks, qualityFromChecks } from './layout-checks.ts';
import { paintPrice } from './offer-painters.ts';
import { paintOffer } from './offer-shapes.ts';
import { cutOut, paintFramedPhoto, paintLogo, paintProduct } from './picture-layers.ts';
import { paintScene, SCENE_STYLES } from './scene-painters.ts';
import {
  type LayoutTextInput,
  paintText,
  planText,
  type RenderedText,
  type TextLayerFit,
  withoutPlacement,
} from './text-layers.ts';
import { planTextRun, type TextRuns } from './text-runs.ts';

export type { PixelBox } from './layer-painters.ts';
export type { LayoutTextInput, RenderedText, TextLayerFit } from './text-layers.ts';

export interface RenderLayoutInput extends LayoutTextInput {
  /**
   * Image params as PNG/JPEG bytes; an image layer whose param is missing is not drawn. The brand
   * logo, when the brand has one, comes as `BRAND_LOGO_IMAGE`.
   */
  images: Readonly<Record<string, Uint8Array>>;
  /** Same seed and input give byte-identical pixels; another seed, a visibly different variant. */
  seed: number;
  /** A backdrop made by an image provider for the layout's `generated` background. */
  background?: Uint8Array;
  /** Path of an ONNX matting model to cut out products with (else the classical cut-out). */
  mattingModel?: string;
  /**
   * Paint smooth backgrounds at full size rather than at a quarter size scaled up: twice as fast,
   * but Skia dithers gradients and the noise makes PNGs larger. Set for JPEG and WebP output.
   */
  fullSizeBackdrop?: boolean;
  /** A style pack id; absent: the layout's own pack (or none: the brand's palette as it is). */
  stylePack?: string;
  /** Which of the pack's two palette arrangements to draw with (0 or 1); absent: 0. */
  arrangement?: number;
}

/** The key of `images` that holds the brand kit's logo. */
export const BRAND_LOGO_IMAGE = 'brand_logo';

/** What a render did beyond its pixels, recorded on the job. */
export interface RenderReport {
  /** For a `generated` background: made by a provider, or the procedural stand-in. */
  background: 'provider' | 'procedural' | null;
  /** For a product layer: how the product photo was cut out. */
  cutout: Omit<CutoutResult, 'png' | 'width' | 'height'> | null;
  /** How much the product photo was enlarged to fill its box (drawn px / photo px); 1 or less is sharp. */
  productScale: number | null;
  checks: LayoutChecks;
  /** The image's quality: the score of the chosen design, its parts and checks (docs/quality.md). */
  quality: ImageQuality;
}

export interface RenderedLayout {
  canvas: Canvas;
  texts: RenderedText[];
  report: RenderReport;
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
  const { brand, width, height } = input;
  const layout = withStages(input.layout);
  const palette = brand.palette;
  const scale = width / layout.referenceWidth;
  const random = seededRandom(input.seed);
  const decoded = await decodeUsedImages(input);

  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.lang = 'zh-CN'; // fixed, so CJK glyph choice never follows the host locale
  const size = { width, height };
  // The smooth backgrounds the layout starts with go through one quarter-size canvas together.
  let leadingCount = 0;
  while (leadingCount < layout.layers.length) {
    const layer = layout.layers[leadingCount]!;
    if (layer.type !== 'background' || !isSmooth(layer, input)) break;
    leadingCount += 1;
  }
  const leading = layout.layers.slice(0, leadingCount) as BackgroundLayer[];
  // A product on pure white is a marketplace genre (Amazon, Taobao 白底图): no glow, no dots, the
  // white stays #FFFFFF to the border.
  const pureWhite = isPureWhite(layout.layers[0], palette);
  // Always paints an opaque base first, so the output never has alpha whatever the layout holds.
  const backdrop = paintBackdrop(
    ctx,
    leading,
    palette,
    size,
    random,
    true,
    input.fullSizeBackdrop,
    !pureWhite,
  );
  // The seed's dots go under the first text, clear of text, badges and product images (a
  // full-canvas backdrop photo does not count: it is background).
  const contentBoxes = layout.layers.flatMap((layer) =>
    layer.type === 'text' ||
    layer.type === 'badge' ||
    layer.type === 'product' ||
    layer.type === 'logo' ||
    (layer.type === 'image' && !isBackdropImage(layer))
      ? [toPixels(layer.box, size)]
      : [],
  );
  let dotsPainted = false;
  const report: RenderReport = {
    background: null,
    cutout: null,
    productScale: null,
    checks: checkTexts([]),
    quality: { score: 0, parts: {}, checks: [] },
  };

  const texts: RenderedText[] = [];
  const textRuns: TextRuns = new Map();
  for (const [layerIndex, layer] of layout.layers.entries()) {
    if (layerIndex < leadingCount) {
      if (layer.type === 'background' && layer.style === 'generated') report.background = 'procedural';
      continue;
    }
    if (!dotsPainted && !pureWhite && (layer.type === 'text' || layer.type === 'badge')) {
      paintSeedDots(ctx, palette, size, contentBoxes, random, backdrop.dark);
      dotsPainted = true;
    }
    switch (layer.type) {
      case 'background':
        await paintLaterBackground(ctx, layer, input, decoded, random, report);
        break;
      case 'shape':
        paintShape(ctx, layer, palette, toPixels(layer.box, size), radiusPx(layer.radius, brand, scale));
        break;
      case 'image': {
        if (isProductPhoto(layer)) {
          // The product photo in an image layer is staged like a product: cut out, with shadows.
          await paintProductLayer(
            ctx,
            { ...layer, type: 'product', reflection: false },
            input,
            report,
            random,
          );
          break;
        }
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
      case 'product':
        await paintProductLayer(ctx, layer, input, report, random);
        break;
      case 'logo': {
        const logo = decoded.get(BRAND_LOGO_IMAGE);
        if (logo) paintLogo(ctx, layer, logo, toPixels(layer.box, size));
        break;
      }
      case 'text':
      case 'badge': {
        if (!textRuns.has(layerIndex)) planTextRun(ctx, layout.layers, layerIndex, input, textRuns);
        const planned = textRuns.get(layerIndex);
        if (planned) texts.push(paintText(ctx, layer, planned.plan, palette, planned.backdrop));
        break;
      }
      case 'price':
        texts.push(...paintPrice(ctx, layer, layerIndex, input, palette));
        break;
      case 'offer':
        texts.push(...paintOffer(ctx, layer, layerIndex, input, palette));
        break;
    }
  }
  if (!dotsPainted && !pureWhite) paintSeedDots(ctx, palette, size, contentBoxes, random, backdrop.dark);
  report.checks = checkTexts(texts);
  report.quality = qualityFromChecks(report.checks);
  return { canvas, texts, report };
}

/**
 * Encodes a rendered canvas through libvips, off the JS thread: Skia's PNG encoder tries every
 * filter at zlib level 6 and its JPEG encoder is ~4× slower than libjpeg-turbo. No metadata.
 */
export async function encodeCanvas(canvas: Canvas, format: ImageFormat, quality = 90): Promise<Uint8Array> {
  const { width, height } = canvas;
  // getImageData, not canvas.data(): the same pixels (the canvas is opaque) in ~1 ms instead of ~35.
  const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
  const rgba = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (format === 'png') return encodeRgbaAsPng(rgba, width, height);
  return encodeRgbaAsLossy(rgba, width, height, format, quality);
}

async function decodeUsedImages(input: RenderLayoutInput) {
  const decoded = new Map<string, DecodedImage>();
  for (const layer of input.layout.layers) {
    const param =
      layer.type === 'image'
        ? layer.param
        : layer.type === 'logo'
          ? BRAND_LOGO_IMAGE
          : layer.type === 'background' && layer.style === 'image'
            ? layer.param
            : undefined;
    const bytes = param ? input.images[param] : undefined;
    if (param && bytes && bytes.length > 0 && !decoded.has(param)) {
      decoded.set(param, await decodeImage(bytes, param));
    }
  }
  if (input.background && input.background.length > 0) {
    decoded.set(GENERATED_BACKGROUND, await decodeImage(input.background, 'background'));
  }
  return decoded;
}

const GENERATED_BACKGROUND = '\u0000generated-background';

function isSmooth(layer: BackgroundLayer, input: RenderLayoutInput): boolean {
  if (layer.style === 'generated') return !input.background || input.background.length === 0;
  return isSmoothBackground(layer);
}

/** A background layer after the leading smooth ones: drawn at full size in its turn. */
async function paintLaterBackground(
  ctx: SKRSContext2D,
  layer: BackgroundLayer,
  input: RenderLayoutInput,
  decoded: Map<string, DecodedImage>,
  random: () => number,
  report: RenderReport,
) {
  const size = { width: input.width, height: input.height };
  const photo =
    layer.style === 'generated'
      ? decoded.get(GENERATED_BACKGROUND)
      : layer.style === 'image' && layer.param
        ? decoded.get(layer.param)
        : undefined;
  if (layer.style === 'generated') report.background = photo ? 'provider' : 'procedural';
  if (photo) {
    const cover: ImageLayer = {
      type: 'image',
      param: 'background',
      box: { x: 0, y: 0, w: 1, h: 1 },
      fit: 'cover',
      shadow: false,
    };
    paintImage(ctx, cover, photo, { x: 0, y: 0, w: size.width, h: size.height }, 0, random);
    return;
  }
  if (layer.style === 'pattern') return paintPattern(ctx, layer, input.brand.palette, size);
  if (layer.style === 'podium' || layer.style === 'split')
    return paintScene(ctx, layer, input.brand.palette, size);
  if (layer.style !== 'image') {
    paintBackdrop(ctx, [layer], input.brand.palette, size, random, false, input.fullSizeBackdrop);
  }
}

const BACKDROP_TINT = 0.72;

/** The product photo: cut out and staged; a cut-out that cannot be trusted goes in a frame instead. */
async function paintProductLayer(
  ctx: SKRSContext2D,
  layer: ProductLayer,
  input: RenderLayoutInput,
  report: RenderReport,
  random: () => number,
) {
  const bytes = input.images[layer.param];
  if (!bytes || bytes.length === 0) return;
  const product = await cutOut(bytes, layer.param, input.mattingModel);
  const { png: _png, width: _width, height: _height, ...cutout } = product.cutout;
  report.cutout = cutout;
  const box = toPixels(layer.box, { width: input.width, height: input.height });
  report.productScale = cutout.cut
    ? paintProduct(ctx, layer, product.decoded, box, random)
    : paintFramedPhoto(ctx, product.decoded, box);
}

/**
 * The shop's product photo shown in an image layer (the `product_image` param, fitted whole): a
 * product shot to cut out, not a picture to paste with its backdrop.
 */
function isProductPhoto(layer: ImageLayer): boolean {
  return layer.param === PRODUCT_IMAGE_PARAM && layer.fit === 'contain' && !isBackdropImage(layer);
}

const PRODUCT_IMAGE_PARAM = 'product_image';

/** Scenes without a stage of their own are staged where the layout's first product stands. */
function withStages(layout: Layout): Layout {
  const product = layout.layers.find(
    (layer) => layer.type === 'product' || (layer.type === 'image' && isProductPhoto(layer)),
  );
  if (!product || product.type === 'background') return layout;
  if (
    !layout.layers.some(
      (layer) => layer.type === 'background' && SCENE_STYLES.has(layer.style) && !layer.stage,
    )
  ) {
    return layout;
  }
  return {
    ...layout,
    layers: layout.layers.map((layer) =>
      layer.type === 'background' && SCENE_STYLES.has(layer.style) && !layer.stage
        ? { ...layer, stage: product.box }
        : layer,
    ),
  };
}

function isPureWhite(layer: Layer | undefined, palette: BrandKit['palette']): boolean {
  if (layer?.type !== 'background' || layer.style !== 'solid') return false;
  const color = resolveColor(layer.colors[0] ?? 'background', palette);
  return color.r === 255 && color.g === 255 && color.b === 255 && color.a === 1;
}

/** An image covering most of the canvas is a backdrop photo rather than a product shot. */
function isBackdropImage(layer: ImageLayer): boolean {
  return layer.box.w * layer.box.h >= 0.8;
}

function radiusPx(radius: number | 'brand', brand: BrandKit, scale: number): number {
  return (radius === 'brand' ? brand.corner_radius : radius) * scale;
}
