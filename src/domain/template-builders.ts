import type {
  BackgroundLayer,
  BadgeLayer,
  Box,
  DecorationLayer,
  ImageLayer,
  Layer,
  LayerCondition,
  Layout,
  LogoLayer,
  PriceLayer,
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

/** The product photo param every built-in template takes. */
export const PHOTO = 'product_image';
/** Drawn only with a product photo: the photo, its stage, its shadow. */
export const WITH_PHOTO: LayerCondition = { has: [PHOTO] };
/** Drawn only without one: the typographic arrangement that takes the photo's space. */
export const WITHOUT_PHOTO: LayerCondition = { missing: [PHOTO] };

/** The layers, each drawn only when the template has a product photo. */
export function withPhoto(...layers: Layer[]): Layer[] {
  return layers.map((layer) => ({ ...layer, when: WITH_PHOTO }));
}

/** The layers, each drawn only when the template has no product photo. */
export function withoutPhoto(...layers: Layer[]): Layer[] {
  return layers.map((layer) => ({ ...layer, when: WITHOUT_PHOTO }));
}

export function background(
  style: BackgroundLayer['style'],
  colors: BackgroundLayer['colors'],
  angle = 90,
  options: Partial<Pick<BackgroundLayer, 'pattern' | 'horizon' | 'param' | 'when'>> = {},
): BackgroundLayer {
  return { type: 'background', style, colors, angle, pattern: 'dots', horizon: 0.62, ...options };
}

export function shape(
  kind: ShapeLayer['shape'],
  at: Box,
  color: ShapeLayer['color'],
  options: Partial<Pick<ShapeLayer, 'opacity' | 'radius' | 'when'>> = {},
): ShapeLayer {
  return { type: 'shape', shape: kind, box: at, color, opacity: 1, radius: 0, ...options };
}

type TextOptions = Partial<Omit<TextLayer, 'type' | 'param' | 'box'>> &
  Pick<TextLayer, 'maxSize' | 'minSize'>;

export function text(param: string, at: Box, options: TextOptions): TextLayer {
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

/** The title in the pack's display face: the largest text of a design. */
export function headline(at: Box, options: TextOptions, param = 'title'): TextLayer {
  return text(param, at, { font: 'display', role: 'headline', lineHeight: 1.08, maxLines: 3, ...options });
}

/** The supporting line in the body face. */
/**
 * A typographic design's headline at `at`, and the title alone when the request gives nothing else
 * to set (no photo, price or subtitle): then it takes the `alone` box, set large, so the card is a
 * poster of its words rather than a small title over an empty half. `companions` (a rule under the
 * headline) go with the headline in its own box only.
 */
export function headlineOrAlone(
  at: Box,
  options: TextOptions,
  alone: Box,
  aloneMaxSize: number,
  companions: Layer[] = [],
): Layer[] {
  const main = headline(at, options);
  const withMain = (when: LayerCondition) => [main, ...companions].map((layer) => ({ ...layer, when }));
  return [
    ...withMain({ missing: [PHOTO], has: ['price'] }),
    ...withMain({ missing: [PHOTO, 'price'], has: ['subtitle'] }),
    {
      ...headline(alone, { ...options, valign: 'middle', maxSize: aloneMaxSize }),
      when: { missing: [PHOTO, 'price', 'subtitle'] },
    },
  ];
}

export function subline(at: Box, options: TextOptions, param = 'subtitle'): TextLayer {
  return text(param, at, {
    font: 'body',
    weight: 500,
    role: 'subtitle',
    maxLines: 2,
    lineHeight: 1.3,
    ...options,
  });
}

export function badge(
  param: string,
  at: Box,
  options: Partial<Omit<BadgeLayer, 'type' | 'param' | 'box'>> & Pick<BadgeLayer, 'maxSize' | 'minSize'>,
): BadgeLayer {
  return {
    type: 'badge',
    param,
    box: at,
    shape: 'pill',
    fill: 'accent',
    color: '#ffffff',
    role: param === 'price' ? 'price' : 'badge',
    ...options,
  };
}

/**
 * The price set as shops set it (big numerals, small sign and decimals), with the original price
 * struck through and the discount when the request gives them.
 */
export function price(
  at: Box,
  options: Partial<Omit<PriceLayer, 'type' | 'box'>> & Pick<PriceLayer, 'maxSize' | 'minSize'>,
): PriceLayer {
  return {
    type: 'price',
    param: 'price',
    was_param: 'price_was',
    discount_param: 'discount',
    box: at,
    align: 'left',
    color: 'price',
    plate: 'none',
    plateColor: 'accent',
    ...options,
  };
}

/** The pack's ornament (`auto`): sunburst, fine rules, leaves, a grid, bubbles or nothing. */
export function decoration(
  at: Box,
  options: Partial<Omit<DecorationLayer, 'type' | 'box'>> = {},
): DecorationLayer {
  return { type: 'decoration', box: at, kind: 'auto', color: 'highlight', opacity: 1, ...options };
}

export function image(
  param: string,
  at: Box,
  options: Partial<Pick<ImageLayer, 'fit' | 'shadow' | 'when'>> = {},
): ImageLayer {
  return { type: 'image', param, box: at, fit: 'contain', shadow: true, ...options };
}

export function product(
  param: string,
  at: Box,
  options: Partial<Pick<ProductLayer, 'shadow' | 'reflection' | 'when'>> = {},
): ProductLayer {
  return { type: 'product', param, box: at, shadow: true, reflection: false, ...options };
}

/** The product photo, drawn only when there is one. */
export const photo = (at: Box, options: Partial<Pick<ProductLayer, 'shadow' | 'reflection'>> = {}) =>
  product(PHOTO, at, { ...options, when: WITH_PHOTO });

export function logo(at: Box, align: LogoLayer['align'] = 'left'): LogoLayer {
  return { type: 'logo', box: at, align };
}

export interface LayoutOptions {
  safeArea?: SafeArea;
  /** The style pack the template is designed in. */
  stylePack?: string;
  /** Other designs of the same content; the engine scores each as a candidate. */
  compositions?: Record<string, Layout['layers']>;
}

/** The third argument is the options, or (as the first templates wrote it) the safe area alone. */
export function layout(
  referenceWidth: number,
  layers: Layout['layers'],
  optionsOrSafeArea: LayoutOptions | SafeArea = {},
): Layout {
  const options: LayoutOptions =
    'top' in optionsOrSafeArea || 'bottom' in optionsOrSafeArea
      ? { safeArea: optionsOrSafeArea as SafeArea }
      : (optionsOrSafeArea as LayoutOptions);
  const result: Layout = { version: 1, referenceWidth, layers };
  if (options.safeArea) result.safeArea = options.safeArea;
  if (options.stylePack) result.stylePack = options.stylePack;
  if (options.compositions) {
    result.compositions = Object.entries(options.compositions).map(([name, alternate]) => ({
      name,
      layers: alternate,
    }));
  }
  return result;
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

/** The common params and the two the price layer sets beside the price. */
export function pricedParams(titleMaxLength = 120): TemplateParam[] {
  return [
    ...commonParams(titleMaxLength),
    param('price_was', 'The original price, shown struck through: ¥299, $69', { max_length: 24 }),
    param('discount', 'The discount as it should read: -30%, 7折, Save $20', { max_length: 16 }),
  ];
}

export const PRODUCT_PROMPT =
  'Professional e-commerce product photo of {title}, {subtitle}, {brand.lighting}, {brand.composition}, {brand.mood}';
export const PRODUCT_NEGATIVE =
  'text, watermark, logo, blurry, low quality, distorted product, extra objects, cluttered background';

// A translucent white gradient over the brand background (the renderer paints that first):
// lifts the background a little toward the top in any brand, light or dark.
export const softBackdrop = background('linear-gradient', ['#ffffff40', '#ffffff00'], 90);
