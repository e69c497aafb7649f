import type {
  BackgroundLayer,
  BadgeLayer,
  Box,
  ImageLayer,
  Layout,
  LogoLayer,
  ProductLayer,
  SafeArea,
  ShapeLayer,
  TextLayer,
} from './layout.ts';
import type { TemplateDefinition, TemplateParam } from './template.ts';

/**
 * Builders for the built-in templates: they fill the schema defaults so each layout reads as its
 * design, and what is stored equals what parses.
 */
export type BuiltinTemplate = TemplateDefinition & { name: string };

export const box = (x: number, y: number, w: number, h: number): Box => ({ x, y, w, h });

export function background(
  style: BackgroundLayer['style'],
  colors: BackgroundLayer['colors'],
  angle = 90,
  options: Partial<Pick<BackgroundLayer, 'pattern' | 'horizon' | 'param'>> = {},
): BackgroundLayer {
  return { type: 'background', style, colors, angle, pattern: 'dots', horizon: 0.62, ...options };
}

export function shape(
  kind: ShapeLayer['shape'],
  at: Box,
  color: ShapeLayer['color'],
  options: Partial<Pick<ShapeLayer, 'opacity' | 'radius'>> = {},
): ShapeLayer {
  return { type: 'shape', shape: kind, box: at, color, opacity: 1, radius: 0, ...options };
}

export function text(
  param: string,
  at: Box,
  options: Partial<Omit<TextLayer, 'type' | 'param' | 'box'>> & Pick<TextLayer, 'maxSize' | 'minSize'>,
): TextLayer {
  return {
    type: 'text',
    param,
    box: at,
    font: 'heading',
    weight: 700,
    color: 'text',
    align: 'left',
    valign: 'top',
    maxLines: 3,
    lineHeight: 1.2,
    ...options,
  };
}

export function badge(
  param: string,
  at: Box,
  options: Partial<Omit<BadgeLayer, 'type' | 'param' | 'box'>> & Pick<BadgeLayer, 'maxSize' | 'minSize'>,
): BadgeLayer {
  return { type: 'badge', param, box: at, shape: 'pill', fill: 'accent', color: '#ffffff', ...options };
}

export function image(
  param: string,
  at: Box,
  options: Partial<Pick<ImageLayer, 'fit' | 'shadow'>> = {},
): ImageLayer {
  return { type: 'image', param, box: at, fit: 'contain', shadow: true, ...options };
}

export function layout(referenceWidth: number, layers: Layout['layers'], safeArea?: SafeArea): Layout {
  return safeArea ? { version: 1, referenceWidth, layers, safeArea } : { version: 1, referenceWidth, layers };
}

export function product(
  param: string,
  at: Box,
  options: Partial<Pick<ProductLayer, 'shadow' | 'reflection'>> = {},
): ProductLayer {
  return { type: 'product', param, box: at, shadow: true, reflection: false, ...options };
}

export function logo(at: Box, align: LogoLayer['align'] = 'left'): LogoLayer {
  return { type: 'logo', box: at, align };
}

/** Douyin, TikTok and Kuaishou cover the top ~12% (tabs, search) and bottom ~15% (caption, buttons). */
export const VERTICAL_VIDEO_SAFE_AREA: SafeArea = { top: 0.12, bottom: 0.15, left: 0.04, right: 0.04 };

export function param(
  name: string,
  description: string,
  options: Partial<TemplateParam> = {},
): TemplateParam {
  return { name, kind: 'text', required: false, description, max_length: 120, ...options };
}

/** The params every built-in template takes; only the title is required. */
export function commonParams(titleMaxLength = 120): TemplateParam[] {
  return [
    param('title', 'Headline, e.g. the product name or the offer', {
      required: true,
      max_length: titleMaxLength,
    }),
    param('subtitle', 'A short supporting line', { max_length: 200 }),
    param('price', 'Price as it should read, with its currency: ¥199, $49', { max_length: 24 }),
    param('badge', 'A short sticker text: NEW, 限时, LIVE', { max_length: 12 }),
    param('product_image', 'Product photo (PNG/JPEG; a transparent cut-out looks best)', { kind: 'image' }),
  ];
}

export const PRODUCT_PROMPT =
  'Professional e-commerce product photo of {title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}';
export const PRODUCT_NEGATIVE =
  'text, watermark, logo, blurry, low quality, distorted product, extra objects, cluttered background';

// A translucent white gradient over the brand background (the renderer paints that first):
// lifts the background a little toward the top in any brand, light or dark.
export const softBackdrop = background('linear-gradient', ['#ffffff40', '#ffffff00'], 90);
