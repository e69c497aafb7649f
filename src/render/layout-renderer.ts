import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { BackgroundLayer, ImageLayer, Layer, Layout, ProductLayer } from '../domain/layout.ts';
import { layerApplies } from '../domain/layout-conditions.ts';
import type { ImageQuality } from '../domain/quality.ts';
import type { ImageFormat } from '../domain/template.ts';
import type { CutoutResult } from '../imaging/cutout.ts';
import { encodeRgbaAsLossy, encodeRgbaAsPng } from '../imaging/image.processor.ts';
import { isSmoothBackground, paintPattern } from './background-painters.ts';
import { resolveColor, toCss } from './colors.ts';
import { paintDecoration } from './decorations.ts';
import { designOf, designRadiusPx, type RenderDesign } from './design.ts';
import { ensureFontsRegistered } from './fonts.ts';
import { type DecodedImage, decodeImage, paintImage } from './image-layer.ts';
import { type PixelBox, paintBackdrop, paintShape, seededRandom, toPixels } from './layer-painters.ts';
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
  /**
   * The backdrop was painted around this layout's product (a masked edit of the whole canvas,
   * render/scene-init.ts): it is laid over the canvas exactly, never cropped, so the scene lines up
   * with the product drawn on top.
   */
  backgroundAroundProduct?: boolean;
  /** Path of an ONNX matting model to cut out products with (else the classical cut-out). */
  mattingModel?: string;
  /**
   * Paint smooth backgrounds at full size rather than at a quarter size scaled up: twice as fast,
   * but Skia dithers gradients and the noise makes PNGs larger. Set for JPEG and WebP output.
   */
  fullSizeBackdrop?: boolean;
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
export function layoutTextFits(
  input: LayoutTextInput & { images?: RenderLayoutInput['images'] },
): TextLayerFit[] {
  ensureFontsRegistered();
  const fits: TextLayerFit[] = [];
  input.layout.layers.forEach((layer, layerIndex) => {
    if (layer.type !== 'text' && layer.type !== 'badge') return;
    if (!layerApplies(layer, input.params, input.images ?? {})) return;
    const plan = planText(layer, layerIndex, input);
    if (plan) fits.push(withoutPlacement(plan));
  });
  return fits;
}

export async function renderLayout(input: RenderLayoutInput): Promise<Canvas> {
  return (await renderLayoutWithReport(input)).canvas;
}

/**
 * Draws the layers in order, reporting how each text fitted and what contrast it got. Layers whose
 * `when` does not hold for the params are skipped: neither drawn nor checked (layer indexes in the
 * report stay those of the layout).
 */
export async function renderLayoutWithReport(input: RenderLayoutInput): Promise<RenderedLayout> {
  ensureFontsRegistered();
  const { width, height } = input;
  const design = designOf(input);
  const palette = design.palette;
  const applies = input.layout.layers.map((layer) => layerApplies(layer, input.params, input.images));
  const layout = withStages(input.layout, applies);
  const random = seededRandom(input.seed);
  const decoded = await decodeUsedImages(input, applies);

  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.lang = 'zh-CN'; // fixed, so CJK glyph choice never follows the host locale
  const size = { width, height };
  // The smooth backgrounds the layout starts with go through one quarter-size canvas together.
  let leadingCount = 0;
  const leading: BackgroundLayer[] = [];
  while (leadingCount < layout.layers.length) {
    const layer = layout.layers[leadingCount]!;
    if (applies[leadingCount]) {
      if (layer.type !== 'background' || !isSmooth(layer, input)) break;
      leading.push(layer);
    }
    leadingCount += 1;
  }
  // A product on pure white is a marketplace genre (Amazon, Taobao 白底图): no glow, the white
  // stays #FFFFFF to the border.
  const pureWhite = isPureWhite(
    layout.layers.find((_, index) => applies[index]),
    palette,
  );
  // Always paints an opaque base first, so the output never has alpha whatever the layout holds.
  paintBackdrop(ctx, leading, palette, size, random, true, input.fullSizeBackdrop, !pureWhite);
  // Decoration keeps clear of what is read or shown: texts, badges, prices, offers, products, logo.
  const contentBoxes = layout.layers.flatMap((layer, index) =>
    applies[index] &&
    (layer.type === 'text' ||
      layer.type === 'badge' ||
      layer.type === 'price' ||
      layer.type === 'offer' ||
      layer.type === 'product' ||
      layer.type === 'logo' ||
      (layer.type === 'image' && !isBackdropImage(layer)))
      ? [toPixels(layer.box, size)]
      : [],
  );
  const report: RenderReport = {
    background: null,
    cutout: null,
    productScale: null,
    checks: checkTexts([]),
    quality: { score: 0, parts: {}, checks: [] },
  };
  // Where photos lie: the only places a text may get a scrim.
  const photos: PixelBox[] = [];

  const texts: RenderedText[] = [];
  const textRuns: TextRuns = new Map();
  for (const [layerIndex, layer] of layout.layers.entries()) {
    if (!applies[layerIndex]) continue;
    if (layerIndex < leadingCount) {
      if (layer.type === 'background' && layer.style === 'generated') report.background = 'procedural';
      continue;
    }
    switch (layer.type) {
      case 'background':
        if (await paintLaterBackground(ctx, layer, input, design, decoded, random, report)) {
          photos.push({ x: 0, y: 0, w: width, h: height });
        }
        break;
      case 'shape':
        paintShape(ctx, layer, palette, toPixels(layer.box, size), radiusPx(layer.radius, design, input));
        break;
      case 'decoration':
        paintDecoration(ctx, layer, design, toPixels(layer.box, size), size, contentBoxes);
        break;
      case 'image': {
        if (isProductPhoto(layer)) {
          // The product photo in an image layer is staged like a product: cut out, with shadows.
          await paintProductLayer(
            ctx,
            { ...layer, type: 'product', reflection: false },
            input,
            design,
            report,
            random,
          );
          photos.push(toPixels(layer.box, size));
          break;
        }
        const image = decoded.get(layer.param);
        if (image) {
          const box = toPixels(layer.box, size);
          paintImage(
            ctx,
            { ...layer, shadow: layer.shadow && design.shadow !== 'none' },
            image,
            box,
            designRadiusPx(design, width, layout.referenceWidth),
            random,
            design.shadow === 'crisp' ? 'crisp' : 'soft',
          );
          photos.push(box);
          if (isBackdropImage(layer)) {
            // Text goes over a backdrop photo: tint it with the brand color so any text reads on it.
            ctx.fillStyle = toCss(resolveColor('primary', palette), BACKDROP_TINT);
            ctx.fillRect(box.x, box.y, box.w, box.h);
          }
        }
        break;
      }
      case 'product':
        if (await paintProductLayer(ctx, layer, input, design, report, random)) {
          photos.push(toPixels(layer.box, size));
        }
        break;
      case 'logo': {
        const logo = decoded.get(BRAND_LOGO_IMAGE);
        if (logo) paintLogo(ctx, layer, logo, toPixels(layer.box, size));
        break;
      }
      case 'text':
      case 'badge': {
        if (!textRuns.has(layerIndex)) planTextRun(ctx, layout.layers, layerIndex, input, textRuns, applies);
        const planned = textRuns.get(layerIndex);
        if (planned) {
          const overPhoto = photos.some((photo) => overlaps(photo, planned.plan.textBox));
          texts.push(paintText(ctx, layer, planned.plan, palette, planned.backdrop, overPhoto));
        }
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
  report.checks = checkTexts(texts);
  report.quality = qualityFromChecks(report.checks);
  return { canvas, texts, report };
}

function overlaps(a: PixelBox, b: PixelBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/**
 * Encodes a rendered canvas through libvips, off the JS thread: Skia's PNG encoder tries every
 * filter at zlib level 6 and its JPEG encoder is ~4× slower than libjpeg-turbo. No metadata.
 */
export async function encodeCanvas(canvas: Canvas, format: ImageFormat, quality = 90): Promise<Uint8Array> {
  return encodePixels(canvasPixels(canvas), format, quality);
}

/** A rendered canvas's pixels, read once: RGBA, row by row. */
export function canvasPixels(canvas: Canvas): { rgba: Uint8Array; width: number; height: number } {
  const { width, height } = canvas;
  // getImageData, not canvas.data(): the same pixels (the canvas is opaque) in ~1 ms instead of ~35.
  const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
  return { rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height };
}

/** Encodes a canvas's pixels (see canvasPixels) as `encodeCanvas` does. */
export async function encodePixels(
  pixels: { rgba: Uint8Array; width: number; height: number },
  format: ImageFormat,
  quality = 90,
): Promise<Uint8Array> {
  const { rgba, width, height } = pixels;
  if (format === 'png') return encodeRgbaAsPng(rgba, width, height);
  return encodeRgbaAsLossy(rgba, width, height, format, quality);
}

async function decodeUsedImages(input: RenderLayoutInput, applies: readonly boolean[]) {
  const decoded = new Map<string, DecodedImage>();
  for (const [index, layer] of input.layout.layers.entries()) {
    if (!applies[index]) continue;
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

/** A background layer after the leading smooth ones: drawn at full size in its turn. True when a photo. */
async function paintLaterBackground(
  ctx: SKRSContext2D,
  layer: BackgroundLayer,
  input: RenderLayoutInput,
  design: RenderDesign,
  decoded: Map<string, DecodedImage>,
  random: () => number,
  report: RenderReport,
): Promise<boolean> {
  const palette = design.palette;
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
    if (input.backgroundAroundProduct) {
      ctx.save();
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(photo.image, 0, 0, size.width, size.height);
      ctx.restore();
    } else {
      paintImage(ctx, cover, photo, { x: 0, y: 0, w: size.width, h: size.height }, 0, random);
    }
    return true;
  }
  if (layer.style === 'pattern') paintPattern(ctx, layer, palette, size);
  else if (layer.style === 'podium' || layer.style === 'split') paintScene(ctx, layer, palette, size);
  else if (layer.style !== 'image') {
    paintBackdrop(ctx, [layer], palette, size, random, false, input.fullSizeBackdrop);
  }
  return false;
}

const BACKDROP_TINT = 0.72;

/**
 * The product photo: cut out and staged, its shadow as the design's (none, soft, or a crisp sticker
 * offset); a cut-out that cannot be trusted goes in a frame instead. True when drawn.
 */
async function paintProductLayer(
  ctx: SKRSContext2D,
  layer: ProductLayer,
  input: RenderLayoutInput,
  design: RenderDesign,
  report: RenderReport,
  random: () => number,
): Promise<boolean> {
  const bytes = input.images[layer.param];
  if (!bytes || bytes.length === 0) return false;
  const product = await cutOut(bytes, layer.param, input.mattingModel);
  const { png: _png, width: _width, height: _height, ...cutout } = product.cutout;
  report.cutout = cutout;
  const box = toPixels(layer.box, { width: input.width, height: input.height });
  const staged = { ...layer, shadow: layer.shadow && design.shadow !== 'none' };
  report.productScale = cutout.cut
    ? paintProduct(ctx, staged, product.decoded, box, random, design.shadow === 'crisp' ? 'crisp' : 'soft')
    : paintFramedPhoto(ctx, product.decoded, box);
  return true;
}

/**
 * The shop's product photo shown in an image layer (the `product_image` param, fitted whole): a
 * product shot to cut out, not a picture to paste with its backdrop.
 */
export function isProductPhoto(layer: ImageLayer): boolean {
  return layer.param === PRODUCT_IMAGE_PARAM && layer.fit === 'contain' && !isBackdropImage(layer);
}

const PRODUCT_IMAGE_PARAM = 'product_image';

/** Scenes without a stage of their own are staged where the layout's first product stands. */
function withStages(layout: Layout, applies: readonly boolean[]): Layout {
  const product = layout.layers.find(
    (layer, index) =>
      applies[index] && (layer.type === 'product' || (layer.type === 'image' && isProductPhoto(layer))),
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

function isPureWhite(layer: Layer | undefined, palette: RenderDesign['palette']): boolean {
  if (layer?.type !== 'background' || layer.style !== 'solid') return false;
  const color = resolveColor(layer.colors[0] ?? 'background', palette);
  return color.r === 255 && color.g === 255 && color.b === 255 && color.a === 1;
}

/** An image covering most of the canvas is a backdrop photo rather than a product shot. */
function isBackdropImage(layer: ImageLayer): boolean {
  return layer.box.w * layer.box.h >= 0.8;
}

/** A shape's radius: as written (at the reference width), or the design's (`brand`: pack or brand kit). */
function radiusPx(radius: number | 'brand', design: RenderDesign, input: RenderLayoutInput): number {
  const { width, layout } = input;
  if (radius === 'brand') return designRadiusPx(design, width, layout.referenceWidth);
  return (radius * width) / layout.referenceWidth;
}
