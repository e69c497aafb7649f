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

export const paletteRoles = ['primary', 'secondary', 'accent', 'background', 'text'] as const;
export const colorRefSchema = z.union([
  z.enum(paletteRoles),
  z
    .string()
    .regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'must be a palette role or a hex color'),
]);
export type ColorRef = z.infer<typeof colorRefSchema>;

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
});

export const shapeLayerSchema = z.object({
  type: z.literal('shape'),
  shape: z.enum(['rect', 'ellipse']),
  box: boxSchema,
  color: colorRefSchema,
  opacity: z.number().min(0).max(1).default(1),
  /** Corner radius in pixels; `brand` uses the brand kit's radius. */
  radius: z.union([z.number().min(0), z.literal('brand')]).default(0),
});

export const textLayerSchema = z.object({
  type: z.literal('text'),
  /** The template param whose value this layer shows. */
  param: z.string().min(1),
  box: boxSchema,
  font: z.enum(['heading', 'body']).default('heading'),
  weight: z.union([z.literal(400), z.literal(700)]).default(700),
  color: colorRefSchema.default('text'),
  align: z.enum(['left', 'center', 'right']).default('left'),
  valign: z.enum(['top', 'middle', 'bottom']).default('top'),
  /** Font sizes in pixels at the layout's reference width; scaled with the canvas. */
  maxSize: z.number().min(4).max(800),
  minSize: z.number().min(4).max(800),
  maxLines: z.number().int().min(1).max(20).default(3),
  lineHeight: z.number().min(0.8).max(3).default(1.2),
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
});

export const imageLayerSchema = z.object({
  type: z.literal('image'),
  /** The template param holding an asset id or URL of the image. */
  param: z.string().min(1),
  box: boxSchema,
  fit: z.enum(['contain', 'cover']).default('contain'),
  shadow: z.boolean().default(true),
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
});

/** The brand kit's logo, fitted into the box; nothing is drawn when the brand has none. */
export const logoLayerSchema = z.object({
  type: z.literal('logo'),
  box: boxSchema,
  align: z.enum(['left', 'center', 'right']).default('left'),
});

export const layerSchema = z.discriminatedUnion('type', [
  backgroundLayerSchema,
  shapeLayerSchema,
  textLayerSchema,
  badgeLayerSchema,
  imageLayerSchema,
  productLayerSchema,
  logoLayerSchema,
]);
export type Layer = z.infer<typeof layerSchema>;
export type TextLayer = z.infer<typeof textLayerSchema>;
export type BadgeLayer = z.infer<typeof badgeLayerSchema>;
export type ImageLayer = z.infer<typeof imageLayerSchema>;
export type ShapeLayer = z.infer<typeof shapeLayerSchema>;
export type BackgroundLayer = z.infer<typeof backgroundLayerSchema>;
export type ProductLayer = z.infer<typeof productLayerSchema>;
export type LogoLayer = z.infer<typeof logoLayerSchema>;

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
});
export type Layout = z.infer<typeof layoutSchema>;
