import { z } from 'zod';

/**
 * The layout format (version 1, extended compatibly: every field added since has a default, so
 * every layout written for the first release still parses and renders the same) the studio engine
 * renders. Boxes are fractions of the canvas
 * (0..1) so one layout serves several sizes of the same aspect. Colors are either a hex value or a
 * role of the brand palette, so one template renders in every brand.
 */
const fraction = z.number().min(0).max(1);
export const boxSchema = z.object({ x: fraction, y: fraction, w: fraction, h: fraction });
export type Box = z.infer<typeof boxSchema>;

/**
 * The brand kit's five roles, then four a style pack adds (src/domain/style-packs.ts): `surface`
 * (cards, plates, coupons), `price` (price numerals), `highlight` (decoration, rules) and `muted`
 * (struck-through prices, fine print). Without a pack the four derive from the brand's five.
 */
export const paletteRoles = [
  'primary',
  'secondary',
  'accent',
  'background',
  'text',
  'surface',
  'price',
  'highlight',
  'muted',
] as const;
export const colorRefSchema = z.union([
  z.enum(paletteRoles),
  z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'must be a palette role or a hex color'),
]);
export type ColorRef = z.infer<typeof colorRefSchema>;

/**
 * When a layer is drawn, by which params have a value: `has` all of them and `missing` all of
 * those. One template thus carries its design with and without a product photo (or an offer):
 * with no photo the typographic layers take the space, never an empty placeholder.
 */
export const layerConditionSchema = z.object({
  has: z.array(z.string().min(1)).max(8).optional(),
  missing: z.array(z.string().min(1)).max(8).optional(),
});
export type LayerCondition = z.infer<typeof layerConditionSchema>;
const when = layerConditionSchema.optional();

/**
 * What a text is for. Each role has a size floor, a fraction of the canvas's shorter side
 * (render/text-floors.ts, documented in docs/quality.md): text never shrinks below it; when it
 * cannot fit at the floor the image fails its `text_floor` check instead of shrinking further.
 * Absent, the role follows from the font: display/heading → headline, body → body.
 */
export const textRoles = ['headline', 'subtitle', 'body', 'price', 'badge', 'fine'] as const;
export type TextRole = (typeof textRoles)[number];

/** The type roles of a design: a style pack (or the brand) maps each to a family and weight. */
export const fontRoles = ['display', 'heading', 'body', 'numeral'] as const;

export const backgroundStyles = [
  'solid',
  'linear-gradient',
  'radial-gradient',
  /** A photo studio's paper sweep: wall color (colors[0]) curving into a floor (colors[1]), with a soft floor shadow. */
  'studio-sweep',
  /** colors[0] as the ground, `pattern` drawn in colors[1]. */
  'pattern',
  /** A photo from the image param `param`, cropped to cover the canvas. */
  'image',
  /**
   * Filled by the routed image provider from the template's prompt; when none is configured (or it
   * gave nothing) a procedural backdrop from `colors` and the seed. The job records which was used.
   */
  'generated',
  // Product-photography scenes (issue 12). Each stages the product: `stage` is where it stands
  // (by default the box of the layout's product), so the scene's light and floor meet it there.
  /** A round pedestal (colors[0], rim colors[1]) under the stage, drawn over the layers before it. */
  'podium',
  /** Two fields split at `horizon`: top/bottom for angle 90 (the default), left/right otherwise. */
  'split',
  /** A tabletop: wall colors[0] above `horizon`, surface colors[1] below, receding into shade. */
  'surface',
  /** A soft pool of light (colors[1], or a lighter colors[0]) behind the stage on colors[0]. */
  'spotlight',
] as const;

export const backgroundLayerSchema = z.object({
  type: z.literal('background'),
  style: z.enum(backgroundStyles),
  colors: z.array(colorRefSchema).min(1).max(4),
  /** Degrees for linear gradients; 90 is top to bottom. */
  angle: z.number().min(0).max(360).default(90),
  /** For `pattern`: the motif. */
  pattern: z.enum(['dots', 'stripes', 'grid']).default('dots'),
  /** For `studio-sweep`: where the wall meets the floor, as a fraction of the height. */
  horizon: fraction.default(0.62),
  /** For `image`: the template param holding the photo. */
  param: z.string().min(1).optional(),
  /** For the scenes: where the product stands; absent, the box of the layout's first product. */
  stage: boxSchema.optional(),
  when,
});

export const shapeLayerSchema = z.object({
  type: z.literal('shape'),
  shape: z.enum(['rect', 'ellipse']),
  box: boxSchema,
  color: colorRefSchema,
  opacity: z.number().min(0).max(1).default(1),
  /** Corner radius in pixels; `brand` uses the brand kit's radius. */
  radius: z.union([z.number().min(0), z.literal('brand')]).default(0),
  when,
});

export const textLayerSchema = z.object({
  type: z.literal('text'),
  /** The template param whose value this layer shows. */
  param: z.string().min(1),
  box: boxSchema,
  font: z.enum(fontRoles).default('heading'),
  /** 500 and 900 exist for the style packs' faces; a face without the weight draws its nearest. */
  weight: z.union([z.literal(400), z.literal(500), z.literal(700), z.literal(900)]).default(700),
  role: z.enum(textRoles).optional(),
  /** Latin letters in capitals (the pack may ask for it too). */
  uppercase: z.boolean().optional(),
  color: colorRefSchema.default('text'),
  align: z.enum(['left', 'center', 'right']).default('left'),
  valign: z.enum(['top', 'middle', 'bottom']).default('top'),
  /** Font sizes in pixels at the layout's reference width; scaled with the canvas. */
  maxSize: z.number().min(4).max(800),
  minSize: z.number().min(4).max(800),
  maxLines: z.number().int().min(1).max(20).default(3),
  lineHeight: z.number().min(0.8).max(3).default(1.2),
  when,
});

export const badgeLayerSchema = z.object({
  type: z.literal('badge'),
  param: z.string().min(1),
  box: boxSchema,
  shape: z.enum(['pill', 'circle', 'rect']).default('pill'),
  fill: colorRefSchema.default('accent'),
  color: colorRefSchema.default('#ffffff'),
  maxSize: z.number().min(4).max(800),
  minSize: z.number().min(4).max(800),
  role: z.enum(textRoles).optional(),
  when,
});

export const imageLayerSchema = z.object({
  type: z.literal('image'),
  /** The template param holding an asset id or URL of the image. */
  param: z.string().min(1),
  box: boxSchema,
  fit: z.enum(['contain', 'cover']).default('contain'),
  shadow: z.boolean().default(true),
  when,
});

/**
 * The product photo: cut out from a plain background when it has no transparency of its own,
 * placed to fit the box (bottom-aligned, standing on its floor) with a soft shadow.
 */
export const productLayerSchema = z.object({
  type: z.literal('product'),
  param: z.string().min(1),
  box: boxSchema,
  /** A contact shadow where it stands and a soft drop shadow following its outline. */
  shadow: z.boolean().default(true),
  /** A faint mirror image below it, as on glass or a glossy floor. */
  reflection: z.boolean().default(false),
  when,
});

/** The brand kit's logo, fitted into the box; nothing is drawn when the brand has none. */
export const logoLayerSchema = z.object({
  type: z.literal('logo'),
  box: boxSchema,
  align: z.enum(['left', 'center', 'right']).default('left'),
  when,
});

/**
 * Ornament from the style pack's vocabulary (sunburst and sparkles for festive, fine rules for
 * luxury, leaves for fresh, a grid and glow for tech, bubbles for cute; none for minimal), drawn
 * in the box and deterministic: it does not move with the seed.
 */
export const decorationKinds = [
  'auto',
  'sunburst',
  'sparkles',
  'confetti',
  'rules',
  'frame',
  'leaves',
  'grid',
  'glow',
  'bubbles',
  'stripes',
] as const;
export const decorationLayerSchema = z.object({
  type: z.literal('decoration'),
  box: boxSchema,
  /** `auto`: the pack's own vocabulary (nothing for a pack without decoration). */
  kind: z.enum(decorationKinds).default('auto'),
  color: colorRefSchema.default('highlight'),
  opacity: z.number().min(0).max(1).default(1),
  when,
});

/**
 * A price set the way shops set it: big numerals with a small currency sign and small decimals,
 * optionally the original price struck through (`was_param`) and the discount (`discount_param`).
 * `param` holds the text as the user gave it ("¥199", "$24.99", "199元"); the renderer parses it.
 */
export const priceLayerSchema = z.object({
  type: z.literal('price'),
  param: z.string().min(1),
  was_param: z.string().min(1).optional(),
  discount_param: z.string().min(1).optional(),
  box: boxSchema,
  align: z.enum(['left', 'center', 'right']).default('left'),
  color: colorRefSchema.default('price'),
  /** The size of the integer digits at the reference width; sign and decimals are smaller. */
  maxSize: z.number().min(4).max(800),
  minSize: z.number().min(4).max(800),
  /** A plate behind the price: none, a tag, a round burst, or a ribbon. */
  plate: z.enum(['none', 'tag', 'burst', 'ribbon']).default('none'),
  plateColor: colorRefSchema.default('accent'),
  when,
});

/**
 * Offer shapes: a 满减 or coupon ticket (perforated, amount big), a ribbon (限时, a date or a
 * countdown), a seal (a round stamp such as "-30%"), or a service line (包邮 · 7天无理由).
 */
export const offerLayerSchema = z.object({
  type: z.literal('offer'),
  param: z.string().min(1),
  /** A second, smaller line (the coupon's condition or code, a ribbon's date). */
  detail_param: z.string().min(1).optional(),
  shape: z.enum(['coupon', 'ribbon', 'seal', 'service']),
  box: boxSchema,
  fill: colorRefSchema.default('accent'),
  color: colorRefSchema.default('surface'),
  maxSize: z.number().min(4).max(800),
  minSize: z.number().min(4).max(800),
  when,
});

export const layerSchema = z.discriminatedUnion('type', [
  backgroundLayerSchema,
  shapeLayerSchema,
  textLayerSchema,
  badgeLayerSchema,
  imageLayerSchema,
  productLayerSchema,
  logoLayerSchema,
  decorationLayerSchema,
  priceLayerSchema,
  offerLayerSchema,
]);
export type Layer = z.infer<typeof layerSchema>;
export type TextLayer = z.infer<typeof textLayerSchema>;
export type BadgeLayer = z.infer<typeof badgeLayerSchema>;
export type ImageLayer = z.infer<typeof imageLayerSchema>;
export type ShapeLayer = z.infer<typeof shapeLayerSchema>;
export type BackgroundLayer = z.infer<typeof backgroundLayerSchema>;
export type ProductLayer = z.infer<typeof productLayerSchema>;
export type LogoLayer = z.infer<typeof logoLayerSchema>;
export type DecorationLayer = z.infer<typeof decorationLayerSchema>;
export type PriceLayer = z.infer<typeof priceLayerSchema>;
export type OfferLayer = z.infer<typeof offerLayerSchema>;

/**
 * Margins (canvas fractions) that text must keep clear of, e.g. the top and bottom bands that
 * Douyin, TikTok and Kuaishou cover with their own buttons and captions on a 9:16 cover.
 */
export const safeAreaSchema = z.object({
  top: fraction.default(0),
  bottom: fraction.default(0),
  left: fraction.default(0),
  right: fraction.default(0),
});
export type SafeArea = z.infer<typeof safeAreaSchema>;

export const layoutSchema = z.object({
  version: z.literal(1),
  /** The width the font sizes were designed at; text scales by canvasWidth / referenceWidth. */
  referenceWidth: z.number().int().min(16).max(8192),
  layers: z.array(layerSchema).min(1).max(64),
  /** Where text, badges and the logo may go; checked by the template tests. */
  safeArea: safeAreaSchema.optional(),
  /** The style pack a template is designed in, used when a request names none. */
  stylePack: z.string().min(1).max(40).optional(),
  /**
   * Other compositions of the same content (product left or right, text above or below…). The
   * engine lays out each as a candidate, scores them and keeps the best; the `n` variants of one
   * request take different compositions and palette arrangements, so they are different designs.
   */
  compositions: z
    .array(z.object({ name: z.string().min(1).max(40), layers: z.array(layerSchema).min(1).max(64) }))
    .max(8)
    .optional(),
});
export type Layout = z.infer<typeof layoutSchema>;
